/** Network tests: per-interface counters on the fixtures, and this machine against /proc/net/dev read by the test. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { fixtureSource, liveSource, recordedSource } from "../source.js";
import { collectNetwork, parseNetDev } from "./network.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));

describe("collectNetwork on the fixtures", () => {
  test("recorded VM: every interface but lo, counters as the kernel gives them", async () => {
    const { value } = await collectNetwork(await recordedSource(fixture("vm-2core-debian12"), "t1"), undefined, 0);
    const zero = { bytes_recv: 0, packets_recv: 0, errin: 0, dropin: 0, bytes_sent: 0, packets_sent: 0, errout: 0, dropout: 0 };
    expect(value).toEqual([
      { name: "ifb0", ...zero },
      { name: "ifb1", ...zero },
      { name: "eth0", bytes_recv: 467_690_147, packets_recv: 15_255, errin: 0, dropin: 0, bytes_sent: 1_715_590, packets_sent: 12_262, errout: 0, dropout: 0 },
    ]);
  });

  test("hand-made server: bridges and the VPN stay, loopback and container veths go", async () => {
    const { value } = await collectNetwork(await recordedSource(fixture("server-many-mounts"), "t1"), undefined, 0);
    expect(value!.map((i) => i.name)).toEqual(["eno1", "eno2", "docker0", "br-5d4c3b2a1f0e", "wg0"]);
    expect(value![0]).toEqual({
      name: "eno1", bytes_recv: 1_234_568_890_123, packets_recv: 987_655_321, errin: 2, dropin: 40,
      bytes_sent: 987_654_821_098, packets_sent: 765_432_609, errout: 0, dropout: 0,
    });
    expect(value![4]).toMatchObject({ name: "wg0", dropout: 7 });
  });

  test("counters are cumulative: the desktop's second snapshot is ahead of the first", async () => {
    const read = async (t: string) => (await collectNetwork(await recordedSource(fixture("desktop-16core-cpufreq"), t), undefined, 0)).value!;
    const [a, b] = [await read("t0"), await read("t1")];
    // enp5s0 received 98777932109 − 98765432109 = 12.5 MB in the second.
    expect(b[0]!.bytes_recv! - a[0]!.bytes_recv!).toBe(12_500_000);
    expect(b.map((i) => i.name)).toEqual(["enp5s0", "wlp4s0", "docker0"]);
  });

  test("header lines and malformed lines are skipped; no /proc/net/dev, no value", async () => {
    expect(parseNetDev("Inter-|   Receive |  Transmit\n face |bytes packets\n eth0: 1 2 3\n")).toEqual([]);
    expect((await collectNetwork(fixtureSource("/nonexistent-statusmonitor-fixture"), undefined, 0)).value).toBeUndefined();
  });
});

describe("collectNetwork on this machine", () => {
  test("the same interfaces as /proc/net/dev without lo, counters never behind an earlier reading", async () => {
    const read = async () => {
      const rows = new Map<string, number[]>();
      for (const line of (await readFile("/proc/net/dev", "utf8")).split("\n").slice(2)) {
        const [name, rest] = line.split(":");
        if (rest !== undefined) rows.set(name!.trim(), rest.trim().split(/\s+/).map(Number));
      }
      return rows;
    };
    const before = await read();
    const { value } = await collectNetwork(liveSource(), undefined, 0);
    const after = await read();
    const expectedNames = [...before.keys()].filter((n) => n !== "lo" && !n.startsWith("veth"));
    expect(value!.map((i) => i.name)).toEqual(expectedNames);
    for (const i of value!) {
      const [b, a] = [before.get(i.name)!, after.get(i.name)!];
      expect(i.bytes_recv).toBeGreaterThanOrEqual(b[0]!);
      expect(i.bytes_recv).toBeLessThanOrEqual(a[0]!);
      expect(i.packets_recv).toBeGreaterThanOrEqual(b[1]!);
      expect(i.bytes_sent).toBeGreaterThanOrEqual(b[8]!);
      expect(i.bytes_sent).toBeLessThanOrEqual(a[8]!);
      expect(i.packets_sent).toBeGreaterThanOrEqual(b[9]!);
    }
  });
});
