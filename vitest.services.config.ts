/**
 * The suites that need real PostgreSQL, Redis and Kafka: port contracts on those adapters and the
 * distributed end-to-end test. `npm run test:services` (scripts/test-services.sh) starts what is missing.
 */
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["packages/*/src/**/*.services.test.ts", "e2e/**/*.services.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
