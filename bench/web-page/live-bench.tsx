/**
 * N live charts of the dashboard (LiveChart, the component of the live tab) on one LiveSession, the
 * live tab's own store fed by the hub's WebSocket: 12 by default, three times the live tab's four.
 */
import type { Root } from "react-dom/client";
import { ApiClient } from "../../packages/web/src/api/client";
import { Session } from "../../packages/web/src/api/session";
import { formatByteRate } from "../../packages/web/src/format/bytes";
import { formatPercent } from "../../packages/web/src/format/numbers";
import { LiveChart, type LiveAxis, type LiveSeries } from "../../packages/web/src/features/live/live-chart";
import { CPU_SERIES, DISK_IO_SERIES, MEMORY_SERIES, NETWORK_SERIES } from "../../packages/web/src/features/live/live-series";
import { LiveSession } from "../../packages/web/src/features/live/live-session";

const KINDS: ReadonlyArray<{ series: readonly LiveSeries[]; axis: LiveAxis }> = [
  { series: CPU_SERIES, axis: "percent" },
  { series: MEMORY_SERIES, axis: "percent" },
  { series: NETWORK_SERIES, axis: "bytes" },
  { series: DISK_IO_SERIES, axis: "bytes" },
];
const formatPercentValue = (value: number | null) => formatPercent(value);
const formatRateValue = (value: number | null) => formatByteRate(value);

/** Signs in from the refresh cookie bench/web.js obtained, starts the session and mounts the charts; resolves once the stream is live. */
export async function mountLiveCharts(root: Root, agentId: number, charts: number, spanMs: number): Promise<LiveSession> {
  const session = new Session();
  if (!(await session.refresh())) throw new Error("no session: bench/web.js signs in before opening the page");
  const live = new LiveSession({ agentId, api: new ApiClient(session), session });
  live.start();
  root.render(
    <div className="grid grid-cols-2 gap-3 p-3">
      {Array.from({ length: charts }, (_, i) => {
        const kind = KINDS[i % KINDS.length]!;
        return (
          <div key={i} className="rounded-xl border border-slate-200 bg-white p-3">
            <LiveChart live={live} series={kind.series} axis={kind.axis} format={kind.axis === "percent" ? formatPercentValue : formatRateValue} spanMs={spanMs} label={`Live chart ${i + 1}`} />
          </div>
        );
      })}
    </div>,
  );
  await new Promise<void>((resolve) => {
    const check = () => {
      if (live.getSnapshot().connection.status !== "live") return false;
      unsubscribe();
      resolve();
      return true;
    };
    const unsubscribe = live.subscribe(() => void check());
    check();
  });
  return live;
}
