/** Host fact tests: os-release quoting, the fixtures' facts, and this machine against uname, hostname and /proc/uptime. */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { fixtureSource, liveSource, recordedSource, type SystemSource } from "../source.js";
import { collectUptime, osReleaseValue, readHostFacts, readOsName, readStaticHostFacts } from "./host.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));

describe("os-release", () => {
  test.each([
    ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', "Debian GNU/Linux 12 (bookworm)"],
    ["PRETTY_NAME='Arch Linux'", "Arch Linux"],
    ["PRETTY_NAME=Alpine", "Alpine"],
    ['PRETTY_NAME="Say \\"hi\\" \\$HOME"', 'Say "hi" $HOME'],
    ['PRETTY_NAME=""', undefined],
  ])("%s", (line, expected) => {
    expect(osReleaseValue(`NAME=x\n${line}\n`, "PRETTY_NAME")).toBe(expected);
  });

  test("without PRETTY_NAME: NAME and VERSION; without any file: Linux", async () => {
    const only = (text: string): SystemSource => ({ ...fixtureSource("/nonexistent"), readText: async (f) => (f === "/usr/lib/os-release" ? text : undefined) });
    expect(await readOsName(only('NAME="Gentoo"\nVERSION="2.15"\n'))).toBe("Gentoo 2.15");
    expect(await readOsName(fixtureSource("/nonexistent-statusmonitor-fixture"))).toBe("Linux");
  });
});

describe("host facts on the fixtures", () => {
  test.each([
    ["vm-2core-debian12", { hostname: "vm", os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.18.44-fc-v669", boot_time: 1_795_490_358_000 }, 3274.33],
    ["desktop-16core-cpufreq", { hostname: "ryzen-desktop", os: "Fedora Linux 40 (Workstation Edition)", kernel: "6.11.9-200.fc40.x86_64", boot_time: 1_732_431_600_000 }, 86401.26],
    ["server-many-mounts", { hostname: "storage-01", os: "Ubuntu 24.04.1 LTS", kernel: "6.8.0-49-generic", boot_time: 1_700_000_000_000 }, 8123457.79],
  ])("%s", async (name, expected, uptime) => {
    const source = await recordedSource(fixture(name), "t1");
    expect(await readHostFacts(source, await readStaticHostFacts(source), "x64")).toEqual({ ...expected, arch: "x64" });
    expect((await collectUptime(source, undefined, 0)).value).toBe(uptime);
  });
});

describe("host facts on this machine", () => {
  test("agree with hostname, uname -r, /etc/os-release and /proc/uptime", async () => {
    const source = liveSource();
    const facts = await readHostFacts(source, await readStaticHostFacts(source));
    expect(facts.hostname).toBe(os.hostname());
    expect(facts.kernel).toBe(execFileSync("uname", ["-r"], { encoding: "utf8" }).trim());
    expect(facts.arch).toBe(process.arch);
    const osRelease = await readFile("/etc/os-release", "utf8");
    expect(facts.os).toBe(/^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)![1]);

    const before = Number((await readFile("/proc/uptime", "utf8")).split(" ")[0]);
    const uptime = (await collectUptime(source, undefined, 0)).value!;
    const after = Number((await readFile("/proc/uptime", "utf8")).split(" ")[0]);
    expect(uptime).toBeGreaterThanOrEqual(before);
    expect(uptime).toBeLessThanOrEqual(after);
    // Boot time and uptime tell the same story, within the clock's and /proc's rounding.
    expect(Math.abs(facts.boot_time! + uptime * 1000 - Date.now())).toBeLessThan(2000);
  });
});
