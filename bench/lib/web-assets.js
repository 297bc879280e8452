/** What a browser downloads before the dashboard can start: the scripts and styles index.html references, raw and gzip-compressed. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** Sizes of index.html's own script, stylesheet and modulepreload references (the initial load), and of every built JS file (lazy chunks included). */
export function initialAssetSizes(distDir) {
  const html = readFileSync(path.join(distDir, "index.html"), "utf8");
  const referenced = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const sizeOf = (file) => {
    const bytes = readFileSync(path.join(distDir, file));
    // Level 9, as a precompressing build would; the hub serves the build's own .gz/.br files.
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const initial = referenced.map(sizeOf);
  const allJs = readdirSync(path.join(distDir, "assets"))
    .filter((name) => name.endsWith(".js"))
    .map((name) => sizeOf(`assets/${name}`));
  const sum = (list, kind, key) => list.filter((a) => a.file.endsWith(kind)).reduce((total, a) => total + a[key], 0);
  return {
    files: initial,
    js: { raw: sum(initial, ".js", "raw"), gzip: sum(initial, ".js", "gzip") },
    css: { raw: sum(initial, ".css", "raw"), gzip: sum(initial, ".css", "gzip") },
    allJs: { count: allJs.length, raw: sum(allJs, ".js", "raw"), gzip: sum(allJs, ".js", "gzip") },
  };
}
