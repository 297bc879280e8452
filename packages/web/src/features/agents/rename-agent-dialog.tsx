/** Renaming an agent: the same name rules as creation, the hub's answer shown under the field. */
import type { Agent } from "@statusmonitor/protocol";
import { useState, type FormEvent } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { TextField } from "../../components/ui/field";
import { Icon } from "../../components/ui/icons";
import { AGENT_NAME_MAX, checkAgentName, nameIssue } from "./agent-name";
import { useRenameAgent } from "./agent-queries";

/** Mounted per agent (keyed by its id) so the field starts from that agent's current name. */
export function RenameAgentDialog({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const rename = useRenameAgent();
  const [name, setName] = useState(agent.name);
  const [nameError, setNameError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkAgentName(name);
    if (!checked.ok) {
      setNameError(checked.error);
      return;
    }
    if (checked.name === agent.name) {
      onClose();
      return;
    }
    setNameError(null);
    try {
      await rename.mutateAsync({ id: agent.id, name: checked.name });
      onClose();
    } catch (error) {
      setNameError(nameIssue(error));
    }
  };

  const hubError = rename.isError && !nameIssue(rename.error) ? describeError(rename.error) : null;
  return (
    <Dialog
      open
      onClose={onClose}
      width="sm"
      icon={<Icon name="edit" />}
      title={`Rename “${agent.name}”`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="rename-agent-form" busy={rename.isPending}>
            Save name
          </Button>
        </>
      }
    >
      <form id="rename-agent-form" onSubmit={(event) => void submit(event)} noValidate className="space-y-3">
        <TextField
          label="Agent name"
          name="name"
          autoFocus
          required
          maxLength={AGENT_NAME_MAX + 16}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            if (nameError) setNameError(null);
          }}
          hint={`1–${AGENT_NAME_MAX} characters. The agent keeps its token and history.`}
          error={nameError}
        />
        {hubError && <AlertBanner>{hubError}</AlertBanner>}
      </form>
    </Dialog>
  );
}
