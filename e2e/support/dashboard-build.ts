/** Builds the dashboard from the current source into a given directory with Vite's programmatic build, so the e2e test never checks a stale dist/. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const WEB_ROOT = fileURLToPath(new URL("../../packages/web/", import.meta.url));

export async function buildDashboard(outDir: string): Promise<void> {
  // Vitest runs with NODE_ENV=test, which would give React's development build; the hub serves production builds.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root: WEB_ROOT,
      configFile: path.join(WEB_ROOT, "vite.config.ts"),
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
