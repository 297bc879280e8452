/** Prints the functions with the most self time in a V8 `.cpuprofile` (from `node --cpu-prof`): `node bench/profile-top.js FILE [N]`. */
import { readFileSync } from "node:fs";
import path from "node:path";

/** Self time per function (name + file + line), largest first, in milliseconds and percent of the total. */
export function topSelfTime(profile, limit = 30) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  return [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / total }));
}

/**
 * Milliseconds of samples spent inside any call of a function that `match(callFrame)` accepts,
 * callees included (each sample counted once, however deep the recursion), and the profile's total.
 */
export function inclusiveTime(profile, match) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inside = new Map();
  const isInside = (id) => {
    if (inside.has(id)) return inside.get(id);
    const node = byId.get(id);
    const up = parent.get(id);
    const result = match(node.callFrame) || (up !== undefined && isInside(up));
    inside.set(id, result);
    return result;
  };
  let us = 0;
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    if (isInside(id)) us += delta;
  });
  return { ms: us / 1000, totalMs: totalUs / 1000 };
}

function shorten(url) {
  const file = url.replace(/^file:\/\//, "");
  const modules = file.lastIndexOf("node_modules/");
  if (modules >= 0) return file.slice(modules + "node_modules/".length);
  const dist = file.indexOf("/dist/");
  return dist >= 0 ? file.slice(file.lastIndexOf("/", dist - 1) + 1) : path.basename(file);
}

export function printTop(file, limit = 30) {
  const rows = topSelfTime(JSON.parse(readFileSync(file, "utf8")), limit);
  console.log(`\nTop ${rows.length} functions by self time in ${file}`);
  for (const row of rows) console.log(`${row.percent.toFixed(1).padStart(6)} %  ${row.ms.toFixed(0).padStart(8)} ms  ${row.name}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  if (!process.argv[2]) {
    console.error("usage: node bench/profile-top.js FILE.cpuprofile [N]");
    process.exit(2);
  }
  printTop(process.argv[2], Number(process.argv[3] ?? 30));
}
