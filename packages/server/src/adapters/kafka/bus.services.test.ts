/**
 * Runs the Bus contract on Kafka (every bus a process of its own on one broker), then what only a
 * durable bus does: unfinished batches are read again after a close or a crash, committed ones are
 * not, malformed records are skipped, a rebalance loses nothing, and a broker restart is survived.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Admin, ConfigResourceTypes, Producer } from "@platformatic/kafka";
import { describeBusContract, envelope, keyOf, publishInCalls, Recorder, samplesOf, waitUntil } from "../../core/bus.contract.js";
import type { ControlEvent, SampleEnvelope, Subscription } from "../../core/bus.js";
import { createLogger } from "../../core/logger.js";
import { kafkaBootstrapServers, startOwnKafkaBroker, type OwnKafkaBroker } from "../../test-support/kafka-fixture.js";
import { buildServer } from "../../test-support/server-process.js";
import { uniqueTestName } from "../../test-support/services.js";
import { waitFor } from "../../test-support/test-hub.js";
import { KafkaBus } from "./bus.js";
import { CONTROL_RETENTION_MS, METRICS_RETENTION_MS } from "./topics.js";

const logger = createLogger({ level: "silent" });
const PARTITIONS = 4;

/** The processes of one deployment: buses sharing a topic prefix. `close()` stops them and deletes the topics. */
function deployment(bootstrapServers = kafkaBootstrapServers()) {
  const prefix = `${uniqueTestName("bus")}.`;
  const buses: KafkaBus[] = [];
  const admin = () => new Admin({ clientId: "statusmonitor-test", bootstrapBrokers: bootstrapServers });
  return {
    prefix,
    bootstrapServersList: () => bootstrapServers.join(","),
    metricsTopic: `${prefix}metrics`,
    controlTopic: `${prefix}control`,
    bus(): KafkaBus {
      const bus = new KafkaBus({
        bootstrapServers,
        clientId: "statusmonitor-test",
        topicPrefix: prefix,
        metricsPartitions: PARTITIONS,
        replicationFactor: 1,
        instanceId: uniqueTestName("process"),
        logger,
      });
      buses.push(bus);
      return bus;
    },
    async startedBus(): Promise<KafkaBus> {
      const bus = this.bus();
      await bus.start();
      return bus;
    },
    /** Writes raw bytes to a topic, as a broken or foreign producer would. */
    async writeRaw(topic: string, records: { key: string; value: string }[]): Promise<void> {
      const producer = new Producer({ clientId: "statusmonitor-test-raw", bootstrapBrokers: bootstrapServers });
      try {
        await producer.send({ messages: records.map((r) => ({ topic, key: Buffer.from(r.key), value: Buffer.from(r.value) })) });
      } finally {
        await producer.close();
      }
    },
    admin,
    async close(): Promise<void> {
      await Promise.allSettled(buses.map((bus) => bus.stop()));
      const client = admin();
      try {
        await client.deleteTopics({ topics: [`${prefix}metrics`, `${prefix}control`] });
      } catch {
        // Not created (a test that failed early) or already gone.
      } finally {
        await client.close();
      }
    },
  };
}

describeBusContract("kafka", "many", async () => {
  const d = deployment();
  return { createBus: () => d.startedBus(), close: () => d.close() };
});

/** A promise the test settles from outside, as a handler's write that is still running. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("KafkaBus on a shared broker", () => {
  let d: ReturnType<typeof deployment>;
  const subscriptions: Subscription[] = [];
  beforeAll(() => {
    d = deployment();
  });
  afterEach(async () => {
    await Promise.allSettled(subscriptions.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await d?.close();
  });

  it("creates its topics once, with the configured partitions and retention, when two processes start together", async () => {
    const own = deployment();
    try {
      await Promise.all([own.startedBus(), own.startedBus()]);
      const admin = own.admin();
      try {
        const metadata = await admin.metadata({ topics: [own.metricsTopic, own.controlTopic], forceUpdate: true });
        expect(metadata.topics.get(own.metricsTopic)?.partitionsCount).toBe(PARTITIONS);
        expect(metadata.topics.get(own.controlTopic)?.partitionsCount).toBe(1);
        const configs = await admin.describeConfigs({
          resources: [own.metricsTopic, own.controlTopic].map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName, configurationKeys: ["retention.ms"] })),
        });
        const retention = Object.fromEntries(configs.map((c) => [c.resourceName, c.configs.find((entry) => entry.name === "retention.ms")?.value]));
        expect(retention).toEqual({ [own.metricsTopic]: String(METRICS_RETENTION_MS), [own.controlTopic]: String(CONTROL_RETENTION_MS) });
      } finally {
        await admin.close();
      }
    } finally {
      await own.close();
    }
  });

  it("reports healthy while the broker answers", async () => {
    const bus = await d.startedBus();
    expect(await bus.health()).toEqual({ status: "ok", detail: "kafka, 1 broker" });
  });

  it("gives a batch still running at close to the next subscription of the group, and not what was committed", async () => {
    const first = await d.startedBus();
    const handled: SampleEnvelope[] = [];
    const stillWriting = deferred();
    let writing = false;
    const subscription = await first.subscribeSamples("alerts", (batch) => {
      if (!batch.some((e) => e.sample.seq! >= 4)) return void handled.push(...batch);
      writing = true;
      return stillWriting.promise;
    });
    await first.publishSamples([envelope(201, 1), envelope(201, 2), envelope(201, 3)]);
    await waitUntil(() => handled.length === 3, "the first samples to be handled");
    await first.publishSamples([envelope(201, 4), envelope(201, 5)]);
    await waitUntil(() => writing, "the handler to be writing the next samples");

    // Closing waits for the running handler, which then fails (the process going down mid-write).
    const closing = subscription.close();
    stillWriting.reject(new Error("shutting down"));
    await closing;

    const next = new Recorder();
    subscriptions.push(await (await d.startedBus()).subscribeSamples("alerts", next.handler));
    await waitUntil(() => next.has([envelope(201, 4), envelope(201, 5)]), "the unfinished samples on the next subscription");
    // Same agent, same partition: had 1-3 not been committed they would have come first.
    expect(next.sequenceOf(201)).toEqual([4, 5]);
  });

  it("skips malformed records (logging them) and goes on with the next ones", async () => {
    const bus = await d.startedBus();
    const [history, live] = [new Recorder(), new Recorder()];
    subscriptions.push(await bus.subscribeSamples("history", history.handler), await bus.subscribeSamples("live", live.handler));
    const controlEvents: ControlEvent[] = [];
    bus.onControl((event) => void controlEvents.push(event));

    // Keyed like agent 301's samples, so they land on its partition, ahead of its next sample.
    await d.writeRaw(d.metricsTopic, [
      { key: "301", value: "{not json" },
      { key: "301", value: JSON.stringify({ v: 1, agent_id: 301, user_id: 7 }) },
      { key: "301", value: JSON.stringify({ ...envelope(301, 0), v: 99 }) },
    ]);
    await d.writeRaw(d.controlTopic, [{ key: "x", value: JSON.stringify({ v: 1, event: { type: "agent_deleted" } }) }]);
    await bus.publishSamples([envelope(301, 1)]);
    await bus.publishControl({ type: "user_deleted", user_id: 7 });

    await waitUntil(() => history.has([envelope(301, 1)]) && live.has([envelope(301, 1)]) && controlEvents.length === 1, "the valid sample and event");
    expect(history.sequenceOf(301)).toEqual([1]);
    expect(live.sequenceOf(301)).toEqual([1]);
    expect(controlEvents).toEqual([{ type: "user_deleted", user_id: 7 }]);

    // The malformed records counted as processed: the group's next member starts after them.
    await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    const next = new Recorder();
    subscriptions.push(await (await d.startedBus()).subscribeSamples("history", next.handler));
    await bus.publishSamples([envelope(301, 2)]);
    await waitUntil(() => next.has([envelope(301, 2)]), "the next sample on the next member");
    expect(next.sequenceOf(301)).toEqual([2]);
  });

  it("skips to the oldest record left when the group's offset points at records already deleted (retention)", async () => {
    const own = deployment();
    try {
      const first = new Recorder();
      const bus = await own.startedBus();
      const subscription = await bus.subscribeSamples("history", first.handler);
      await bus.publishSamples([envelope(501, 1)]);
      await waitUntil(() => first.has([envelope(501, 1)]), "the first sample");
      await subscription.close();

      // Published while the group is away, then deleted as retention would.
      await bus.publishSamples([envelope(501, 2), envelope(501, 3)]);
      const admin = own.admin();
      try {
        const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: -1n }));
        await admin.deleteRecords({ topics: [{ name: own.metricsTopic, partitions }] });
      } finally {
        await admin.close();
      }

      const next = new Recorder();
      subscriptions.push(await bus.subscribeSamples("history", next.handler));
      await bus.publishSamples([envelope(501, 4)]);
      await waitUntil(() => next.has([envelope(501, 4)]), "the sample published after the deletion");
      expect(next.sequenceOf(501)).toEqual([4]);
    } finally {
      await own.close();
    }
  });

  it("splits a group's partitions between two processes, and after one leaves the other gets everything", async () => {
    const own = deployment();
    try {
      const [a, b] = [await own.startedBus(), await own.startedBus()];
      const [atA, atB] = [new Recorder(), new Recorder()];
      subscriptions.push(await a.subscribeSamples("history", atA.handler));
      const leaving = await b.subscribeSamples("history", atB.handler);

      const agents = Array.from({ length: 40 }, (_, i) => 400 + i);
      const before = samplesOf(agents, 2);
      await publishInCalls(a, before, 20);
      await waitUntil(() => before.every((s) => atA.keys().has(keyOf(s)) || atB.keys().has(keyOf(s))), "every sample in the group");
      expect(atA.received.length).toBeGreaterThan(0);
      expect(atB.received.length).toBeGreaterThan(0);
      expect([...atA.keys()].filter((key) => atB.keys().has(key))).toEqual([]);

      await leaving.close();
      const after = samplesOf(agents, 4).filter((s) => s.sample.seq! > 2);
      await publishInCalls(a, after, 20);
      await waitUntil(() => atA.has(after), "the remaining process to get everything published after the other left");
    } finally {
      await own.close();
    }
  });
});

/**
 * A process that joins the group and never finishes a batch, run from the built server so the test
 * can kill it outright (SIGKILL: no close, no commit, no leaving the group).
 */
const STUCK_MEMBER = `
import { KafkaBus } from ${JSON.stringify(fileURLToPath(new URL("../../../dist/adapters/kafka/bus.js", import.meta.url)))};
import { createLogger } from ${JSON.stringify(fileURLToPath(new URL("../../../dist/core/logger.js", import.meta.url)))};
const [servers, prefix, partitions] = process.argv.slice(1);
const bus = new KafkaBus({ bootstrapServers: servers.split(","), clientId: "statusmonitor-test-stuck", topicPrefix: prefix,
  metricsPartitions: Number(partitions), replicationFactor: 1, instanceId: "stuck-" + process.pid, logger: createLogger({ level: "silent" }) });
await bus.start();
await bus.subscribeSamples("history", (batch) => {
  process.stdout.write("got " + batch.map((e) => e.agent_id + ":" + e.sample.seq).join(" ") + "\\n");
  return new Promise(() => {});
});
process.stdout.write("ready\\n");
`;

describe("KafkaBus when a member crashes", () => {
  beforeAll(() => buildServer(), 120_000);

  it("gives the samples a killed member never finished to the next member, after its session ran out", { timeout: 90_000 }, async () => {
    const d = deployment();
    const child = spawn(process.execPath, ["--input-type=module", "-e", STUCK_MEMBER, d.bootstrapServersList(), d.prefix, String(PARTITIONS)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await waitFor(() => output.includes("ready"), `the stuck member to join:\n${output}`, 30_000);
      const publisher = await d.startedBus();
      const samples = samplesOf([701, 702, 703, 704, 705, 706], 3);
      await publishInCalls(publisher, samples, 6);
      await waitFor(() => samples.every((s) => output.includes(` ${keyOf(s)}`)), "the stuck member to get every sample", 20_000);

      child.kill("SIGKILL");
      await exited;
      const next = new Recorder();
      const subscription = await publisher.subscribeSamples("history", next.handler);
      try {
        await waitUntil(() => next.has(samples), "the next member to get every sample again");
      } finally {
        await subscription.close();
      }
    } finally {
      child.kill("SIGKILL");
      await d.close();
    }
  });
});

describe("KafkaBus across a broker restart", () => {
  let broker: OwnKafkaBroker | undefined;
  beforeAll(async () => {
    broker = await startOwnKafkaBroker();
  }, 120_000);
  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it("keeps publishing and reading (history, live, control) after the broker crashed and came back", { timeout: 120_000 }, async () => {
    const d = deployment(broker!.bootstrapServers);
    try {
      const bus = await d.startedBus();
      const [history, live] = [new Recorder(), new Recorder()];
      const controlEvents: ControlEvent[] = [];
      bus.onControl((event) => void controlEvents.push(event));
      const subscriptions = [await bus.subscribeSamples("history", history.handler), await bus.subscribeSamples("live", live.handler)];
      const before = samplesOf([801, 802, 803], 3);
      await publishInCalls(bus, before, 3);
      await waitUntil(() => history.has(before) && live.has(before), "the samples published before the crash");

      await broker!.kill();
      await expect(bus.publishSamples([envelope(801, 100)])).rejects.toThrow();
      await expect(bus.health()).rejects.toThrow();
      await broker!.restart();

      // The first sends may fail while the broker elects its partition leaders again.
      const after = samplesOf([801, 802, 803], 6).filter((s) => s.sample.seq! > 3);
      await waitFor(
        () => bus.publishSamples(after.slice(0, 3)).then(() => true, () => false),
        "publishing to work again",
        60_000,
        500,
      );
      await publishInCalls(bus, after.slice(3), 3);
      await bus.publishControl({ type: "alert_rules_changed", user_id: 7 });

      await waitFor(() => history.has(after) && live.has(after) && controlEvents.length > 0, "the samples and the event published after the restart", 60_000);
      expect(controlEvents).toEqual([{ type: "alert_rules_changed", user_id: 7 }]);
      expect(await bus.health()).toMatchObject({ status: "ok" });
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    } finally {
      await d.close();
    }
  });
});
