/** The fields of the rule form: what to watch (agent, metric, mountpoint), when to fire (condition, time) and how often to tell. */
import type { Agent, AlertMetric, AlertOperator } from "@statusmonitor/protocol";
import { ALERT_THRESHOLD_LIMITS, defaultRuleName } from "@statusmonitor/protocol/constants";
import { SelectField, TextField, Toggle } from "../../components/ui/field";
import { ALERT_METRICS, METRIC_LABELS, OPERATOR_LABELS, operatorsFor, thresholdKind } from "./alert-metrics";
import { parseRuleForm, RATE_UNITS, type RuleFormValues, type RuleProblems } from "./rule-form";

interface Props {
  values: RuleFormValues;
  problems: RuleProblems;
  agents: Agent[];
  onChange: (patch: Partial<RuleFormValues>) => void;
}

export function RuleFields({ values, problems, agents, onChange }: Props) {
  const parsed = parseRuleForm(values);
  // An edited rule may point at an agent the list does not hold (yet); keep it selectable.
  const missingAgent = values.agentId !== "" && !agents.some((agent) => String(agent.id) === values.agentId);
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <SelectField label="Agent" value={values.agentId} onChange={(event) => onChange({ agentId: event.target.value })} error={problems.agentId}>
        <option value="">All agents (also ones added later)</option>
        {agents.map((agent) => (
          <option key={agent.id} value={String(agent.id)}>
            {agent.name}
          </option>
        ))}
        {missingAgent && <option value={values.agentId}>Agent #{values.agentId}</option>}
      </SelectField>
      <SelectField label="Metric" value={values.metric} onChange={(event) => onChange({ metric: event.target.value as AlertMetric })} error={problems.metric}>
        {ALERT_METRICS.map((metric) => (
          <option key={metric} value={metric}>
            {METRIC_LABELS[metric]}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Condition"
        value={values.operator}
        disabled={values.metric === "offline"}
        onChange={(event) => onChange({ operator: event.target.value as AlertOperator })}
        error={problems.operator}
        hint={values.metric === "offline" ? "Offline rules fire when the agent is silent for longer than the threshold." : undefined}
      >
        {operatorsFor(values.metric).map((operator) => (
          <option key={operator} value={operator}>
            {OPERATOR_LABELS[operator]}
          </option>
        ))}
      </SelectField>
      <ThresholdField values={values} problems={problems} onChange={onChange} />
      {values.metric === "disk" && (
        <TextField
          label="Mountpoint (optional)"
          value={values.mountpoint}
          onChange={(event) => onChange({ mountpoint: event.target.value })}
          placeholder="/"
          spellCheck={false}
          autoComplete="off"
          error={problems.mountpoint}
          hint="Empty: whichever disk is fullest."
          className="sm:col-span-2"
        />
      )}
      <TextField
        label="Must hold for (s)"
        inputMode="numeric"
        value={values.durationS}
        onChange={(event) => onChange({ durationS: event.target.value })}
        error={problems.durationS}
        hint="0: fire at the first sample that crosses the threshold."
      />
      <TextField
        label="Cooldown (s)"
        inputMode="numeric"
        value={values.cooldownS}
        onChange={(event) => onChange({ cooldownS: event.target.value })}
        error={problems.cooldownS}
        hint="Least time between two alerts of this rule for one agent (default 300)."
      />
      <TextField
        label="Name (optional)"
        value={values.name}
        maxLength={120}
        onChange={(event) => onChange({ name: event.target.value })}
        placeholder={parsed.ok ? defaultRuleName(parsed.rule) : "Named after its condition"}
        error={problems.name}
        hint="Empty: named after its condition."
      />
      <div className="flex items-end pb-2">
        <Toggle label="Enabled" checked={values.enabled} onChange={(enabled) => onChange({ enabled })} />
      </div>
    </div>
  );
}

function ThresholdField({ values, problems, onChange }: Omit<Props, "agents">) {
  const kind = thresholdKind(values.metric);
  const { unit, max } = ALERT_THRESHOLD_LIMITS[values.metric];
  const input = (label: string, hint: string, className = "") => (
    <TextField
      label={label}
      inputMode="decimal"
      value={values.threshold}
      onChange={(event) => onChange({ threshold: event.target.value })}
      error={problems.threshold}
      hint={hint}
      className={className}
    />
  );
  switch (kind) {
    case "percent":
      return input(`Threshold (${unit})`, "Between 0 and 100 %.");
    case "number":
      return input("Threshold", "The 1-minute load average; compare it with the number of CPU cores.");
    case "seconds":
      return input(`Silent for more than (${unit})`, `0: automatic, 3 × the agent's interval and at least 30 s. Else 10 to ${max.toLocaleString("en-US")} s.`);
    case "rate":
      return (
        <div className="flex items-start gap-2">
          {input("Threshold", "Summed over all network interfaces.", "min-w-0 flex-1")}
          <SelectField
            label={
              <>
                Unit<span className="sr-only"> of the threshold</span>
              </>
            }
            value={String(values.rateUnit)} onChange={(event) => onChange({ rateUnit: Number(event.target.value) })} className="w-28">
            {RATE_UNITS.map((option) => (
              <option key={option.bytes} value={String(option.bytes)}>
                {option.label}
              </option>
            ))}
          </SelectField>
        </div>
      );
  }
}
