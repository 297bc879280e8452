/** What an alert rule may say, without zod: metrics, operators, per-metric threshold limits and the combination check (the dashboard bundles this). */
export const ALERT_METRICS = ["cpu", "memory", "disk", "load1", "network_rx", "network_tx", "offline"] as const;
export const ALERT_OPERATORS = [">", ">=", "<", "<="] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

/**
 * What a threshold means per metric and the values it may take. `offline` counts seconds of
 * silence; 0 there means automatic: three of the agent's intervals, at least 30 s.
 */
export const ALERT_THRESHOLD_LIMITS: Record<AlertMetric, { min: number; max: number; unit: string }> = {
  cpu: { min: 0, max: 100, unit: "%" },
  memory: { min: 0, max: 100, unit: "%" },
  disk: { min: 0, max: 100, unit: "%" },
  load1: { min: 0, max: 100_000, unit: "" },
  network_rx: { min: 0, max: 1e12, unit: "B/s" },
  network_tx: { min: 0, max: 1e12, unit: "B/s" },
  offline: { min: 0, max: 86_400, unit: "s" },
};
/** The shortest explicit offline threshold: below it one late sample would look like an outage. */
export const MIN_OFFLINE_THRESHOLD_S = 10;
export const MAX_ALERT_DURATION_S = 86_400;
export const DEFAULT_ALERT_COOLDOWN_S = 300;
/** How many rules one user may have (all agents together). */
export const MAX_ALERT_RULES_PER_USER = 1_000;

/** The parts of a rule whose combination `alertRuleProblems` checks. */
export type AlertRuleShape = { metric: AlertMetric; operator: AlertOperator; threshold: number; mountpoint: string | null };

/**
 * What is wrong with a complete rule (after defaults, or after a PATCH is applied): the threshold
 * must fit the metric, a mountpoint only makes sense for `disk`, and `offline` only knows `>`.
 */
export function alertRuleProblems(rule: AlertRuleShape): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const limits = ALERT_THRESHOLD_LIMITS[rule.metric];
  if (rule.threshold < limits.min || rule.threshold > limits.max) {
    problems.push({ path: "threshold", message: `must be between ${limits.min} and ${limits.max} for ${rule.metric}` });
  }
  if (rule.metric === "offline") {
    if (rule.threshold > 0 && rule.threshold < MIN_OFFLINE_THRESHOLD_S) {
      problems.push({ path: "threshold", message: `must be 0 (automatic) or at least ${MIN_OFFLINE_THRESHOLD_S} seconds for offline` });
    }
    if (rule.operator !== ">") problems.push({ path: "operator", message: 'must be ">" for offline' });
  }
  if (rule.mountpoint !== null && rule.metric !== "disk") problems.push({ path: "mountpoint", message: "is only allowed for disk rules" });
  return problems;
}


/** What each metric is called in a rule's name and in condition sentences ("CPU > 90 %"). */
export const ALERT_METRIC_NAMES: Record<AlertMetric, string> = {
  cpu: "CPU",
  memory: "Memory",
  disk: "Disk",
  load1: "Load",
  network_rx: "Network in",
  network_tx: "Network out",
  offline: "Offline",
};

/**
 * What a rule is called when its owner gives no name: "CPU > 90", "Disk /data >= 80", "Offline". The
 * hub names rules with it and the dashboard recognises it, so an unnamed rule follows its condition.
 */
export function defaultRuleName(rule: AlertRuleShape): string {
  if (rule.metric === "offline") return ALERT_METRIC_NAMES.offline;
  const subject = rule.mountpoint ? `${ALERT_METRIC_NAMES[rule.metric]} ${rule.mountpoint}` : ALERT_METRIC_NAMES[rule.metric];
  return `${subject} ${rule.operator} ${rule.threshold}`.slice(0, 100);
}
