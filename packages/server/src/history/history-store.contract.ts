/** The contract every HistoryStore adapter must pass, through the port alone and through the real codec, writer and reader. */
import type { Sample, TierName } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../core/logger.js";
import { encodeRows, type Rows } from "./chunk-rows.js";
import type { ChunkRecord, HistoryStore, TierUsage } from "./ports.js";
import { readSeries } from "./reader.js";
import type { Bucket } from "./rollup.js";
import type { SeriesValues } from "./series.js";
import { resolveTiers, tierNamed } from "./tiers.js";
import { HistoryWriter } from "./writer.js";

/** A fresh, empty store, with a way to make and remove the agents its chunks belong to. */
export interface HistoryStoreFixture {
  store: HistoryStore;
  createAgent(): Promise<number>;
  deleteAgent(id: number): Promise<void>;
  close(): Promise<void>;
}

const logger = createLogger({ level: "silent" });
const MINUTE = 60_000;
const RAW_WINDOW = 5 * MINUTE;
/** 2026-03-10T10:00:00Z: a day, an hour and a raw window start at once. */
const W0 = Date.UTC(2026, 2, 10, 10, 0, 0);
/** An agent id no adapter will ever have handed out in a fresh store (fits a 32-bit key). */
const NEVER_AN_AGENT = 2_000_000_000;

const bytesOf = (...values: number[]) => Uint8Array.from(values);

function chunk(agentId: number, tier: TierName, windowStart: number, bytes: Uint8Array, rowCount = 1, valueCount = 2): ChunkRecord {
  return { agentId, tier, windowStart, rowCount, valueCount, bytes };
}

/** What a test compares: every field, with the bytes as a plain array. */
const plain = (c: ChunkRecord) => ({ ...c, bytes: [...c.bytes] });

/** Usage as a tier → totals object, ignoring tiers an adapter lists with nothing in them. */
function usageByTier(usage: TierUsage[]): Partial<Record<TierName, Omit<TierUsage, "tier">>> {
  const out: Partial<Record<TierName, Omit<TierUsage, "tier">>> = {};
  for (const { tier, ...totals } of usage) if (totals.chunks > 0) out[tier] = totals;
  return out;
}

export function describeHistoryStoreContract(name: string, factory: () => Promise<HistoryStoreFixture>): void {
  describe(`HistoryStore contract: ${name}`, () => {
    let fixture: HistoryStoreFixture;
    let store: HistoryStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.close();
    });

    describe("chunks", () => {
      it("reads back what was put, bytes and counts equal", async () => {
        const agent = await fixture.createAgent();
        const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(0, 1, 2, 255, 0), 30, 1234), chunk(agent, "1m", W0, big, 60, 2400)]);

        const raw = await store.readChunks(agent, "raw", W0, W0);
        expect(raw.map(plain)).toEqual([{ agentId: agent, tier: "raw", windowStart: W0, rowCount: 30, valueCount: 1234, bytes: [0, 1, 2, 255, 0] }]);
        expect(raw[0]!.bytes).toBeInstanceOf(Uint8Array);
        const minute = await store.readChunks(agent, "1m", W0, W0);
        expect(minute).toHaveLength(1);
        expect(minute[0]!.bytes.byteLength).toBe(100_000);
        expect(Buffer.from(minute[0]!.bytes).equals(Buffer.from(big))).toBe(true);
      });

      it("replaces a chunk by (agent, tier, windowStart) and never duplicates it", async () => {
        const agent = await fixture.createAgent();
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(1, 1, 1), 3, 9)]);
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(2, 2), 2, 4)]);
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(2, 2), 2, 4)]);

        const read = await store.readChunks(agent, "raw", W0 - RAW_WINDOW, W0 + RAW_WINDOW);
        expect(read.map(plain)).toEqual([{ agentId: agent, tier: "raw", windowStart: W0, rowCount: 2, valueCount: 4, bytes: [2, 2] }]);
        expect(usageByTier(await store.usage())).toEqual({ raw: { chunks: 1, rows: 2, values: 4, bytes: 2 } });
      });

      it("takes the last of two chunks with the same identity in one call", async () => {
        const agent = await fixture.createAgent();
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(1), 1, 1), chunk(agent, "raw", W0, bytesOf(9, 9), 5, 5)]);
        expect((await store.readChunks(agent, "raw", W0, W0)).map(plain)).toEqual([
          { agentId: agent, tier: "raw", windowStart: W0, rowCount: 5, valueCount: 5, bytes: [9, 9] },
        ]);
      });

      it("accepts an empty batch", async () => {
        await store.putChunks([]);
        expect(usageByTier(await store.usage())).toEqual({});
      });
    });

    describe("readChunks ranges", () => {
      let agent: number;
      let other: number;
      const windows = [0, 1, 2, 3].map((i) => W0 + i * RAW_WINDOW);
      beforeEach(async () => {
        agent = await fixture.createAgent();
        other = await fixture.createAgent();
        // Put out of order, and in neighbouring tiers and agents at the same windows.
        await store.putChunks([3, 1, 0, 2].map((i) => chunk(agent, "raw", windows[i]!, bytesOf(i))));
        await store.putChunks(windows.map((w) => chunk(agent, "1m", w, bytesOf(100))));
        await store.putChunks(windows.map((w) => chunk(other, "raw", w, bytesOf(200))));
      });

      it.each([
        { name: "both bounds inclusive", from: 1, to: 2, expected: [1, 2] },
        { name: "a single window", from: 1, to: 1, expected: [1] },
        { name: "everything", from: -10, to: 10, expected: [0, 1, 2, 3] },
        { name: "bounds just inside the neighbours exclude them", from: 0.0001, to: 2.9999, expected: [1, 2] },
        { name: "between two windows", from: 1.5, to: 1.9, expected: [] },
        { name: "after the last", from: 3.5, to: 20, expected: [] },
        { name: "a reversed range", from: 2, to: 1, expected: [] },
      ])("$name, oldest first", async ({ from, to, expected }) => {
        const at = (i: number) => Math.round(W0 + i * RAW_WINDOW);
        const read = await store.readChunks(agent, "raw", at(from), at(to));
        expect(read.map((c) => [c.agentId, c.tier, c.windowStart, c.bytes[0]])).toEqual(expected.map((i) => [agent, "raw", windows[i], i]));
      });

      it("keeps tiers and agents apart", async () => {
        const end = windows[3]!;
        expect((await store.readChunks(agent, "1m", W0, end)).map((c) => [c.agentId, c.tier, c.bytes[0]])).toEqual(
          windows.map(() => [agent, "1m", 100]),
        );
        expect((await store.readChunks(other, "raw", W0, end)).map((c) => [c.agentId, c.tier, c.bytes[0]])).toEqual(
          windows.map(() => [other, "raw", 200]),
        );
        expect(await store.readChunks(other, "1m", W0, end)).toEqual([]);
        expect(await store.readChunks(agent, "1h", W0, end)).toEqual([]);
      });
    });

    describe("putChunks is all or none", () => {
      it.each([
        { name: "a chunk without bytes", bad: (agent: number) => ({ ...chunk(agent, "raw", W0 + 2 * RAW_WINDOW, bytesOf(1)), bytes: null as unknown as Uint8Array }) },
        { name: "a chunk whose row count is not a number", bad: (agent: number) => chunk(agent, "raw", W0 + 2 * RAW_WINDOW, bytesOf(1), NaN) },
      ])("rejects a batch holding $name and writes nothing of it", async ({ bad }) => {
        const agent = await fixture.createAgent();
        await store.putChunks([chunk(agent, "raw", W0, bytesOf(1), 1, 1)]);

        const batch = [chunk(agent, "raw", W0, bytesOf(7, 7), 2, 2), chunk(agent, "raw", W0 + RAW_WINDOW, bytesOf(8)), bad(agent)];
        await expect(store.putChunks(batch)).rejects.toThrow();

        expect((await store.readChunks(agent, "raw", W0 - RAW_WINDOW, W0 + 10 * RAW_WINDOW)).map(plain)).toEqual([
          { agentId: agent, tier: "raw", windowStart: W0, rowCount: 1, valueCount: 1, bytes: [1] },
        ]);
      });
    });

    describe("agents that do not exist", () => {
      it("drops chunks of an agent that never existed, silently, and keeps the rest of the batch", async () => {
        const agent = await fixture.createAgent();
        await store.putChunks([chunk(NEVER_AN_AGENT, "raw", W0, bytesOf(1)), chunk(agent, "raw", W0, bytesOf(2)), chunk(NEVER_AN_AGENT, "1h", W0, bytesOf(3))]);
        expect(await store.readChunks(NEVER_AN_AGENT, "raw", W0, W0)).toEqual([]);
        expect(await store.readChunks(NEVER_AN_AGENT, "1h", W0, W0)).toEqual([]);
        expect((await store.readChunks(agent, "raw", W0, W0)).map((c) => [...c.bytes])).toEqual([[2]]);
        expect(usageByTier(await store.usage())).toEqual({ raw: { chunks: 1, rows: 1, values: 2, bytes: 1 } });
      });

      it("removes a deleted agent's chunks and drops chunks that arrive for it later", async () => {
        const gone = await fixture.createAgent();
        const kept = await fixture.createAgent();
        const tiers: TierName[] = ["raw", "1m", "1h"];
        await store.putChunks(tiers.flatMap((tier) => [chunk(gone, tier, W0, bytesOf(1)), chunk(kept, tier, W0, bytesOf(2))]));

        await fixture.deleteAgent(gone);
        for (const tier of tiers) expect(await store.readChunks(gone, tier, W0, W0)).toEqual([]);
        await store.putChunks([chunk(gone, "raw", W0 + RAW_WINDOW, bytesOf(4))]);

        expect(await store.readChunks(gone, "raw", W0, W0 + RAW_WINDOW)).toEqual([]);
        for (const tier of tiers) expect((await store.readChunks(kept, tier, W0, W0)).map((c) => [...c.bytes])).toEqual([[2]]);
        const usage = usageByTier(await store.usage());
        expect(usage).toEqual({ raw: { chunks: 1, rows: 1, values: 2, bytes: 1 }, "1m": { chunks: 1, rows: 1, values: 2, bytes: 1 }, "1h": { chunks: 1, rows: 1, values: 2, bytes: 1 } });
      });
    });

    describe("prune", () => {
      let a: number;
      let b: number;
      const windows = Array.from({ length: 10 }, (_, i) => W0 + i * RAW_WINDOW);
      beforeEach(async () => {
        a = await fixture.createAgent();
        b = await fixture.createAgent();
        for (const agent of [a, b]) {
          await store.putChunks(windows.map((w) => chunk(agent, "raw", w, bytesOf(1))));
          await store.putChunks(windows.map((w) => chunk(agent, "1m", w, bytesOf(2))));
        }
      });
      const starts = async (agent: number, tier: TierName) => (await store.readChunks(agent, tier, 0, Number.MAX_SAFE_INTEGER)).map((c) => c.windowStart);

      it("lists the agents with a chunk of a tier from a window on, once each, ascending", async () => {
        const c = await fixture.createAgent();
        await store.putChunks([chunk(c, "1h", windows[9]!, bytesOf(3))]);
        expect(await store.agentsWithChunksSince("raw", W0)).toEqual([a, b].sort((x, y) => x - y));
        expect(await store.agentsWithChunksSince("raw", windows[9]!)).toEqual([a, b].sort((x, y) => x - y));
        expect(await store.agentsWithChunksSince("raw", windows[9]! + 1)).toEqual([]);
        expect(await store.agentsWithChunksSince("1h", W0)).toEqual([c]);
      });

      it("deletes only the tier's chunks that start before the window, of every agent", async () => {
        expect(await store.prune("raw", windows[4]!, 100)).toBe(8);
        expect(await starts(a, "raw")).toEqual(windows.slice(4));
        expect(await starts(b, "raw")).toEqual(windows.slice(4));
        expect(await starts(a, "1m")).toEqual(windows);
        expect(await starts(b, "1m")).toEqual(windows);
        expect(await store.prune("raw", windows[4]!, 100)).toBe(0);
        expect(await store.prune("1h", Number.MAX_SAFE_INTEGER, 100)).toBe(0);
      });

      it("keeps a chunk that starts exactly at the window and drops the one a millisecond older", async () => {
        expect(await store.prune("1m", windows[9]!, 100)).toBe(18);
        expect(await starts(a, "1m")).toEqual([windows[9]]);
        expect(await store.prune("1m", windows[9]! + 1, 100)).toBe(2);
        expect(await starts(a, "1m")).toEqual([]);
      });

      it("deletes at most maxChunks per call and says how many", async () => {
        const counts: number[] = [];
        for (let i = 0; i < 6; i++) counts.push(await store.prune("raw", windows[5]!, 3));
        expect(counts).toEqual([3, 3, 3, 1, 0, 0]);
        expect([...(await starts(a, "raw")), ...(await starts(b, "raw"))]).toEqual([...windows.slice(5), ...windows.slice(5)]);
        expect(usageByTier(await store.usage()).raw).toEqual({ chunks: 10, rows: 10, values: 20, bytes: 10 });
      });

      it("can give freed space back afterwards without losing what was kept", async () => {
        expect(await store.prune("raw", Number.MAX_SAFE_INTEGER, 1000)).toBe(20);
        await store.reclaimSpace();
        await store.reclaimSpace();
        expect(await starts(a, "1m")).toEqual(windows);
        expect(await starts(a, "raw")).toEqual([]);
      });
    });

    describe("cursors", () => {
      it("are undefined until set, then hold the last value set, each name on its own", async () => {
        expect(await store.getCursor("history.test")).toBeUndefined();
        await store.setCursor("history.test", 1_767_225_600_123);
        await store.setCursor("other", 5);
        expect(await store.getCursor("history.test")).toBe(1_767_225_600_123);
        await store.setCursor("history.test", 42);
        expect(await store.getCursor("history.test")).toBe(42);
        await store.setCursor("history.test", 0);
        expect(await store.getCursor("history.test")).toBe(0);
        expect(await store.getCursor("other")).toBe(5);
        expect(await store.getCursor("History.Test")).toBeUndefined();
      });
    });

    describe("usage", () => {
      it("is empty for an empty store", async () => {
        expect(usageByTier(await store.usage())).toEqual({});
      });

      it("totals chunks, rows, values and bytes per tier", async () => {
        const a = await fixture.createAgent();
        const b = await fixture.createAgent();
        await store.putChunks([
          chunk(a, "raw", W0, bytesOf(1, 2, 3), 30, 300),
          chunk(b, "raw", W0, bytesOf(1, 2, 3, 4, 5), 29, 290),
          chunk(a, "raw", W0 + RAW_WINDOW, bytesOf(9), 1, 10),
          chunk(a, "1h", W0, new Uint8Array(1000), 24, 960),
        ]);
        const usage = await store.usage();
        expect(usageByTier(usage)).toEqual({
          raw: { chunks: 3, rows: 60, values: 600, bytes: 9 },
          "1h": { chunks: 1, rows: 24, values: 960, bytes: 1000 },
        });
        for (const entry of usage) expect([typeof entry.chunks, typeof entry.rows, typeof entry.values, typeof entry.bytes]).toEqual(["number", "number", "number", "number"]);
      });
    });

    describe("through the codec, the writer and the reader", () => {
      const tiers = resolveTiers();
      const raw = tierNamed(tiers, "raw");
      const all = () => true;
      let agent: number;
      beforeEach(async () => {
        agent = await fixture.createAgent();
      });

      /** Three samples whose every field needs rounding, and the values history keeps of them (worked out by hand). */
      const fixtureSamples = (agentId: number): Array<{ sample: Sample; kept: SeriesValues }> => [
        {
          sample: {
            agent_id: agentId,
            timestamp: W0 + 10_000,
            cpu: { usage_percent: 12.3456, per_core_usage: [10.111, 20.229], load_avg: [0.126, 1.004, 2] },
            memory: { used_percent: 45.678, used: 8_000_000_000.4, total: 16_000_000_000, available: 7_999_999_999.6 },
            disks: [{ mountpoint: "/mnt/My Disk", used_percent: 33.333, used: 1000.7, free: 2000.2, total: 3001 }],
            network: { bytes_sent: 1000, bytes_recv_per_s: 1234.567, interfaces: [{ name: "eth0", bytes_sent: 1000, bytes_recv_per_s: 1234.567 }] },
          },
          kept: {
            "cpu.usage": 12.35,
            "cpu.core.0.usage": 10.11,
            "cpu.core.1.usage": 20.23,
            "load.load1": 0.13,
            "load.load5": 1,
            "load.load15": 2,
            "mem.used_percent": 45.68,
            "mem.used": 8_000_000_000,
            "mem.total": 16_000_000_000,
            "mem.available": 8_000_000_000,
            "disk.used_percent|/mnt/My Disk": 33.33,
            "disk.used|/mnt/My Disk": 1001,
            "disk.free|/mnt/My Disk": 2000,
            "disk.total|/mnt/My Disk": 3001,
            "net.bytes_sent": 1000,
            "net.bytes_recv_per_s": 1234.57,
            "net.bytes_sent|eth0": 1000,
            "net.bytes_recv_per_s|eth0": 1234.57,
          },
        },
        {
          sample: { agent_id: agentId, timestamp: W0 + 20_000, cpu: { usage_percent: 99.996, per_core_usage: [0.004, 100] }, memory: { used_percent: 0.557 } },
          kept: { "cpu.usage": 100, "cpu.core.0.usage": 0, "cpu.core.1.usage": 100, "mem.used_percent": 0.56 },
        },
        {
          sample: {
            agent_id: agentId,
            timestamp: W0 + 30_000,
            cpu: { usage_percent: 0.5 },
            network: { bytes_sent: 2_000_000_000_123, bytes_recv_per_s: 0.004, interfaces: [{ name: "eth0", bytes_sent: 2_000_000_000_123, bytes_recv_per_s: 0.006 }] },
          },
          kept: { "cpu.usage": 0.5, "net.bytes_sent": 2_000_000_000_123, "net.bytes_recv_per_s": 0, "net.bytes_sent|eth0": 2_000_000_000_123, "net.bytes_recv_per_s|eth0": 0.01 },
        },
      ];

      /** The series map readSeries should give for raw points: one count-1 bucket per kept value, in time order. */
      function expectedSeries(rows: Array<{ t: number; kept: SeriesValues }>): Map<string, Bucket[]> {
        const out = new Map<string, Bucket[]>();
        for (const { t, kept } of [...rows].sort((x, y) => x.t - y.t)) {
          for (const [key, v] of Object.entries(kept)) {
            const list = out.get(key) ?? [];
            out.set(key, list);
            list.push({ start: t, avg: v, min: v, max: v, count: 1 });
          }
        }
        return out;
      }
      const sortedByKey = (m: Map<string, Bucket[]>) => new Map([...m].sort(([x], [y]) => (x < y ? -1 : 1)));
      const readAll = async (from = W0, to = W0 + 10 * RAW_WINDOW) => sortedByKey(await readSeries(store, agent, raw, { start: from, stop: to }, all));
      const rawChunks = async () => (await store.readChunks(agent, "raw", 0, Number.MAX_SAFE_INTEGER)).map(plain);
      const cpuSample = (t: number, v: number): Sample => ({ agent_id: agent, timestamp: t, cpu: { usage_percent: v } });
      const cpuTimes = async () => ((await readAll(W0 - 10 * RAW_WINDOW)).get("cpu.usage") ?? []).map((b) => [b.start, b.avg]);

      it("stores accepted samples so that readSeries gives exactly the kept values", async () => {
        const writer = new HistoryWriter(store, tiers, logger);
        const items = fixtureSamples(agent);
        writer.accept([items[2]!, items[0]!, items[1]!].map(({ sample }) => ({ agent_id: agent, sample })));
        expect(writer.pendingRows).toBe(3);
        await writer.flush();
        expect(writer.pendingRows).toBe(0);

        expect(await readAll()).toEqual(sortedByKey(expectedSeries(items.map(({ sample, kept }) => ({ t: sample.timestamp, kept })))));
        const chunks = await rawChunks();
        expect(chunks.map((c) => [c.windowStart, c.rowCount, c.valueCount])).toEqual([[W0, 3, 18 + 4 + 5]]);
      });

      it("reads only the wanted series", async () => {
        const writer = new HistoryWriter(store, tiers, logger);
        writer.accept(fixtureSamples(agent).map(({ sample }) => ({ agent_id: agent, sample })));
        await writer.flush();
        const series = await readSeries(store, agent, raw, { start: W0, stop: W0 + RAW_WINDOW }, (key) => key.startsWith("disk."));
        expect([...series.keys()].sort()).toEqual(["disk.free|/mnt/My Disk", "disk.total|/mnt/My Disk", "disk.used_percent|/mnt/My Disk", "disk.used|/mnt/My Disk"]);
        expect(series.get("disk.used|/mnt/My Disk")).toEqual([{ start: W0 + 10_000, avg: 1001, min: 1001, max: 1001, count: 1 }]);
      });

      it("changes nothing when the same samples are accepted and flushed again, by the same writer or a new one", async () => {
        const items = fixtureSamples(agent);
        const entries = items.map(({ sample }) => ({ agent_id: agent, sample }));
        const writer = new HistoryWriter(store, tiers, logger);
        writer.accept(entries);
        await writer.flush();
        const first = await rawChunks();
        const series = await readAll();

        writer.accept(entries);
        await writer.flush();
        expect(await rawChunks()).toEqual(first);

        // After a restart the journal replays what was already written.
        const restarted = new HistoryWriter(store, tiers, logger);
        restarted.accept([...entries].reverse());
        await restarted.flush();
        expect(await rawChunks()).toEqual(first);
        expect(await readAll()).toEqual(series);
        expect(first.map((c) => c.rowCount)).toEqual([3]);
      });

      it("merges late samples into a window already written, whether the writer still holds it or not", async () => {
        const writer = new HistoryWriter(store, tiers, logger);
        writer.accept([cpuSample(W0, 1), cpuSample(W0 + 20_000, 3)].map((sample) => ({ agent_id: agent, sample })));
        await writer.flush();
        // Late into the window the writer still holds.
        writer.accept([{ agent_id: agent, sample: cpuSample(W0 + 10_000, 2) }]);
        await writer.flush();
        expect(await cpuTimes()).toEqual([[W0, 1], [W0 + 10_000, 2], [W0 + 20_000, 3]]);

        // The writer moves on to the next window and lets the first one go; then a late one arrives there.
        writer.accept([{ agent_id: agent, sample: cpuSample(W0 + RAW_WINDOW, 10) }]);
        await writer.flush();
        writer.accept([{ agent_id: agent, sample: cpuSample(W0 + 30_000, 4) }]);
        await writer.flush();
        // And a writer that never saw the window (after a restart) back-fills into it too.
        const restarted = new HistoryWriter(store, tiers, logger);
        restarted.accept([{ agent_id: agent, sample: cpuSample(W0 + 299_999, 5) }, { agent_id: agent, sample: cpuSample(W0 - 1, 0.25) }]);
        await restarted.flush();

        expect(await cpuTimes()).toEqual([
          [W0 - 1, 0.25],
          [W0, 1],
          [W0 + 10_000, 2],
          [W0 + 20_000, 3],
          [W0 + 30_000, 4],
          [W0 + 299_999, 5],
          [W0 + RAW_WINDOW, 10],
        ]);
        expect((await rawChunks()).map((c) => [c.windowStart, c.rowCount, c.valueCount])).toEqual([
          [W0 - RAW_WINDOW, 1, 1],
          [W0, 5, 5],
          [W0 + RAW_WINDOW, 1, 1],
        ]);
      });

      it("keeps one row per timestamp when a timestamp is accepted twice before a flush", async () => {
        const writer = new HistoryWriter(store, tiers, logger);
        writer.accept([{ agent_id: agent, sample: cpuSample(W0, 1) }, { agent_id: agent, sample: cpuSample(W0, 1) }]);
        expect(writer.pendingRows).toBe(1);
        await writer.flush();
        expect((await rawChunks()).map((c) => [c.rowCount, c.valueCount])).toEqual([[1, 1]]);
      });

      describe("readSeries at window boundaries", () => {
        const times = [W0 - 1000, W0, W0 + 1000, W0 + RAW_WINDOW - 1000, W0 + RAW_WINDOW, W0 + 2 * RAW_WINDOW];
        beforeEach(async () => {
          const rows: Rows = new Map(times.map((t, i) => [t, { "cpu.usage": i + 1 }]));
          // Written straight through the codec, one chunk per window, as the writer would.
          const byWindow = new Map<number, Rows>();
          for (const [t, values] of rows) {
            const w = Math.floor(t / RAW_WINDOW) * RAW_WINDOW;
            byWindow.set(w, (byWindow.get(w) ?? new Map()).set(t, values));
          }
          await store.putChunks([...byWindow].map(([w, windowRows]) => ({ agentId: agent, tier: "raw" as const, windowStart: w, ...encodeRows(windowRows) })));
        });

        it.each([
          { name: "a whole window, stop one ms before the next", start: W0, stop: W0 + RAW_WINDOW - 1, expected: [W0, W0 + 1000, W0 + RAW_WINDOW - 1000] },
          { name: "stop exactly on the next window's first point is inclusive", start: W0, stop: W0 + RAW_WINDOW, expected: [W0, W0 + 1000, W0 + RAW_WINDOW - 1000, W0 + RAW_WINDOW] },
          { name: "start exactly on a point is inclusive", start: W0 - 1000, stop: W0, expected: [W0 - 1000, W0] },
          { name: "start one ms after a point excludes it", start: W0 + 1, stop: W0 + 1000, expected: [W0 + 1000] },
          { name: "one instant", start: W0 + RAW_WINDOW, stop: W0 + RAW_WINDOW, expected: [W0 + RAW_WINDOW] },
          { name: "between two points", start: W0 + 1, stop: W0 + 999, expected: [] },
          { name: "across three windows", start: W0 - 1000, stop: W0 + 2 * RAW_WINDOW, expected: times },
          { name: "a window with no chunk", start: W0 + 3 * RAW_WINDOW, stop: W0 + 4 * RAW_WINDOW - 1, expected: [] },
        ])("$name", async ({ start, stop, expected }) => {
          const series = await readSeries(store, agent, raw, { start, stop }, all);
          const buckets = series.get("cpu.usage") ?? [];
          expect(buckets.map((b) => b.start)).toEqual(expected);
          expect(buckets.map((b) => b.avg)).toEqual(expected.map((t) => times.indexOf(t) + 1));
          if (expected.length === 0) expect(series.size).toBe(0);
        });
      });
    });
  });
}
