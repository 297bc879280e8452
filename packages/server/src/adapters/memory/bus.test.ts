/** Runs the Bus contract on the in-process bus: one process, so every "other process" is the same bus. */
import { describeBusContract } from "../../core/bus.contract.js";
import { createLogger } from "../../core/logger.js";
import { MemoryBus } from "./bus.js";

describeBusContract("memory", async () => {
  const bus = new MemoryBus(createLogger({ level: "silent" }));
  return {
    processes: "one",
    createBus: async () => bus,
    close: async () => {},
    gaps: {
      "redelivers a rejected batch": "the in-process bus logs a rejected handler promise and moves on; it keeps no log to deliver the batch from again",
      "close waits for running handlers": "the in-process bus forgets the handler at once and does not track the promises it returned",
    },
  };
});
