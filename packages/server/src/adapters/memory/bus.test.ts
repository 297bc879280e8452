/** Runs the Bus contract on the in-process bus: one process, so every "other process" is the same bus. */
import { describeBusContract } from "../../core/bus.contract.js";
import { createLogger } from "../../core/logger.js";
import { MemoryBus } from "./bus.js";

describeBusContract("memory", "one", async () => {
  const bus = new MemoryBus(createLogger({ level: "silent" }));
  return { createBus: async () => bus, close: async () => {} };
});
