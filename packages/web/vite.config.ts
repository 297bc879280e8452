/** Builds the dashboard into dist/ (served by the hub) and runs a dev server that proxies the API to a hub. */
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./precompress-plugin.ts";

const hub = process.env.HUB_URL ?? "http://localhost:8080";

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  resolve: {
    alias: [
      // Read the protocol from source: one set of wire types, no build step in between.
      { find: /^@statusmonitor\/protocol\/constants$/, replacement: fileURLToPath(new URL("../protocol/src/constants.ts", import.meta.url)) },
      { find: /^@statusmonitor\/protocol$/, replacement: fileURLToPath(new URL("../protocol/src/index.ts", import.meta.url)) },
    ],
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      "/api/v1/live": { target: hub.replace(/^http/, "ws"), ws: true },
      "/api": hub,
      "/health": hub,
      "/metrics": hub,
    },
  },
});
