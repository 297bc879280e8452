/**
 * Everything live about one agent while its dashboard is open: the sample window (pre-filled from
 * history, then fed by the WebSocket, gaps re-filled after a reconnect), the newest full sample and
 * the connection's state. Charts subscribe to data changes and redraw themselves; React components
 * read the snapshot, which changes once per sample.
 */
import type { HistoryMetric, HistoryResponse, Sample } from "@statusmonitor/protocol";
import { ApiError } from "../../api/api-error";
import type { ApiClient } from "../../api/client";
import type { Session } from "../../api/session";
import type { ConnectionView, StopReason } from "./connection-machine";
import { LiveConnection, type SocketLike } from "./live-connection";
import { historyRows, sampleRow, type Row } from "./sample-row";
import { SampleWindow } from "./sample-window";

/** What the window keeps; the charts show up to this much. */
export const LIVE_SPAN_MS = 10 * 60_000;
const PREFILL_START = "-10m";
const CHARTED_METRICS: HistoryMetric[] = ["cpu", "memory", "network", "disk"];
/** After a reconnect the agent back-fills what the hub missed on its own retry schedule (up to tens of seconds later): look again. */
const GAP_FILL_DELAYS_MS = [0, 3_000, 10_000, 30_000, 60_000];
/** The seam between the pre-fill's end and the first live sample is filled once the stream runs. */
const SEAM_FILL_DELAYS_MS = [5_000, 30_000];
const SEAM_FILL_MS = 30_000;
/**
 * Holes this recent may be data the hub had not stored yet (an agent back-filling after an outage,
 * a hub catching up after a restart): every fill reaches back to the first of them. Older holes are
 * real outages and are not fetched again and again.
 */
const RECENT_HOLE_MS = 2 * 60_000;
const HOLE_MS = 5_000;
/** Name of the performance measure around each sample's handling (store, charts, their draw). */
export const SAMPLE_MEASURE = "statusmonitor:live-sample";

export interface LiveSnapshot {
  /** The newest full sample, from the stream or GET …/latest. */
  latest: Sample | null;
  /** Browser time when the stream last brought a new sample: the agent's own clock may be off. */
  liveAt: number | null;
  /** GET …/latest has answered (a sample, or "none yet"), so an empty dashboard means "waiting". */
  latestLoaded: boolean;
  prefill: "loading" | "done" | "failed";
  connection: ConnectionView;
  stopReason: StopReason | null;
}

export interface LiveSessionOptions {
  agentId: number;
  api: ApiClient;
  session: Session;
  spanMs?: number;
  /** Opens the socket for a ticket; defaults to the browser's WebSocket on this origin. */
  openSocket?: (ticket: string) => SocketLike;
}

export function liveSocketUrl(ticket: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/v1/live?ticket=${encodeURIComponent(ticket)}`;
}

export class LiveSession {
  readonly window: SampleWindow;
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly dataListeners = new Set<() => void>();
  private readonly connection: LiveConnection;
  private readonly abort = new AbortController();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private prefilling: Promise<void> | null = null;
  /** The first sample after each (re)subscribe is the hub replaying its newest one, however old. */
  private expectReplay = false;
  private readonly teardown: Array<() => void> = [];

  constructor(private readonly o: LiveSessionOptions) {
    this.window = new SampleWindow(o.spanMs ?? LIVE_SPAN_MS);
    this.connection = new LiveConnection({
      agentId: o.agentId,
      requestTicket: async () => (await o.api.post<{ ticket: string }>("/api/v1/live/tickets", { agent_id: o.agentId })).ticket,
      refreshSession: () => o.session.refresh(),
      isAgentGone: (error) => error instanceof ApiError && error.code === "AGENT_NOT_FOUND",
      openSocket: o.openSocket ?? ((ticket) => new WebSocket(liveSocketUrl(ticket)) as unknown as SocketLike),
      onSample: (sample) => this.onSample(sample),
      onView: (connection) => this.update({ connection }),
      onResync: (afterReconnect) => this.onResync(afterReconnect),
      onStopped: (stopReason) => this.update({ stopReason }),
      browserOnline: typeof navigator === "undefined" ? true : navigator.onLine,
    });
    this.snapshot = { latest: null, liveAt: null, latestLoaded: false, prefill: "loading", connection: this.connection.current, stopReason: null };
  }

  start(): void {
    this.connection.start();
    void this.loadLatest();
    this.prefill();
    const onOnline = () => this.connection.browserOnline();
    const onOffline = () => this.connection.browserOffline();
    const onVisibility = () => document.visibilityState === "visible" && this.connection.visible();
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    document.addEventListener("visibilitychange", onVisibility);
    this.teardown.push(
      () => window.removeEventListener("online", onOnline),
      () => window.removeEventListener("offline", onOffline),
      () => document.removeEventListener("visibilitychange", onVisibility),
    );
  }

  stop(): void {
    this.connection.stop();
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const undo of this.teardown.splice(0)) undo();
  }

  retryNow(): void {
    this.connection.retryNow();
  }

  // useSyncExternalStore wants stable functions.
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Called after every change of the window, before React hears of the sample. */
  subscribeData(listener: () => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  private update(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private emitData(): void {
    for (const listener of this.dataListeners) listener();
  }

  private onSample(sample: Sample): void {
    const started = performance.now();
    const replay = this.expectReplay;
    this.expectReplay = false;
    const inserted = this.window.insert(sampleRow(sample));
    if (inserted) this.emitData();
    const latest = this.snapshot.latest;
    if (!latest || sample.timestamp >= latest.timestamp) {
      const fresh = !replay && (!latest || sample.timestamp > latest.timestamp);
      this.update({ latest: sample, liveAt: fresh ? Date.now() : this.snapshot.liveAt, latestLoaded: true });
    }
    // uPlot draws in a microtask queued by setData; this one runs after those, so the measure covers the paint work too.
    queueMicrotask(() => performance.measure(SAMPLE_MEASURE, { start: started, end: performance.now() }));
  }

  private async loadLatest(): Promise<void> {
    try {
      const sample = await this.o.api.get<Sample>(`/api/v1/agents/${this.o.agentId}/latest`, undefined, this.abort.signal);
      if (!this.snapshot.latest || sample.timestamp > this.snapshot.latest.timestamp) {
        this.window.insert(sampleRow(sample));
        this.emitData();
        this.update({ latest: sample });
      }
    } catch {
      // NO_SAMPLES_YET is the waiting state; other failures are covered by the stream's replay.
    }
    if (!this.abort.signal.aborted) this.update({ latestLoaded: true });
  }

  private prefill(): void {
    this.prefilling ??= this.fetchRows(PREFILL_START)
      .then((rows) => {
        this.merge(rows);
        this.update({ prefill: "done" });
      })
      .catch(() => {
        if (!this.abort.signal.aborted) this.update({ prefill: "failed" });
      })
      .finally(() => {
        this.prefilling = null;
      });
  }

  private onResync(afterReconnect: boolean): void {
    this.expectReplay = true;
    if (this.snapshot.prefill === "failed") return this.prefill();
    if (!afterReconnect) {
      for (const delay of SEAM_FILL_DELAYS_MS) this.later(delay, () => this.fill(Date.now() - SEAM_FILL_MS));
      return;
    }
    const from = this.window.newest;
    if (from === undefined) return this.prefill();
    for (const delay of GAP_FILL_DELAYS_MS) this.later(delay, () => this.fill(from - 2_000));
  }

  /** Fetches from `fromMs` (or from an earlier recent hole) to now and merges it in. */
  private fill(fromMs: number): void {
    const hole = this.window.firstGapAfter(Date.now() - RECENT_HOLE_MS, HOLE_MS);
    const start = new Date(Math.min(fromMs, hole ?? fromMs)).toISOString();
    this.fetchRows(start).then(
      (rows) => this.merge(rows),
      () => undefined, // The next reconnect (or the next look) tries again; a failed fill only leaves the hole.
    );
  }

  private merge(rows: Row[]): void {
    if (this.abort.signal.aborted || rows.length === 0) return;
    this.window.merge(rows);
    this.emitData();
    this.update({});
  }

  private async fetchRows(start: string): Promise<Row[]> {
    const answers = await Promise.allSettled(
      CHARTED_METRICS.map((metric) =>
        this.o.api.get<HistoryResponse>(`/api/v1/agents/${this.o.agentId}/history/${metric}`, { start, stop: "now()" }, this.abort.signal),
      ),
    );
    const ok = answers.flatMap((answer) => (answer.status === "fulfilled" ? [answer.value] : []));
    if (ok.length === 0) throw (answers[0] as PromiseRejectedResult).reason;
    return historyRows(ok);
  }

  private later(delayMs: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.abort.signal.aborted) task();
    }, delayMs);
    this.timers.add(timer);
  }
}
