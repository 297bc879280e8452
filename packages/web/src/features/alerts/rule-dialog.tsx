/**
 * Creates or edits a rule in a dialog. The form is checked on the client with the protocol's rules
 * before it is sent, the hub's own issues land under the same fields, and nothing typed is lost on error.
 */
import type { Agent, AlertRule } from "@statusmonitor/protocol";
import { useState } from "react";
import { ApiError, describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { FormDialog } from "../../components/ui/form-dialog";
import { Icon } from "../../components/ui/icons";
import { useSaveRule } from "./alert-queries";
import { RuleFields } from "./rule-fields";
import { newRuleForm, parseRuleForm, patchBody, problemsFromIssues, ruleFormFrom, withMetric, type RuleFormValues, type RuleProblems } from "./rule-form";
import { agentLabel, describeRule } from "./rule-text";

interface Props {
  /** null: a new rule. */
  rule: AlertRule | null;
  agents: Agent[];
  onClose: () => void;
  onSaved: (rule: AlertRule) => void;
}

export function RuleDialog({ rule, agents, onClose, onSaved }: Props) {
  const [values, setValues] = useState<RuleFormValues>(() => (rule ? ruleFormFrom(rule) : newRuleForm()));
  const [problems, setProblems] = useState<RuleProblems>({});
  const [error, setError] = useState<string | null>(null);
  const save = useSaveRule();

  const change = (patch: Partial<RuleFormValues>) => {
    setValues((current) => (patch.metric && patch.metric !== current.metric ? withMetric(current, patch.metric) : { ...current, ...patch }));
    setProblems((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch) as (keyof RuleFormValues)[]) delete next[key];
      // A new metric or unit changes what the threshold means.
      if (patch.metric || patch.rateUnit) delete next.threshold;
      return next;
    });
  };

  const submit = async () => {
    setError(null);
    const parsed = parseRuleForm(values);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      setError("Check the fields marked below.");
      return;
    }
    setProblems({});
    try {
      const saved = await save.mutateAsync({ id: rule?.id ?? null, body: rule ? patchBody(parsed.rule) : parsed.rule });
      onSaved(saved);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === "VALIDATION_FAILED") {
        const fromHub = problemsFromIssues(cause.issues);
        setProblems(fromHub.problems);
        setError(fromHub.rest.length > 0 ? fromHub.rest.join("; ") : "The hub refused some fields; see below.");
      } else if (cause instanceof ApiError && cause.code === "AGENT_NOT_FOUND") {
        setProblems({ agentId: "this agent no longer exists" });
        setError("Choose another agent.");
      } else if (cause instanceof ApiError && cause.code === "ALERT_RULE_NOT_FOUND") {
        setError("This rule was deleted meanwhile (in another tab?). Close the dialog to see the current list.");
      } else {
        setError(describeError(cause));
      }
    }
  };

  const preview = parseRuleForm(values);
  return (
    <FormDialog
      onClose={onClose}
      title={rule ? "Edit rule" : "New rule"}
      icon={<Icon name="bell" />}
      width="lg"
      submitLabel={rule ? "Save rule" : "Create rule"}
      busy={save.isPending}
      onSubmit={submit}
      className="space-y-4"
    >
      {error && <AlertBanner>{error}</AlertBanner>}
      <RuleFields values={values} problems={problems} agents={agents} onChange={change} />
      <p aria-live="polite" className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:bg-slate-800/60 dark:text-slate-300">
        {preview.ok ? (
          <>
            Fires when <strong className="font-semibold">{describeRule(preview.rule)}</strong> on{" "}
            {preview.rule.agent_id === null ? "any of your agents" : agentLabel(preview.rule.agent_id, agents)}
            {preview.rule.enabled ? "." : " (once enabled)."}
          </>
        ) : (
          "Complete the fields to see when this rule fires."
        )}
      </p>
    </FormDialog>
  );
}
