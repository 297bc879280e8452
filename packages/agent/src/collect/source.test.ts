/** Source tests: a fixture tree reads under its root, and the live source reads /proc, lists /sys and answers statfs. */
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { fixtureSource, liveSource } from "./source.js";

let dir = "";
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

describe("fixtureSource", () => {
  test("reads and lists under its root; absent files are undefined, absent directories empty", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "sm-source-"));
    await mkdir(path.join(dir, "proc/net"), { recursive: true });
    await writeFile(path.join(dir, "proc/net/dev"), "x");
    const source = fixtureSource(dir, { hostname: "h", statfs: { "/": { totalBytes: 3, freeBytes: 2, availableBytes: 1 } } });
    expect(await source.readText("/proc/net/dev")).toBe("x");
    expect(await source.readText("/proc/stat")).toBeUndefined();
    expect(await source.listDir("/proc")).toEqual(["net"]);
    expect(await source.listDir("/sys/block")).toEqual([]);
    expect(await source.statfs("/")).toEqual({ totalBytes: 3, freeBytes: 2, availableBytes: 1 });
    expect(await source.statfs("/data")).toBeUndefined();
    expect(source.hostname()).toBe("h");
  });
});

describe("liveSource", () => {
  test("reads /proc and other files, lists directories, and says undefined or [] for what is not there", async () => {
    const source = liveSource();
    expect(await source.readText("/proc/loadavg")).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+ /);
    expect(await source.readText("/etc/os-release")).toContain("NAME=");
    expect(await source.readText("/proc/does-not-exist")).toBeUndefined();
    expect(await source.listDir("/sys/block")).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(await source.listDir("/does/not/exist")).toEqual([]);
    expect(await source.statfs("/does/not/exist")).toBeUndefined();
    expect(source.hostname()).toBe(os.hostname());
  });

  test("statfs of / agrees with stat -f", async () => {
    const space = (await liveSource().statfs("/"))!;
    // %S fundamental block size, %b total blocks, %a blocks available to users.
    const [blockSize, blocks, available] = execFileSync("stat", ["-f", "-c", "%S %b %a", "/"], { encoding: "utf8" }).trim().split(" ").map(Number);
    expect(space.totalBytes).toBe(blockSize! * blocks!);
    expect(Math.abs(space.availableBytes - blockSize! * available!)).toBeLessThanOrEqual(space.totalBytes * 0.01);
    expect(space.freeBytes).toBeGreaterThanOrEqual(space.availableBytes);
  });
});
