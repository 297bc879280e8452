/** Sampler tests: every fixture and this machine give samples the protocol accepts, families fail alone, samples never overlap. */
import { fileURLToPath } from "node:url";
import { agentFacts, batchSample } from "@statusmonitor/protocol";
import { describe, expect, test } from "vitest";
import { createSampler } from "./sampler.js";
import { liveSource, recordedSource, type SystemSource } from "./source.js";
import { VERSION } from "./version.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url));

/** A source that reads whichever snapshot is current, so one sampler can see t0 and then t1. */
function switchable(first: SystemSource): { source: SystemSource; use(next: SystemSource): void } {
  let current = first;
  return {
    use: (next) => void (current = next),
    source: {
      readText: (f) => current.readText(f),
      listDir: (d) => current.listDir(d),
      statfs: (m) => current.statfs(m),
      hostname: () => current.hostname(),
    },
  };
}

describe("createSampler on the fixtures", () => {
  test.each(["vm-2core-debian12", "desktop-16core-cpufreq", "server-many-mounts"])("%s: two samples and the facts validate", async (name) => {
    const [t0, t1] = await Promise.all([recordedSource(fixture(name), "t0"), recordedSource(fixture(name), "t1")]);
    const s = switchable(t0);
    const sampler = createSampler(s.source, "linux");
    const first = await sampler.sample(1_700_000_000_000);
    expect(first.cpu?.usage_percent).toBeUndefined();
    s.use(t1);
    const second = await sampler.sample(1_700_000_001_000);
    expect(second.timestamp).toBe(1_700_000_001_000);
    expect(second.cpu?.usage_percent).toBeGreaterThan(0);
    for (const [seq, body] of [first, second].entries()) {
      const parsed = batchSample.safeParse({ ...body, seq });
      expect(parsed.error?.issues ?? []).toEqual([]);
      // Nothing the sampler produces is dropped by the schema (a misspelt key would be).
      expect(parsed.data).toEqual({ ...body, seq });
    }
    const facts = await sampler.facts();
    expect(agentFacts.parse(facts)).toEqual(facts);
    expect(facts.version).toBe(VERSION);
    expect(second.disks!.length).toBeGreaterThan(0);
    expect(second.network!.interfaces.length).toBeGreaterThan(0);
  });

  test("one family failing costs only that family", async () => {
    const base = await recordedSource(fixture("desktop-16core-cpufreq"), "t0");
    const source: SystemSource = {
      ...base,
      readText: async (f) => {
        if (f === "/proc/meminfo") throw new Error("boom");
        return base.readText(f);
      },
    };
    const body = await createSampler(source, "linux").sample(1);
    expect(body.memory).toBeUndefined();
    expect(body.cpu?.count_logical).toBe(16);
    expect(body.temperatures?.length).toBe(9);
  });

  test("samples asked for at once are taken one after another, each a difference from the one before", async () => {
    const [t0, t1] = await Promise.all([recordedSource(fixture("server-many-mounts"), "t0"), recordedSource(fixture("server-many-mounts"), "t1")]);
    let reads = 0;
    const source: SystemSource = { ...t0, readText: (f) => (f === "/proc/stat" && reads++ > 0 ? t1 : t0).readText(f) };
    const sampler = createSampler(source, "linux");
    const [a, b] = await Promise.all([sampler.sample(1), sampler.sample(2)]);
    expect(a.cpu?.usage_percent).toBeUndefined();
    expect(b.cpu?.usage_percent).toBe(25);
  });
});

describe("createSampler on this machine", () => {
  test("Linux: a live sample and the facts validate", async () => {
    const sampler = createSampler(liveSource(), "linux");
    await sampler.sample(Date.now());
    const body = await sampler.sample(Date.now());
    expect(batchSample.safeParse({ ...body, seq: 1 }).error?.issues ?? []).toEqual([]);
    expect(body.memory?.total).toBeGreaterThan(0);
    expect(agentFacts.safeParse(await sampler.facts()).success).toBe(true);
  });

  test("the portable collectors also run here and validate (what macOS and Windows would send)", async () => {
    for (const platform of ["darwin", "win32"] as const) {
      const sampler = createSampler(liveSource(), platform);
      await sampler.sample(Date.now());
      const body = await sampler.sample(Date.now());
      expect(batchSample.safeParse({ ...body, seq: 0 }).error?.issues ?? []).toEqual([]);
      expect(body.memory?.total).toBeGreaterThan(0);
      expect(body.network).toBeUndefined();
      expect(agentFacts.safeParse(await sampler.facts()).success).toBe(true);
    }
  });

  test("a sample costs little: under 2 ms of CPU on average", async () => {
    const sampler = createSampler();
    await sampler.sample(Date.now());
    const before = process.cpuUsage();
    for (let i = 0; i < 50; i++) await sampler.sample(Date.now());
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 50 / 1000).toBeLessThan(2);
  });
});
