/**
 * The rule form's values (strings, as typed) and their way to and from the API: defaults per metric,
 * rate units, client-side checks with the protocol's `alertRuleProblems`, and the hub's field issues.
 */
import type { AlertMetric, AlertOperator, AlertRule } from "@statusmonitor/protocol";
import { ALERT_THRESHOLD_LIMITS, alertRuleProblems, DEFAULT_ALERT_COOLDOWN_S, defaultRuleName, MAX_ALERT_DURATION_S } from "@statusmonitor/protocol/constants";
import { formatThreshold, operatorsFor, thresholdKind } from "./alert-metrics";
import { hasDefaultName } from "./rule-text";

export interface RuleFormValues {
  name: string;
  /** "" is every agent (agent_id null); else an agent id as text. */
  agentId: string;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  /** Bytes per unit of the threshold as typed; only rate metrics offer a choice, the rest use 1. */
  rateUnit: number;
  mountpoint: string;
  durationS: string;
  cooldownS: string;
  enabled: boolean;
}
export type RuleField = keyof RuleFormValues;
export type RuleProblems = Partial<Record<RuleField, string>>;

/** What POST /alerts/rules takes and, complete with a name, what PATCH sends. */
export type RuleBody = Omit<AlertRule, "id" | "name" | "created_at" | "updated_at"> & { name?: string };

/** Units offered for network thresholds; the hub stores bytes per second. */
export const RATE_UNITS = [
  { label: "B/s", bytes: 1 },
  { label: "KiB/s", bytes: 1024 },
  { label: "MiB/s", bytes: 1024 ** 2 },
  { label: "GiB/s", bytes: 1024 ** 3 },
] as const;
const MIB = 1024 ** 2;

/** Rate thresholds are compared in bytes; round away the float noise of `1.1 × 1024²`. */
const toStored = (value: number, unit: number) => (unit === 1 ? value : Math.round(value * unit));

/** A sensible starting threshold per metric, in the unit the form shows. */
const START_THRESHOLD: Record<AlertMetric, string> = {
  cpu: "90",
  memory: "90",
  disk: "90",
  load1: "4",
  network_rx: "100",
  network_tx: "100",
  offline: "0",
};

export function newRuleForm(metric: AlertMetric = "cpu"): RuleFormValues {
  return {
    name: "",
    agentId: "",
    metric,
    operator: ">",
    threshold: START_THRESHOLD[metric],
    rateUnit: thresholdKind(metric) === "rate" ? MIB : 1,
    mountpoint: "",
    durationS: "0",
    cooldownS: String(DEFAULT_ALERT_COOLDOWN_S),
    enabled: true,
  };
}

/**
 * The largest unit in which a byte rate reads as a short number (1.5 MiB/s rather than 1536 KiB/s),
 * so an edited rule shows its threshold the way it was probably typed.
 */
export function rateUnitFor(bytesPerSecond: number): number {
  if (bytesPerSecond === 0) return MIB;
  for (const unit of [...RATE_UNITS].reverse()) {
    const scaled = bytesPerSecond / unit.bytes;
    // At most two decimals that give back the same bytes: 1.1 MiB/s yes, 1000 KiB/s as 0.98 MiB/s no.
    if (scaled >= 1 && toStored(roundTo2(scaled), unit.bytes) === bytesPerSecond) return unit.bytes;
  }
  return 1;
}
const roundTo2 = (value: number) => Math.round(value * 100) / 100;

/** The form for editing an existing rule; a name the hub generated is left blank so it follows the condition. */
export function ruleFormFrom(rule: AlertRule): RuleFormValues {
  const rateUnit = thresholdKind(rule.metric) === "rate" ? rateUnitFor(rule.threshold) : 1;
  return {
    name: hasDefaultName(rule) ? "" : rule.name,
    agentId: rule.agent_id === null ? "" : String(rule.agent_id),
    metric: rule.metric,
    operator: rule.operator,
    threshold: String(rateUnit === 1 ? rule.threshold : roundTo2(rule.threshold / rateUnit)),
    rateUnit,
    mountpoint: rule.mountpoint ?? "",
    durationS: String(rule.duration_s),
    cooldownS: String(rule.cooldown_s),
    enabled: rule.enabled,
  };
}

/**
 * Switching the metric keeps what still makes sense: the threshold survives between metrics of the
 * same kind (CPU 90 % → memory 90 %), the operator unless the new metric refuses it, the mountpoint
 * only for disk.
 */
export function withMetric(values: RuleFormValues, metric: AlertMetric): RuleFormValues {
  const sameKind = thresholdKind(values.metric) === thresholdKind(metric);
  const fresh = newRuleForm(metric);
  return {
    ...values,
    metric,
    operator: operatorsFor(metric).includes(values.operator) ? values.operator : fresh.operator,
    threshold: sameKind ? values.threshold : fresh.threshold,
    rateUnit: sameKind ? values.rateUnit : fresh.rateUnit,
    mountpoint: metric === "disk" ? values.mountpoint : "",
  };
}

/** A decimal as typed ("90", "2.5", "2,5"); null when it is not one. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function parseSeconds(text: string): { value: number } | { problem: string } {
  const value = parseDecimal(text);
  if (value === null) return { problem: "must be a whole number of seconds" };
  if (!Number.isInteger(value)) return { problem: "must be a whole number of seconds" };
  if (value < 0 || value > MAX_ALERT_DURATION_S) return { problem: `must be between 0 and ${MAX_ALERT_DURATION_S.toLocaleString("en-US")} s` };
  return { value };
}

export type ParsedRule = { ok: true; rule: RuleBody } | { ok: false; problems: RuleProblems };

/**
 * Checks the form the way the hub will (the protocol's `alertRuleProblems` for the metric-dependent
 * rules) and builds the body; the name is left out when blank, so the hub names the rule.
 */
export function parseRuleForm(values: RuleFormValues): ParsedRule {
  const problems: RuleProblems = {};
  const name = values.name.trim();
  if (name.length > 100) problems.name = "must be at most 100 characters";

  let threshold = parseDecimal(values.threshold);
  if (values.threshold.trim() === "") problems.threshold = "is required";
  else if (threshold === null) problems.threshold = "must be a number";
  else threshold = toStored(threshold, thresholdKind(values.metric) === "rate" ? values.rateUnit : 1);

  const duration = parseSeconds(values.durationS);
  if ("problem" in duration) problems.durationS = duration.problem;
  const cooldown = parseSeconds(values.cooldownS);
  if ("problem" in cooldown) problems.cooldownS = cooldown.problem;

  const mountpoint = values.metric === "disk" && values.mountpoint.trim() !== "" ? values.mountpoint.trim() : null;
  if (threshold !== null && !problems.threshold) {
    for (const problem of alertRuleProblems({ metric: values.metric, operator: values.operator, threshold, mountpoint })) {
      const field = fieldOfIssue(problem.path);
      if (field && !problems[field]) problems[field] = field === "threshold" ? thresholdMessage(values.metric, threshold, problem.message) : problem.message;
    }
  }
  if (Object.keys(problems).length > 0 || threshold === null || "problem" in duration || "problem" in cooldown) return { ok: false, problems };
  return {
    ok: true,
    rule: {
      ...(name ? { name } : {}),
      agent_id: values.agentId === "" ? null : Number(values.agentId),
      metric: values.metric,
      operator: values.operator,
      threshold,
      mountpoint,
      duration_s: duration.value,
      cooldown_s: cooldown.value,
      enabled: values.enabled,
    },
  };
}

/** The protocol words its range in raw numbers ("between 0 and 1000000000000 for network_rx"); say it in the form's units. */
function thresholdMessage(metric: AlertMetric, threshold: number, fallback: string): string {
  const { min, max } = ALERT_THRESHOLD_LIMITS[metric];
  if (threshold >= min && threshold <= max) return fallback;
  if (metric === "offline") return `must be 0 (automatic) or between 10 s and ${max.toLocaleString("en-US")} s`;
  return `must be between ${formatThreshold(metric, min)} and ${formatThreshold(metric, max)}`;
}

/** A PATCH sends every field; a blank name becomes the default of the new condition, as on create. */
export function patchBody(rule: RuleBody): Required<RuleBody> {
  return { ...rule, name: rule.name ?? defaultRuleName(rule) };
}

const FIELD_OF_PATH: Record<string, RuleField> = {
  name: "name",
  agent_id: "agentId",
  metric: "metric",
  operator: "operator",
  threshold: "threshold",
  mountpoint: "mountpoint",
  duration_s: "durationS",
  cooldown_s: "cooldownS",
  enabled: "enabled",
};

/** The form field of an issue path from the protocol (`threshold`) or the hub (`body.threshold`). */
export function fieldOfIssue(path: string): RuleField | null {
  return FIELD_OF_PATH[path.replace(/^body\./, "")] ?? null;
}

/** The hub's VALIDATION_FAILED issues placed under their fields; issues without a field go to `rest`. */
export function problemsFromIssues(issues: readonly { path: string; message: string }[]): { problems: RuleProblems; rest: string[] } {
  const problems: RuleProblems = {};
  const rest: string[] = [];
  for (const issue of issues) {
    const field = fieldOfIssue(issue.path);
    if (field && !problems[field]) problems[field] = issue.message;
    else if (!field) rest.push(issue.path && issue.path !== "(root)" ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { problems, rest };
}
