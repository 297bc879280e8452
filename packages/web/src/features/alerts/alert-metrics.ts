/** What each alert metric and operator is called, the unit of its threshold and how its values read. */
import type { AlertMetric, AlertOperator } from "@statusmonitor/protocol";
import { ALERT_METRIC_NAMES, ALERT_THRESHOLD_LIMITS } from "@statusmonitor/protocol/constants";
import { formatByteRate } from "../../format/bytes";
import { formatNumber, formatPercent } from "../../format/numbers";
import { formatDuration } from "../../format/time";

/** In the order the rule form and the filters offer them. */
export const ALERT_METRICS: readonly AlertMetric[] = ["cpu", "memory", "disk", "load1", "network_rx", "network_tx", "offline"];
export const ALERT_OPERATORS: readonly AlertOperator[] = [">", ">=", "<", "<="];

/** Labels for selects and table cells. */
export const METRIC_LABELS: Record<AlertMetric, string> = {
  cpu: "CPU usage",
  memory: "Memory usage",
  disk: "Disk usage",
  load1: "Load average (1 min)",
  network_rx: "Network received",
  network_tx: "Network sent",
  offline: "Agent offline",
};

/** The subject of a condition sentence ("CPU > 90 %"); the same words the hub names rules with. */
export const METRIC_SUBJECTS = ALERT_METRIC_NAMES;

/** The operators as they are printed; ≥ and ≤ read better than >= and <=. */
export const OPERATOR_SYMBOLS: Record<AlertOperator, string> = { ">": ">", ">=": "≥", "<": "<", "<=": "≤" };
export const OPERATOR_LABELS: Record<AlertOperator, string> = {
  ">": "above (>)",
  ">=": "at or above (≥)",
  "<": "below (<)",
  "<=": "at or below (≤)",
};

/** `offline` only knows `>`: "silent for less than" would fire for every healthy agent. */
export function operatorsFor(metric: AlertMetric): readonly AlertOperator[] {
  return metric === "offline" ? [">"] : ALERT_OPERATORS;
}

export type ThresholdKind = "percent" | "number" | "rate" | "seconds";

/** How a threshold is entered and printed, derived from the protocol's unit so the two cannot drift. */
export function thresholdKind(metric: AlertMetric): ThresholdKind {
  const { unit } = ALERT_THRESHOLD_LIMITS[metric];
  if (unit === "%") return "percent";
  if (unit === "B/s") return "rate";
  if (unit === "s") return "seconds";
  return "number";
}

/**
 * A whole number of seconds the user typed, exactly: `90` → `1 min 30 s`, `3600` → `1 h`. The shared
 * formatDuration rounds (`1 min`), which would misstate a rule's duration or cooldown.
 */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  let rest = Math.round(seconds);
  for (const [size, name] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** A threshold as people read it: `90 %`, `10.0 MiB/s`, `2 min 30 s`, `automatic` (offline 0). */
export function formatThreshold(metric: AlertMetric, threshold: number): string {
  switch (thresholdKind(metric)) {
    case "percent":
      return `${threshold} %`;
    case "rate":
      return formatByteRate(threshold);
    case "seconds":
      return threshold === 0 ? "automatic" : formatSeconds(threshold);
    case "number":
      return String(threshold);
  }
}

/** A measured value of the metric (what an event reports): `97.3 %`, `1.50 MiB/s`, `2.35`, `3 min`. */
export function formatMetricValue(metric: AlertMetric, value: number | null): string {
  switch (thresholdKind(metric)) {
    case "percent":
      return formatPercent(value);
    case "rate":
      return formatByteRate(value);
    case "seconds":
      return formatDuration(value);
    case "number":
      return formatNumber(value);
  }
}
