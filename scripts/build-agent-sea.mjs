/** Builds the agent's single-file forms from its compiled `dist/main.js`: one CommonJS bundle and a Node single executable application for this platform. */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { builtinModules, createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const AGENT_MAIN = path.join(ROOT, "packages/agent/dist/main.js");
const POSTJECT_CLI = createRequire(import.meta.url).resolve("postject/dist/cli.js");
// The fuse Node looks for to know a blob was injected (doc/api/single-executable-applications.md).
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const HELP = `Usage: npm run build:agent [-- options]   (or: node scripts/build-agent-sea.mjs after tsc -b packages/agent)

  --out-dir DIR    where to write statusmonitor-agent.cjs and the executable (default packages/agent/dist)
  --bundle-only    write only the CommonJS bundle (runs with any Node >= 20.19: node statusmonitor-agent.cjs)

The executable embeds the Node binary running this script (${process.version}, ${process.platform}-${process.arch}):
build on the platform you ship to. macOS needs Xcode's codesign; Windows gets an unsigned .exe.`;

const { values: flags } = parseArgs({
  options: {
    "out-dir": { type: "string", default: path.join(ROOT, "packages/agent/dist") },
    "bundle-only": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const outDir = path.resolve(flags["out-dir"]);
const bundlePath = path.join(outDir, "statusmonitor-agent.cjs");
const executablePath = path.join(outDir, process.platform === "win32" ? "statusmonitor-agent.exe" : "statusmonitor-agent");

if (!existsSync(AGENT_MAIN)) {
  console.error(`${path.relative(ROOT, AGENT_MAIN)} is missing: run npx tsc -b packages/agent first (npm run build:agent does)`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

await bundle();
if (!flags["bundle-only"]) await makeExecutable();

/**
 * One CommonJS file with the protocol and zod inside. A single executable runs exactly one CommonJS
 * script whose `require` reaches only Node's built-ins, so nothing may stay outside the bundle:
 * esbuild inlines the relative dynamic `import("./ui/server.js")` as well, and the check below fails
 * the build if any import is left for run time.
 */
async function bundle() {
  const result = await build({
    entryPoints: [AGENT_MAIN],
    outfile: bundlePath,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  // E.g. "import.meta is not available with cjs output": code that would break inside the executable.
  if (result.warnings.length > 0) throw new Error(`esbuild warned about ${result.warnings.length} thing(s) above; the bundle would not behave like dist/main.js`);
  const code = readFileSync(bundlePath, "utf8");
  const leftOver = [...code.matchAll(/\b(?:require|import)\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]).filter((name) => !isBuiltin(name));
  if (leftOver.length > 0) throw new Error(`the bundle still loads ${[...new Set(leftOver)].join(", ")} at run time; a single executable cannot`);
  chmodSync(bundlePath, 0o755);
  const inputs = Object.keys(result.metafile.inputs);
  console.log(`bundle: ${path.relative(ROOT, bundlePath)} (${kib(statSync(bundlePath).size)}, ${inputs.length} modules)`);
}

function isBuiltin(name) {
  return name.startsWith("node:") || builtinModules.includes(name);
}

/** Blob from `node --experimental-sea-config`, injected into a copy of this Node binary with postject. */
async function makeExecutable() {
  const blobPath = path.join(outDir, "statusmonitor-agent.blob");
  const configPath = path.join(outDir, "sea-config.json");
  writeFileSync(
    configPath,
    `${JSON.stringify(
      {
        main: bundlePath,
        output: blobPath,
        disableExperimentalSEAWarning: true,
        // No code cache: it saves ~20 ms of CPU once per start, but V8 rejects it (with a printed
        // warning) as soon as NODE_OPTIONS carries a V8 flag such as --max-semi-space-size.
        useCodeCache: false,
      },
      null,
      2,
    )}\n`,
  );
  execFileSync(process.execPath, ["--experimental-sea-config", configPath], { stdio: ["ignore", "ignore", "inherit"] });

  rmSync(executablePath, { force: true });
  copyFileSync(process.execPath, executablePath);
  chmodSync(executablePath, 0o755);
  if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", executablePath], { stdio: "inherit" });
  injectBlob(executablePath, blobPath);
  if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", executablePath], { stdio: "inherit" });
  rmSync(blobPath, { force: true });
  rmSync(configPath, { force: true });

  const version = execFileSync(executablePath, ["--version"], { encoding: "utf8" }).trim();
  console.log(`executable: ${path.relative(ROOT, executablePath)} (${kib(statSync(executablePath).size)}, Node ${process.version}, agent ${version})`);
}

/**
 * postject in a child process: its ELF reader prints a harmless "Can't find string offset for
 * section name '.note…'" for each of Node's note sections, which would drown real errors.
 */
function injectBlob(executable, blob) {
  const args = [POSTJECT_CLI, executable, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE];
  if (process.platform === "darwin") args.push("--macho-segment-name", "NODE_SEA");
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  const noise = /^warning: Can't find string offset for section name '\.note[^']*'$/;
  const stderr = result.stderr.split("\n").filter((line) => line !== "" && !noise.test(line));
  if (stderr.length > 0) console.error(stderr.join("\n"));
  if (result.status !== 0) throw new Error(`postject failed (exit ${result.status}):\n${result.stdout}`);
}

function kib(bytes) {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
