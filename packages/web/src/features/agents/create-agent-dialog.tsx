/** Creating an agent: a name first, then the new token with its countdown and start-up commands. */
import { useState, type FormEvent } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { TextField } from "../../components/ui/field";
import { Icon } from "../../components/ui/icons";
import { AGENT_NAME_MAX, checkAgentName, nameIssue } from "./agent-name";
import { useCreateAgent } from "./agent-queries";
import { TokenPanel, type IssuedToken } from "./token-panel";

export function CreateAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateAgent();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);

  const close = () => {
    // Forget the token (and the mutation's copy of it) once the dialog is gone.
    setIssued(null);
    setName("");
    setNameError(null);
    create.reset();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkAgentName(name);
    if (!checked.ok) {
      setNameError(checked.error);
      return;
    }
    setNameError(null);
    try {
      const agent = await create.mutateAsync(checked.name);
      setIssued({ agent, receivedAt: Date.now() });
    } catch (error) {
      setNameError(nameIssue(error));
    }
  };

  if (issued) {
    return (
      <Dialog
        open={open}
        onClose={close}
        width="lg"
        icon={<Icon name="check" />}
        title={`Agent “${issued.agent.name}” created`}
        footer={<Button onClick={close}>Done</Button>}
      >
        <TokenPanel issued={issued} onReissued={setIssued} onClose={close} />
      </Dialog>
    );
  }

  const hubError = create.isError && !nameIssue(create.error) ? describeError(create.error) : null;
  return (
    <Dialog
      open={open}
      onClose={close}
      width="sm"
      icon={<Icon name="plus" />}
      title="New agent"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form="create-agent-form" busy={create.isPending}>
            Create agent
          </Button>
        </>
      }
    >
      <form id="create-agent-form" onSubmit={(event) => void submit(event)} noValidate className="space-y-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Name the machine you want to watch. The next step shows its token, valid for 5 minutes until the agent first connects.
        </p>
        <TextField
          label="Agent name"
          name="name"
          autoFocus
          required
          maxLength={AGENT_NAME_MAX + 16}
          placeholder="e.g. web-01, my laptop"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            if (nameError) setNameError(null);
          }}
          hint={`1–${AGENT_NAME_MAX} characters; you can rename it later.`}
          error={nameError}
        />
        {hubError && <AlertBanner>{hubError}</AlertBanner>}
      </form>
    </Dialog>
  );
}
