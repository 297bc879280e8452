/** The rules table: condition in words, agent, cooldown, an enable switch (optimistic) and edit/delete actions. */
import type { Agent, AlertRule } from "@statusmonitor/protocol";
import { useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Toggle } from "../../components/ui/field";
import { Icon } from "../../components/ui/icons";
import { HeaderCell, ScrollTable, TEXT_CELL } from "../../components/ui/table";
import { formatSeconds } from "./alert-metrics";
import { useToggleRule } from "./alert-queries";
import { agentLabel, describeRule } from "./rule-text";

interface Props {
  rules: AlertRule[];
  agents: Agent[] | undefined;
  onEdit: (rule: AlertRule) => void;
  onDelete: (rule: AlertRule) => void;
}

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
      <ScrollTable
        minWidth="44rem"
        head={
          <>
            <HeaderCell>Name</HeaderCell>
            <HeaderCell>Agent</HeaderCell>
            <HeaderCell>Condition</HeaderCell>
            <HeaderCell>Cooldown</HeaderCell>
            <HeaderCell>Enabled</HeaderCell>
            <HeaderCell align="right">
              <span className="sr-only">Actions</span>
            </HeaderCell>
          </>
        }
      >
        {rules.map((rule) => (
          <tr key={rule.id} className={rule.enabled ? "" : "text-slate-400 dark:text-slate-500"}>
            <td className={`${TEXT_CELL} max-w-56 font-medium break-words text-slate-900 dark:text-slate-100`}>{rule.name}</td>
            <td className={TEXT_CELL}>{agentLabel(rule.agent_id, agents)}</td>
            <td className={TEXT_CELL}>{describeRule(rule)}</td>
            <td className={`${TEXT_CELL} whitespace-nowrap`}>{rule.cooldown_s === 0 ? "none" : formatSeconds(rule.cooldown_s)}</td>
            <td className={TEXT_CELL}>
              <Toggle label={<span className="sr-only">Enable rule {rule.name}</span>} checked={rule.enabled} onChange={(enabled) => setEnabled(rule, enabled)} />
            </td>
            <td className={`${TEXT_CELL} text-right whitespace-nowrap`}>
              <Button size="sm" variant="ghost" onClick={() => onEdit(rule)} aria-label={`Edit rule ${rule.name}`} title="Edit">
                <Icon name="edit" className="size-4" />
              </Button>
              <Button size="sm" variant="ghost" onClick={() => onDelete(rule)} aria-label={`Delete rule ${rule.name}`} title="Delete">
                <Icon name="trash" className="size-4 text-red-600 dark:text-red-400" />
              </Button>
            </td>
          </tr>
        ))}
      </ScrollTable>
    </div>
  );
}
