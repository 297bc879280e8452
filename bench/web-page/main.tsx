/**
 * Entry of the bench-only page (bench/web.js builds it and the hub serves it under /bench/): runs the
 * measurement `?mode=` names and reports it on the console as `bench:<name> {json}`, the channel bench/web.js listens on.
 */
import { createRoot } from "react-dom/client";
import "../../packages/web/src/index.css";
import { mountLiveCharts } from "./live-bench";
import { measurePoints } from "./points-bench";

const params = new URLSearchParams(location.search);
const mode = params.get("mode");
const host = document.getElementById("root")!;

function report(name: string, value: unknown): void {
  // eslint-disable-next-line no-console -- the console is the channel bench/web.js listens on.
  console.info(`bench:${name} ${JSON.stringify(value)}`);
}

function freshRoot() {
  host.replaceChildren();
  const element = document.createElement("div");
  element.style.width = "1200px";
  host.append(element);
  return createRoot(element);
}

async function main(): Promise<void> {
  if (mode === "points") {
    const chart = params.get("chart") === "uplot" ? "uplot" : "history";
    report("points", await measurePoints(freshRoot, Number(params.get("n") ?? 86_400), Number(params.get("runs") ?? 6), chart));
  } else if (mode === "live") {
    // bench/web.js watches the page's measures and long tasks from here on; the page only has to be live.
    await mountLiveCharts(freshRoot(), Number(params.get("agent")), Number(params.get("charts") ?? 12), Number(params.get("span_ms") ?? 300_000));
    report("live-ready", { charts: Number(params.get("charts") ?? 12) });
  } else {
    report("error", { message: `unknown mode ${mode}` });
  }
}

main().catch((error: unknown) => report("error", { message: String(error) }));
