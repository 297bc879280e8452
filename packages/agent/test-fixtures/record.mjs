// Records the files the Linux collectors read from this machine into test-fixtures/<name>/t0 and t1 (a second apart),
// with the hostname and every mountpoint's statfs answer in <name>/fixture.json.
// Usage: node packages/agent/test-fixtures/record.mjs <name>
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[\w.-]+$/.test(name)) {
  process.stderr.write("usage: node record.mjs <fixture-name>\n");
  process.exit(2);
}
const out = path.join(path.dirname(new URL(import.meta.url).pathname), name);

const list = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

function filesToCopy() {
  const files = [
    "/proc/stat", "/proc/cpuinfo", "/proc/loadavg", "/proc/meminfo", "/proc/self/mountinfo", "/proc/filesystems",
    "/proc/diskstats", "/proc/net/dev", "/proc/uptime", "/proc/sys/kernel/osrelease", "/etc/os-release",
  ];
  for (const disk of list("/sys/block")) files.push(`/sys/block/${disk}/dev`);
  for (const disk of list("/sys/devices/virtual/block")) files.push(`/sys/devices/virtual/block/${disk}/dev`);
  for (const cpu of list("/sys/devices/system/cpu").filter((n) => /^cpu\d+$/.test(n))) {
    for (const f of ["scaling_cur_freq", "cpuinfo_min_freq", "cpuinfo_max_freq"]) files.push(`/sys/devices/system/cpu/${cpu}/cpufreq/${f}`);
  }
  for (const chip of list("/sys/class/hwmon")) {
    const dir = `/sys/class/hwmon/${chip}`;
    files.push(`${dir}/name`, ...list(dir).filter((f) => /^temp\d+_(input|label)$/.test(f)).map((f) => `${dir}/${f}`));
  }
  return files;
}

function snapshot(dir) {
  for (const file of filesToCopy()) {
    if (!existsSync(file)) continue;
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    // /proc and /sys files report size 0, so they are read rather than copied.
    try {
      writeFileSync(target, readFileSync(file));
    } catch {
      copyFileSync(file, target);
    }
  }
}

const decode = (field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
async function statfsAll() {
  const answers = {};
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter(Boolean)) {
    const mountpoint = decode(line.split(" ")[4]);
    try {
      const s = await statfs(mountpoint);
      answers[mountpoint] = { totalBytes: s.blocks * s.bsize, freeBytes: s.bfree * s.bsize, availableBytes: s.bavail * s.bsize };
    } catch {
      // unreadable mountpoints have no answer, as on the live machine
    }
  }
  return answers;
}

mkdirSync(out, { recursive: true });
snapshot(path.join(out, "t0"));
const statfsAnswers = await statfsAll();
await new Promise((resolve) => setTimeout(resolve, 1000));
snapshot(path.join(out, "t1"));
const meta = { hostname: os.hostname(), recorded: new Date().toISOString(), arch: process.arch, statfs: statfsAnswers };
writeFileSync(path.join(out, "fixture.json"), `${JSON.stringify(meta, null, 2)}\n`);
process.stdout.write(`recorded ${out}\n`);
