/**
 * The agent dashboard's History tab: range picker (kept in the address), the summary, and CPU,
 * memory, disk, network and load charts that zoom together — a drag re-asks the hub for the
 * selected span (finer data), a double-click goes back to the picked range.
 */
import type { Agent, HistoryMetric, HistoryResponse } from "@statusmonitor/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import type uPlot from "uplot";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Toggle } from "../../components/ui/field";
import { Icon } from "../../components/ui/icons";
import { PageMessage } from "../../components/ui/page-message";
import { Spinner } from "../../components/ui/spinner";
import { formatAgo, formatDateTime } from "../../format/time";
import { useTheme } from "../../theme/theme";
import { HistoryChart } from "./history-chart";
import type { ZoomHandlers } from "./history-chart-options";
import { HISTORY_CHARTS, type ChartSpec } from "./history-charts";
import { historyKeys, useHistoryMetric, useHistorySummary } from "./history-queries";
import { formatSpan, parseRangeParams, RANGE_PRESETS, rangeKey, rangeLabel, rangeToParams, toApiQuery, zoomSpan, type HistoryRange, type Span } from "./history-range";
import { hasBands, medianStepMs, tierLabel } from "./history-series";
import { RangePicker } from "./range-picker";
import { SummaryCards } from "./summary-cards";

/** In the order of the queries below. */
const METRICS: readonly HistoryMetric[] = ["cpu", "memory", "disk", "network", "load"];
const specOf = (id: ChartSpec["id"]) => HISTORY_CHARTS.find((spec) => spec.id === id)!;

/** The span a range covers before the hub has answered (the hub's answer then says exactly). */
function estimatedSpan(range: HistoryRange, now: number): Span {
  if (range.kind === "absolute") return { from: range.from, to: range.to };
  const preset = RANGE_PRESETS.find((p) => p.key === range.preset)!;
  return { from: now - preset.ms, to: now };
}

export function HistoryTab({ agent }: { agent: Agent }) {
  const [params, setParams] = useSearchParams();
  const paramsText = params.toString();
  // Parsed once per address: `now` only checks that a linked span is not in the future.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { range, problem } = useMemo(() => parseRangeParams(params, Date.now()), [paramsText]);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const { dark } = useTheme();
  const queryClient = useQueryClient();
  const syncKey = `history-${useId()}`;
  const [showCores, setShowCores] = useState(false);

  // A zoom belongs to one agent and one picked range: picking another range ends it.
  const zoomOwner = `${agent.id}:${rangeKey(range)}`;
  const [zoomState, setZoomState] = useState<{ owner: string; span: Span } | null>(null);
  const zoom = zoomState?.owner === zoomOwner ? zoomState.span : null;

  const apiRange = useMemo(() => toApiQuery(zoom ?? range), [zoom, range]);
  const metricQueries = [
    useHistoryMetric(agent.id, "cpu", apiRange),
    useHistoryMetric(agent.id, "memory", apiRange),
    useHistoryMetric(agent.id, "disk", apiRange),
    useHistoryMetric(agent.id, "network", apiRange),
    useHistoryMetric(agent.id, "load", apiRange),
  ];
  const summaryQuery = useHistorySummary(agent.id, apiRange);
  const responses = new Map<HistoryMetric, HistoryResponse>();
  METRICS.forEach((metric, i) => {
    const data = metricQueries[i]!.data;
    if (data) responses.set(metric, data);
  });

  // The x axis shows what was asked: the zoom, the hub's own start/stop for the answer, or an estimate until then.
  const fresh = metricQueries.find((q) => q.data && !q.isPlaceholderData)?.data;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const estimate = useMemo(() => estimatedSpan(range, Date.now()), [zoomOwner]);
  const view: Span = zoom ?? (fresh ? { from: fresh.start, to: fresh.stop } : estimate);

  // Stable handlers read the newest view through a ref, so charts are not rebuilt by a zoom.
  const viewRef = useRef(view);
  viewRef.current = view;
  const ownerRef = useRef(zoomOwner);
  ownerRef.current = zoomOwner;
  const dragSource = useRef<uPlot | null>(null);
  const zoomHandlers = useMemo<ZoomHandlers>(
    () => ({
      dragStart: (chart) => {
        dragSource.current = chart;
      },
      select: (chart, from, to) => {
        if (chart !== dragSource.current) return;
        const span = zoomSpan(from, to, viewRef.current, Date.now());
        if (span) setZoomState({ owner: ownerRef.current, span });
      },
      reset: () => setZoomState(null),
    }),
    [],
  );

  const pickRange = useCallback(
    (next: HistoryRange) => {
      setParams((current) => {
        const updated = new URLSearchParams(current);
        for (const [key, value] of Object.entries(rangeToParams(next))) {
          if (value === null) updated.delete(key);
          else updated.set(key, value);
        }
        return updated;
      });
      setZoomState(null);
    },
    [setParams],
  );

  const refresh = () => void queryClient.refetchQueries({ queryKey: historyKeys.agent(agent.id), type: "active" });
  const retry = () => {
    for (const query of [...metricQueries, summaryQuery]) if (query.isError) void query.refetch();
  };

  const cpu = responses.get("cpu");
  // The agent's learned interval, unless raw points show it samples faster (the hub's estimate lags after a back-fill).
  const rawStep = cpu?.tier === "raw" ? medianStepMs(cpu.series[0]?.points ?? []) : null;
  const sampleMs = Math.min(agent.interval_s !== null ? agent.interval_s * 1000 : Infinity, rawStep ?? Infinity);
  const sampleEstimate = Number.isFinite(sampleMs) ? sampleMs : 1000;
  const isFetching = metricQueries.some((q) => q.isFetching) || summaryQuery.isFetching;
  const dimmed = metricQueries.some((q) => q.isPlaceholderData) || summaryQuery.isPlaceholderData;
  const firstLoad = responses.size === 0 && metricQueries.some((q) => q.isPending);
  const error = [...metricQueries, summaryQuery].find((q) => q.isError)?.error;
  const allAnswered = metricQueries.every((q) => q.data && !q.isPlaceholderData);
  const noData = allAnswered && [...responses.values()].every((r) => r.series.every((s) => s.points.length === 0));
  const anyBands = cpu !== undefined && cpu.series.length > 0 && hasBands(cpu.tier, cpu.interval, sampleEstimate);
  const rangeText = zoom ? formatSpan(zoom) : rangeLabel(range);

  const chartOf = (id: ChartSpec["id"], actions?: ReactNode) => {
    const spec = specOf(id);
    const query = metricQueries[METRICS.indexOf(spec.metric)]!;
    return (
      <HistoryChart
        key={id}
        spec={spec}
        response={responses.get(spec.metric)}
        sampleMs={sampleEstimate}
        view={view}
        dark={dark}
        syncKey={syncKey}
        zoom={zoomHandlers}
        failed={query.isError && !query.data}
        rangeText={rangeText}
        actions={actions}
      />
    );
  };

  return (
    <section aria-labelledby={`${syncKey}-heading`} className="flex flex-col gap-4">
      <h2 id={`${syncKey}-heading`} className="sr-only">
        History
      </h2>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <RangePicker range={range} view={view} timeZone={timeZone} onChange={pickRange} />
        <div className="flex items-center gap-3">
          {isFetching && !firstLoad && <Spinner label="Updating…" />}
          <Button variant="secondary" size="sm" onClick={refresh} disabled={isFetching}>
            <Icon name="refresh" className="size-4" />
            Refresh
          </Button>
        </div>
      </div>

      {problem && (
        <AlertBanner tone="warning">
          The address asks for a range that cannot be shown: {problem}. Showing the {rangeLabel(range).toLowerCase()} instead.
        </AlertBanner>
      )}

      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-slate-600 dark:text-slate-400">
        {zoom ? (
          <span className="inline-flex flex-wrap items-center gap-x-2 rounded-lg bg-indigo-50 px-2.5 py-1 text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100">
            <span>
              Zoomed: <span className="tabular font-medium">{formatSpan(zoom)}</span>
            </span>
            <span aria-hidden className="hidden sm:inline">
              ·
            </span>
            <button type="button" onClick={() => setZoomState(null)} className="font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300">
              Reset zoom
            </button>
          </span>
        ) : (
          <span className="font-medium text-slate-800 dark:text-slate-200">{rangeLabel(range)}</span>
        )}
        {cpu && (
          <Badge tone="blue">
            <span className="sr-only">Resolution: </span>
            {tierLabel(cpu.tier, cpu.interval)}
          </Badge>
        )}
        {anyBands && <span className="text-xs">Shaded band: lowest to highest value within each point</span>}
        <span className="text-xs">Times in {timeZone} · drag a chart to zoom, double-click to reset</span>
      </div>

      {error !== undefined && error !== null && (
        <AlertBanner tone="error">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span>Could not load the history: {describeError(error)}</span>
            <Button variant="secondary" size="sm" onClick={retry}>
              Retry
            </Button>
          </div>
        </AlertBanner>
      )}

      {firstLoad ? (
        <Spinner label="Loading history…" className="justify-center py-16" />
      ) : noData ? (
        <PageMessage
          icon={<Icon name="history" className="size-10" />}
          title="No data in this range"
          body={<EmptyExplanation agent={agent} view={view} />}
          action={
            zoom ? (
              <Button variant="secondary" onClick={() => setZoomState(null)}>
                Reset zoom
              </Button>
            ) : undefined
          }
        />
      ) : (
        <div aria-busy={isFetching} className={`flex flex-col gap-4 transition-opacity ${dimmed ? "opacity-50" : ""}`}>
          {summaryQuery.data && <SummaryCards summary={summaryQuery.data} />}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {chartOf("cpu", <Toggle label="Per core" checked={showCores} onChange={setShowCores} />)}
            {showCores ? chartOf("cores") : null}
            {chartOf("memory")}
            {chartOf("disk")}
            {chartOf("diskio")}
            {chartOf("network")}
            {chartOf("load")}
          </div>
        </div>
      )}
    </section>
  );
}

function EmptyExplanation({ agent, view }: { agent: Agent; view: Span }) {
  if (agent.newest_sample_at === null) {
    return <p>This agent has not sent any samples yet. Its history starts with the first one it sends.</p>;
  }
  if (agent.newest_sample_at < view.from) {
    return (
      <p>
        Its newest sample is from {formatDateTime(agent.newest_sample_at)} ({formatAgo(agent.newest_sample_at, Date.now())}), before this range. Pick a longer range,
        or check that the agent is running.
      </p>
    );
  }
  return <p>The hub holds no samples of this agent between {formatSpan(view)}. The agent may be new (history starts with its first sample) or was not running then.</p>;
}
