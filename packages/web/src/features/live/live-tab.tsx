/**
 * The live tab of an agent's dashboard: stat cards, live charts, the disks table and the detail
 * dialogs, with a waiting state before the first sample and an offline state when the agent falls silent.
 */
import type { Agent } from "@statusmonitor/protocol";
import { useCallback, useState } from "react";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Card } from "../../components/ui/card";
import { Spinner } from "../../components/ui/spinner";
import { formatCelsius } from "../../format/numbers";
import { formatAgo } from "../../format/time";
import { CpuDetailsDialog } from "./cpu-details-dialog";
import { DisksTable } from "./disks-table";
import { LiveCards, type LiveRates } from "./live-cards";
import { LiveCharts, type DetailsKind } from "./live-charts";
import type { LiveSession } from "./live-session";
import { MemoryDetailsDialog } from "./memory-details-dialog";
import { NetworkDetailsDialog } from "./network-details-dialog";
import { agentPresence } from "./presence";
import { COL } from "./sample-row";
import { useLiveSnapshot, useNow } from "./use-live-session";

const SPANS = [
  { ms: 60_000, label: "1 min" },
  { ms: 5 * 60_000, label: "5 min" },
  { ms: 10 * 60_000, label: "10 min" },
] as const;

function SpanPicker({ value, onChange }: { value: number; onChange: (ms: number) => void }) {
  return (
    <div role="group" aria-label="Chart time span" className="inline-flex rounded-lg border border-slate-200 bg-white p-0.5 dark:border-slate-700 dark:bg-slate-900">
      {SPANS.map((span) => (
        <button
          key={span.ms}
          type="button"
          aria-pressed={value === span.ms}
          onClick={() => onChange(span.ms)}
          className={`rounded-md px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
            value === span.ms ? "bg-indigo-600 text-white dark:bg-indigo-500" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          }`}
        >
          {span.label}
        </button>
      ))}
    </div>
  );
}

function Ago({ at }: { at: number | null }) {
  const now = useNow(1_000);
  return <>{formatAgo(at, now)}</>;
}

function WaitingForFirstSample({ agent }: { agent: Agent }) {
  return (
    <Card className="mx-auto max-w-2xl">
      <div className="flex flex-col items-center gap-3 py-6 text-center">
        <span aria-hidden className="size-3 animate-ping rounded-full bg-indigo-500" />
        <h2 className="text-lg font-semibold text-slate-900 dark:text-slate-50">Waiting for the agent's first sample…</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Numbers and charts appear here the moment it arrives. If nothing shows up, check that:</p>
        <ul className="list-disc space-y-1 pl-5 text-left text-sm text-slate-600 dark:text-slate-400">
          <li>the agent is running on the machine ({agent.hostname ? <code>{agent.hostname}</code> : "the one you installed it on"}) and its log shows no errors;</li>
          <li>
            its <code>INGESTION_URL</code> points at this hub (<code>{window.location.origin}</code>) and the machine can reach it;
          </li>
          <li>
            its <code>AGENT_TOKEN</code> is this agent's token{agent.token_activated ? "" : ", and it was started within 5 minutes of creating or regenerating the token (regenerate it on the Agents page otherwise)"}.
          </li>
        </ul>
      </div>
    </Card>
  );
}

export function LiveTab({ agent, live }: { agent: Agent; live: LiveSession }) {
  const snapshot = useLiveSnapshot(live);
  // Coarse: this only decides whether the agent went silent; the "ago" text ticks on its own.
  const now = useNow(2_000);
  const [spanMs, setSpanMs] = useState(5 * 60_000);
  const [details, setDetails] = useState<DetailsKind | null>(null);
  const closeDetails = useCallback(() => setDetails(null), []);
  const { latest } = snapshot;
  // A line may bridge a late sample or two, not an outage.
  const maxGapS = Math.max(5, 3 * (agent.interval_s ?? 1));

  if (!latest && !snapshot.latestLoaded && live.window.length === 0) return <Spinner label="Loading live data…" className="py-10" />;
  if (!latest && live.window.length === 0) return <WaitingForFirstSample agent={agent} />;

  const presence = agentPresence(agent, { live: snapshot.connection.status === "live", liveAt: snapshot.liveAt }, now);
  const silent = presence.status === "offline";
  const rates: LiveRates = {
    upload: latest?.network?.bytes_sent_per_s ?? (latest ? live.window.valueAt(COL.netTx, latest.timestamp) : null),
    download: latest?.network?.bytes_recv_per_s ?? (latest ? live.window.valueAt(COL.netRx, latest.timestamp) : null),
  };

  return (
    <div className="space-y-5">
      {silent && (
        <AlertBanner tone="warning">
          <strong>The agent is silent</strong> — last sample <Ago at={presence.lastAt} />. The values below are the last ones it sent; they update again as soon as it reports.
        </AlertBanner>
      )}

      <section aria-labelledby="live-overview" className={silent ? "opacity-60 grayscale-[50%]" : undefined}>
        <h2 id="live-overview" className="sr-only">
          Current values
        </h2>
        {latest ? <LiveCards sample={latest} rates={rates} /> : <p className="text-sm text-slate-500 dark:text-slate-400">Current values appear with the next sample.</p>}
      </section>

      <section aria-labelledby="live-charts" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="live-charts" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Live charts
          </h2>
          <SpanPicker value={spanMs} onChange={setSpanMs} />
        </div>
        <LiveCharts live={live} spanMs={spanMs} maxGapS={maxGapS} onDetails={setDetails} />
      </section>

      <Card title="Disks" className={silent ? "opacity-60" : undefined}>
        <DisksTable disks={latest?.disks ?? []} />
      </Card>

      {latest?.temperatures && latest.temperatures.length > 0 && (
        <Card title="Temperatures" className={silent ? "opacity-60" : undefined}>
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-4">
            {latest.temperatures.map((sensor) => (
              <li key={sensor.label} className="flex items-baseline justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm dark:bg-slate-800/60">
                <span className="truncate text-slate-600 dark:text-slate-300">{sensor.label}</span>
                <span className={`tabular font-semibold ${sensor.celsius >= 85 ? "text-red-600 dark:text-red-400" : "text-slate-900 dark:text-slate-50"}`}>{formatCelsius(sensor.celsius)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}

      <CpuDetailsDialog open={details === "cpu"} onClose={closeDetails} sample={latest} live={live} spanMs={spanMs} maxGapS={maxGapS} />
      <MemoryDetailsDialog open={details === "memory"} onClose={closeDetails} sample={latest} live={live} spanMs={spanMs} maxGapS={maxGapS} />
      <NetworkDetailsDialog open={details === "network"} onClose={closeDetails} network={latest?.network} rates={rates} live={live} spanMs={spanMs} maxGapS={maxGapS} />
    </div>
  );
}
