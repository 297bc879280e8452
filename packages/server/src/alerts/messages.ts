/** Pure formatting of alert notifications: Telegram HTML, plain text and the webhook JSON payload, worded like the original's. */
import type { AlertMetric, AlertOperator } from "@statusmonitor/protocol";

/** What happened, as the alert state machine saw it; every string in it is user-provided and untrusted. */
export interface AlertNotice {
  agentId: number;
  agentName: string;
  /** Null once the rule has been deleted (the event log keeps its events). */
  ruleId?: number | null;
  ruleName?: string | null;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
  /** The measured value; for `offline`, the seconds without data (its threshold is not shown). Null when unknown. */
  value: number | null;
  mountpoint?: string | null;
  /** Epoch milliseconds of the transition. */
  at: number;
  /** How long the condition has held (firing) or did hold (resolved), in seconds. */
  durationS?: number | null;
}

export type NotificationType = "alert.fired" | "alert.resolved" | "alert.test";

/** The body a webhook receives; `text` is the plain-text rendering of the same notification. */
export interface WebhookPayload {
  type: NotificationType;
  agent: { id: number; name: string } | null;
  rule: {
    id: number | null;
    name: string | null;
    metric: AlertMetric;
    operator: AlertOperator;
    threshold: number;
    mountpoint: string | null;
  } | null;
  value: number | null;
  /** RFC 3339, UTC. */
  at: string;
  text: string;
}

/** One notification rendered for every channel at once, so all channels say the same thing. */
export interface NotificationMessage {
  type: NotificationType;
  /** For Telegram's `parse_mode: "HTML"`, user text escaped. */
  html: string;
  /** For the event log and the webhook's `text`. */
  text: string;
  payload: WebhookPayload;
}

/** Telegram rejects messages over 4096 characters; a 4 KiB mountpoint must not make the alert undeliverable. */
const MAX_USER_TEXT = 200;

const METRIC_LABELS: Record<AlertMetric, string> = {
  cpu: "CPU",
  memory: "MEMORY",
  disk: "DISK",
  load1: "LOAD (1 min)",
  network_rx: "NETWORK IN",
  network_tx: "NETWORK OUT",
  offline: "OFFLINE",
};

/** Escapes the three characters Telegram's HTML parse mode treats as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string): string {
  return text.length > MAX_USER_TEXT ? `${text.slice(0, MAX_USER_TEXT - 1)}…` : text;
}

const BYTE_UNITS = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s"];

/** Decimal (SI) units, like network speeds are usually quoted: 12 300 000 → "12.3 MB/s". */
export function formatBytesPerSecond(bytes: number): string {
  let unit = 0;
  let scaled = bytes;
  // Compare the value as it will be printed, so 999 960 B/s reads "1.0 MB/s", not "1000.0 kB/s".
  const printed = () => (unit === 0 ? Math.round(scaled) : Math.round(scaled * 10) / 10);
  while (unit < BYTE_UNITS.length - 1 && Math.abs(printed()) >= 1000) {
    scaled /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${printed()} B/s` : `${scaled.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** Short human durations: "45 s", "2 min", "2 min 30 s", "1 h 5 min", "3 d 2 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (s < 60) return `${s} s`;
  if (s < 3600) return pair(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return pair(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "min");
  return pair(Math.floor(s / 86_400), "d", Math.floor((s % 86_400) / 3600), "h");
}

/** A metric's value in its unit; the original always printed one decimal and "%". */
export function formatMetricValue(metric: AlertMetric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return metric === "offline" ? "no data" : "n/a";
  switch (metric) {
    case "cpu":
    case "memory":
    case "disk":
      return `${value.toFixed(1)}%`;
    case "load1":
      return value.toFixed(2);
    case "network_rx":
    case "network_tx":
      return formatBytesPerSecond(value);
    case "offline":
      return `no data for ${formatDuration(value)}`;
  }
}

/** Offline rules have no threshold line: the silence that counts is derived from the agent's interval, not the rule. */
function thresholdLines(notice: AlertNotice): string[] {
  if (notice.metric === "offline") return [];
  return [`Threshold: ${notice.operator} ${formatMetricValue(notice.metric, notice.threshold)}`];
}

/** "2026-01-01 12:00:00 UTC": delivery can be retried for hours, so the message says when it happened. */
function formatTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function alertMessage(type: "alert.fired" | "alert.resolved", notice: AlertNotice): NotificationMessage {
  const [icon, heading] = type === "alert.fired" ? ["🚨", "Alert for"] : ["✅", "Resolved for"];
  // The original fell back to this name when the agent had none.
  const agentName = notice.agentName.trim() === "" ? "Unknown Agent" : notice.agentName;
  const value =
    type === "alert.resolved" && notice.metric === "offline"
      ? "reporting again"
      : formatMetricValue(notice.metric, notice.value);
  // Rendered twice from one template: user text is clipped in both and escaped only for HTML.
  const build = (user: (text: string) => string, bold: (text: string) => string, markup: (text: string) => string) => {
    const metric = notice.mountpoint
      ? `${METRIC_LABELS[notice.metric]} (${user(notice.mountpoint)})`
      : METRIC_LABELS[notice.metric];
    return [
      `${icon} ${bold(`${heading} ${user(agentName)}`)}`,
      "",
      ...(notice.ruleName ? [`Rule: ${user(notice.ruleName)}`] : []),
      `Metric: ${metric}`,
      `Current Value: ${value}`,
      // The operator (`<`, `>`) is markup to Telegram's HTML mode: it goes through the same escaping.
      ...thresholdLines(notice).map((line) => markup(line)),
      ...(notice.durationS ? [`Duration: ${formatDuration(notice.durationS)}`] : []),
      `Time: ${formatTime(notice.at)}`,
    ].join("\n");
  };
  const text = build(clip, (t) => t, (t) => t);
  return {
    type,
    html: build((t) => escapeHtml(clip(t)), (t) => `<b>${t}</b>`, escapeHtml),
    text,
    payload: {
      type,
      agent: { id: notice.agentId, name: notice.agentName },
      rule: {
        id: notice.ruleId ?? null,
        name: notice.ruleName ?? null,
        metric: notice.metric,
        operator: notice.operator,
        threshold: notice.threshold,
        mountpoint: notice.mountpoint ?? null,
      },
      value: notice.value,
      at: new Date(notice.at).toISOString(),
      text,
    },
  };
}

/** The message sent when an alert starts firing. */
export function firedMessage(notice: AlertNotice): NotificationMessage {
  return alertMessage("alert.fired", notice);
}

/** The message sent when a firing alert's condition clears (or an offline agent reports again). */
export function resolvedMessage(notice: AlertNotice): NotificationMessage {
  return alertMessage("alert.resolved", notice);
}

/** The answer to "send test message": proves the channel works without inventing an alert. */
export function testMessage(at: number): NotificationMessage {
  const lines = ["", "Alerts for your agents will be delivered here.", `Time: ${formatTime(at)}`];
  const title = "StatusMonitor test message";
  const text = [`🔔 ${title}`, ...lines].join("\n");
  return {
    type: "alert.test",
    html: [`🔔 <b>${title}</b>`, ...lines].join("\n"),
    text,
    payload: { type: "alert.test", agent: null, rule: null, value: null, at: new Date(at).toISOString(), text },
  };
}
