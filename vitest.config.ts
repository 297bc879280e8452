/** One test run for every workspace; the protocol package is read from source so tests need no build. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@statusmonitor\/protocol$/, replacement: fileURLToPath(new URL("./packages/protocol/src/index.ts", import.meta.url)) },
      // The zod-free constants the agent imports (so its bundle does not carry zod).
      { find: /^@statusmonitor\/protocol\/constants$/, replacement: fileURLToPath(new URL("./packages/protocol/src/constants.ts", import.meta.url)) },
      { find: /^@statusmonitor\/protocol\/limits$/, replacement: fileURLToPath(new URL("./packages/protocol/src/limits.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts", "e2e/**/*.test.ts"],
    // Suites that need PostgreSQL, Redis or Kafka run with `npm run test:services` (vitest.services.config.ts).
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.services.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real servers, real sockets, real SQLite files: a couple of workers keep the 2-core machine responsive.
    maxWorkers: 2,
  },
});
