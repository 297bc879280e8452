// Lint rules for the whole workspace, including the import boundaries between packages and layers.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const backendClients = ["better-sqlite3", "pg", "ioredis", "@platformatic/kafka"];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "data/**", "coverage/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly", performance: "readonly", URL: "readonly", fetch: "readonly", Buffer: "readonly", TextEncoder: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-console": "error",
    },
  },
  {
    // The protocol is pure data: no I/O, no Node built-ins, no other package.
    files: ["packages/protocol/src/**/*.ts"],
    ignores: ["packages/protocol/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "fs", "http", "net", "@statusmonitor/server", "@statusmonitor/agent", "@statusmonitor/web"], message: "protocol holds schemas only: no I/O and no other package." }] }],
    },
  },
  {
    // The dashboard runs in the browser and follows the rules of hooks.
    files: ["packages/web/**/*.{ts,tsx}", "e2e/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["packages/web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      // Values from the main entry would pull every zod schema into the bundle; types cost nothing.
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": ["error", {
        paths: [{ name: "@statusmonitor/protocol", allowTypeImports: true, message: "Import values from @statusmonitor/protocol/constants (zod-free); only types from the main entry." }],
        patterns: [{ group: ["@statusmonitor/server", "**/packages/server/**", "**/server/src/**"], message: "Import only @statusmonitor/protocol." }],
      }],
    },
  },
  {
    // The dashboard and the agent talk to the hub over the wire, never through its code.
    files: ["packages/web/**/*.{ts,tsx}", "packages/agent/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@statusmonitor/server", "**/packages/server/**", "**/server/src/**"], message: "Import only @statusmonitor/protocol." }] }],
    },
  },
  {
    // Agent tests run against a real hub, started through the server's test support and nothing else of it.
    files: ["packages/agent/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^@statusmonitor/server|(^|/)server/src/(?!test-support/)", message: "Agent tests reach the hub only through packages/server/src/test-support/." }] }],
    },
  },
  {
    // Capabilities and core never reach for an adapter or a database client: ports only.
    files: ["packages/server/src/**/*.ts"],
    ignores: ["packages/server/src/adapters/**", "packages/server/src/presets/**", "packages/server/src/test-support/**", "packages/server/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: backendClients.map((name) => ({ name, message: "Backend clients belong in src/adapters/<backend>/." })),
        patterns: [{ group: ["**/adapters/**"], message: "Only presets (the composition root) pick adapters; depend on a port instead." }],
      }],
    },
  },
  {
    // Adapters implement ports; they do not call services, routes or the HTTP layer.
    files: ["packages/server/src/adapters/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/service.js", "**/routes.js", "**/http/**", "**/presets/**", "**/compose.js", "**/hub.js"], message: "Adapters depend on ports and core only." }] }],
    },
  },
  {
    // Configuration is read in one place and passed down.
    files: ["packages/server/src/**/*.ts"],
    // Tests find the real services of `npm run test:services` through test-support/services.ts.
    ignores: ["packages/server/src/main.ts", "packages/server/src/config/config.ts", "packages/server/src/test-support/services.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings from the Config object (config/config.ts)." }],
    },
  },
  {
    files: ["**/*.test.ts", "**/test-support/**/*.ts", "**/*.contract.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["bench/**/*.{js,ts}", "scripts/**/*.{js,mjs}"],
    rules: { "no-console": "off" },
  },
);
