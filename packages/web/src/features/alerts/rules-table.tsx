/** The rules table: condition in words, agent, cooldown, an enable switch (optimistic) and edit/delete actions. */
import type { Agent, AlertRule } from "@statusmonitor/protocol";
import { useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Toggle } from "../../components/ui/field";
import { Icon } from "../../components/ui/icons";
import { formatSeconds } from "./alert-metrics";
import { useToggleRule } from "./alert-queries";
import { agentLabel, describeRule } from "./rule-text";

interface Props {
  rules: AlertRule[];
  agents: Agent[] | undefined;
  onEdit: (rule: AlertRule) => void;
  onDelete: (rule: AlertRule) => void;
}

const TH = "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400";
const TD = "px-3 py-2.5 align-middle";

export function RulesTable({ rules, agents, onEdit, onDelete }: Props) {
  const toggle = useToggleRule();
  const [toggleError, setToggleError] = useState<string | null>(null);

  const setEnabled = (rule: AlertRule, enabled: boolean) => {
    setToggleError(null);
    toggle.mutate(
      { id: rule.id, enabled },
      { onError: (error) => setToggleError(`Could not ${enabled ? "enable" : "disable"} “${rule.name}”: ${describeError(error)}`) },
    );
  };

  return (
    <div className="space-y-3">
      {toggleError && <AlertBanner onDismiss={() => setToggleError(null)}>{toggleError}</AlertBanner>}
      {/* `relative` keeps the switches' visually hidden inputs inside the scroller; else they widen the page on phones. */}
      <div className="relative -mx-4 overflow-x-auto sm:mx-0">
        <table className="w-full min-w-[44rem] text-sm">
          <thead className="border-b border-slate-200 dark:border-slate-800">
            <tr>
              <th scope="col" className={TH}>Name</th>
              <th scope="col" className={TH}>Agent</th>
              <th scope="col" className={TH}>Condition</th>
              <th scope="col" className={TH}>Cooldown</th>
              <th scope="col" className={TH}>Enabled</th>
              <th scope="col" className={`${TH} text-right`}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rules.map((rule) => (
              <tr key={rule.id} className={rule.enabled ? "" : "text-slate-400 dark:text-slate-500"}>
                <td className={`${TD} max-w-56 font-medium break-words text-slate-900 dark:text-slate-100`}>{rule.name}</td>
                <td className={TD}>{agentLabel(rule.agent_id, agents)}</td>
                <td className={TD}>{describeRule(rule)}</td>
                <td className={`${TD} whitespace-nowrap`}>{rule.cooldown_s === 0 ? "none" : formatSeconds(rule.cooldown_s)}</td>
                <td className={TD}>
                  <Toggle label={<span className="sr-only">Enable rule {rule.name}</span>} checked={rule.enabled} onChange={(enabled) => setEnabled(rule, enabled)} />
                </td>
                <td className={`${TD} text-right whitespace-nowrap`}>
                  <Button size="sm" variant="ghost" onClick={() => onEdit(rule)} aria-label={`Edit rule ${rule.name}`} title="Edit">
                    <Icon name="edit" className="size-4" />
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => onDelete(rule)}
                    aria-label={`Delete rule ${rule.name}`}
                    title="Delete"
                  >
                    <Icon name="trash" className="size-4 text-red-600 dark:text-red-400" />
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
