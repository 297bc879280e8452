/** The rules card: the table of the user's rules, the create/edit dialog and the delete confirmation. */
import type { AlertRule } from "@statusmonitor/protocol";
import { useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { ConfirmDialog } from "../../components/ui/confirm-dialog";
import { Icon } from "../../components/ui/icons";
import { PageMessage } from "../../components/ui/page-message";
import { Spinner } from "../../components/ui/spinner";
import { useAgents } from "../agents/agent-queries";
import { useAlertRules, useDeleteRule } from "./alert-queries";
import { RuleDialog } from "./rule-dialog";
import { RulesTable } from "./rules-table";

/** Which rule the dialog edits: a new one, an existing one, or none (closed). */
type Editing = { rule: AlertRule | null } | null;

export function RulesCard() {
  const rules = useAlertRules();
  const agents = useAgents();
  const deleteRule = useDeleteRule();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = () => setEditing({ rule: null });
  const newButton = (
    <Button size="sm" onClick={create}>
      <Icon name="plus" className="size-4" />
      New rule
    </Button>
  );

  return (
    // Only one "New rule" button at a time: the empty state brings its own.
    <Card
      title="Rules"
      description="A rule fires when its condition holds for the chosen time, and resolves when the value is clearly back."
      actions={rules.data && rules.data.length > 0 ? newButton : undefined}
    >
      {notice && (
        <AlertBanner tone="success" onDismiss={() => setNotice(null)} className="mb-3">
          {notice}
        </AlertBanner>
      )}
      {rules.isPending ? (
        <Spinner label="Loading rules…" />
      ) : rules.isError ? (
        <AlertBanner>Could not load your rules: {describeError(rules.error)}</AlertBanner>
      ) : rules.data.length === 0 ? (
        <PageMessage
          icon={<Icon name="bell" className="size-8" />}
          title="No rules yet"
          body="Create a rule to be told when CPU, memory or disk run high, the network is busy, or an agent goes silent."
          action={newButton}
        />
      ) : (
        <RulesTable rules={rules.data} agents={agents.data} onEdit={(rule) => setEditing({ rule })} onDelete={setDeleting} />
      )}
      {editing && (
        <RuleDialog
          rule={editing.rule}
          agents={agents.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(editing.rule ? `Rule “${saved.name}” saved.` : `Rule “${saved.name}” created.`);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete rule?"
        confirmLabel="Delete rule"
        body={
          <p>
            “{deleting?.name}” stops watching at once; an alert it has firing ends without a resolution message. Its events stay in the log.
          </p>
        }
        onConfirm={async () => {
          if (!deleting) return;
          await deleteRule.mutateAsync(deleting.id);
          setNotice(`Rule “${deleting.name}” deleted.`);
        }}
        onClose={() => setDeleting(null)}
      />
    </Card>
  );
}
