/** The sentences that describe a rule or an event: "CPU > 90 % for 1 min", "All agents", the default name. */
import type { AlertMetric, AlertOperator, AlertRule } from "@statusmonitor/protocol";
import { defaultRuleName } from "@statusmonitor/protocol/constants";
import { formatSeconds, formatThreshold, METRIC_SUBJECTS, OPERATOR_SYMBOLS } from "./alert-metrics";

type Condition = { metric: AlertMetric; operator: AlertOperator; threshold: number; mountpoint: string | null };

/** "Disk /data" for a watched mountpoint, "Disk (fullest)" when the rule follows whichever disk is fullest. */
function subjectOf(metric: AlertMetric, mountpoint: string | null): string {
  if (metric !== "disk") return METRIC_SUBJECTS[metric];
  return mountpoint ? `Disk ${mountpoint}` : "Disk (fullest)";
}

/** The condition alone, as an event records it: "CPU > 90 %", "Offline > 2 min", "Offline (automatic)". */
export function describeCondition({ metric, operator, threshold, mountpoint }: Condition): string {
  if (metric === "offline" && threshold === 0) return "Offline (3 intervals, at least 30 s)";
  return `${subjectOf(metric, mountpoint)} ${OPERATOR_SYMBOLS[operator]} ${formatThreshold(metric, threshold)}`;
}

/** The condition of a rule with how long it must hold: "CPU > 90 % for 1 min". */
export function describeRule(rule: Condition & { duration_s: number }): string {
  const condition = describeCondition(rule);
  return rule.duration_s > 0 ? `${condition} for ${formatSeconds(rule.duration_s)}` : condition;
}

/** `null` is every agent of the user, including ones added later; an unknown id (deleted agent) keeps its number. */
export function agentLabel(agentId: number | null, agents: readonly { id: number; name: string }[] | undefined): string {
  if (agentId === null) return "All agents";
  return agents?.find((agent) => agent.id === agentId)?.name ?? `Agent #${agentId}`;
}

/** Whether the rule still carries the name the hub gave it (so editing its condition may rename it). */
export function hasDefaultName(rule: Pick<AlertRule, "name"> & Condition): boolean {
  return rule.name === defaultRuleName(rule);
}
