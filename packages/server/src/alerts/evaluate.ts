/** Pure rule evaluation: reads a rule's metric from a sample and decides whether it breaches or clears the threshold. */
import type { AlertMetric, AlertOperator, AlertRule, Sample } from "@statusmonitor/protocol";

export type { AlertMetric, AlertOperator };
/** The part of a rule that decides breach and clear; cooldown and duration belong to the state machine. */
export type RuleCondition = Pick<AlertRule, "metric" | "operator" | "threshold" | "mountpoint">;

/** A metric's value in one sample, with the disk it was read from when the metric is `disk`. */
export interface MetricReading {
  value: number;
  mountpoint: string | null;
}

/** What one sample says about one rule: the input of the state machine's `step`. */
export interface Observation {
  breach: boolean;
  clear: boolean;
  value: number;
  mountpoint: string | null;
  /** Sample time, epoch milliseconds. */
  at: number;
}

/** Points of hysteresis for percentage metrics (cpu, memory, disk). */
export const PERCENT_HYSTERESIS = 2;
/** Hysteresis for unbounded metrics (load, network), as a fraction of the threshold. */
export const RELATIVE_HYSTERESIS = 0.05;
/** The shortest silence that counts as offline, whatever the agent's interval. */
export const MIN_OFFLINE_AFTER_MS = 30_000;
/** Missed intervals before an agent counts as offline. */
export const OFFLINE_INTERVALS = 3;

/**
 * The reading a rule looks at, or undefined when the sample does not carry it (never zero: an
 * absent value must not resolve or fire anything). `disk` reads the rule's mountpoint when set,
 * else the fullest disk, whose mountpoint is reported so a message can name it. `offline` is not
 * a sample metric (see `offlineAfterMs`).
 */
export function metricReading(rule: Pick<AlertRule, "metric" | "mountpoint">, sample: Sample): MetricReading | undefined {
  const plain = (value: number | undefined): MetricReading | undefined =>
    value === undefined ? undefined : { value, mountpoint: null };
  switch (rule.metric) {
    case "cpu":
      return plain(sample.cpu?.usage_percent);
    case "memory":
      return plain(sample.memory?.used_percent);
    case "load1":
      return plain(sample.cpu?.load_avg?.[0]);
    case "network_rx":
      return plain(sample.network?.bytes_recv_per_s);
    case "network_tx":
      return plain(sample.network?.bytes_sent_per_s);
    case "disk":
      return diskReading(sample, rule.mountpoint ?? null);
    case "offline":
      return undefined;
  }
}

function diskReading(sample: Sample, mountpoint: string | null): MetricReading | undefined {
  let best: MetricReading | undefined;
  for (const disk of sample.disks ?? []) {
    if (disk.used_percent === undefined) continue;
    if (mountpoint !== null && disk.mountpoint !== mountpoint) continue;
    if (!best || disk.used_percent > best.value) best = { value: disk.used_percent, mountpoint: disk.mountpoint };
  }
  return best;
}

/** The value `metricReading` finds, without the mountpoint. */
export function metricValue(rule: Pick<AlertRule, "metric" | "mountpoint">, sample: Sample): number | undefined {
  return metricReading(rule, sample)?.value;
}

/** Whether `value` is on the alerting side of `threshold`. */
export function breaches(operator: AlertOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

/**
 * Whether a firing alert may resolve: the value no longer breaches a threshold moved `hysteresis`
 * towards the safe side (`> 90` with 2 points clears at 88 or below, `>= 90` below 88). With no
 * hysteresis this is exactly "does not breach". Values inside the band neither breach nor clear,
 * so an alert stays in whichever phase it is in.
 */
export function clears(operator: AlertOperator, value: number, threshold: number, hysteresis: number): boolean {
  const margin = Math.max(0, hysteresis);
  const shifted = operator === ">" || operator === ">=" ? threshold - margin : threshold + margin;
  return !breaches(operator, value, shifted);
}

/**
 * The hysteresis band for a rule. Percentages get a fixed 2 points (noise in cpu/memory/disk is
 * absolute, not relative to the threshold), capped at half the distance to the nearest end of the
 * 0–100 scale so the clear level stays reachable (`cpu > 1` clears at 0.5, not at an impossible
 * -1). Load and network have no natural scale, so they get 5 % of the threshold. Offline has none:
 * the next sample ends it.
 */
export function hysteresisFor(metric: AlertMetric, threshold: number): number {
  switch (metric) {
    case "cpu":
    case "memory":
    case "disk":
      return Math.max(0, Math.min(PERCENT_HYSTERESIS, threshold / 2, (100 - threshold) / 2));
    case "load1":
    case "network_rx":
    case "network_tx":
      return Math.abs(threshold) * RELATIVE_HYSTERESIS;
    case "offline":
      return 0;
  }
}

/** What a sample says about a rule, or undefined when it carries no value for the rule's metric. */
export function observe(rule: RuleCondition, sample: Sample): Observation | undefined {
  const reading = metricReading(rule, sample);
  if (!reading) return undefined;
  const { operator, threshold } = rule;
  return {
    breach: breaches(operator, reading.value, threshold),
    clear: clears(operator, reading.value, threshold, hysteresisFor(rule.metric, threshold)),
    value: reading.value,
    mountpoint: reading.mountpoint,
    at: sample.timestamp,
  };
}

/**
 * How long an agent may stay silent before it counts as offline: three of its intervals, and never
 * less than 30 s (so one slow or lost sample from a fast agent is not an outage). An unknown or
 * invalid interval gets the 30 s floor.
 */
export function offlineAfterMs(intervalMs: number | null): number {
  if (intervalMs === null || !Number.isFinite(intervalMs) || intervalMs <= 0) return MIN_OFFLINE_AFTER_MS;
  return Math.max(OFFLINE_INTERVALS * intervalMs, MIN_OFFLINE_AFTER_MS);
}
