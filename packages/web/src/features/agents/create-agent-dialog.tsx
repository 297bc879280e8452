/** Creating an agent: a name first, then the new token with its countdown and start-up commands. */
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { FormDialog } from "../../components/ui/form-dialog";
import { Icon } from "../../components/ui/icons";
import { AGENT_NAME_MAX } from "./agent-name";
import { AgentNameField, useAgentNameForm } from "./agent-name-field";
import { useCreateAgent } from "./agent-queries";
import { TokenPanel, type IssuedToken } from "./token-panel";

export function CreateAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateAgent();
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const form = useAgentNameForm("", async (name) => {
    const agent = await create.mutateAsync(name);
    setIssued({ agent, receivedAt: Date.now() });
  });

  const close = () => {
    // Forget the token (and the mutation's copy of it) once the dialog is gone.
    setIssued(null);
    form.reset();
    create.reset();
    onClose();
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

  return (
    <FormDialog open={open} onClose={close} icon={<Icon name="plus" />} title="New agent" submitLabel="Create agent" busy={create.isPending} onSubmit={form.submit}>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Name the machine you want to watch. The next step shows its token, valid for 5 minutes until the agent first connects.
      </p>
      <AgentNameField form={form} failure={create.error} hint={`1–${AGENT_NAME_MAX} characters; you can rename it later.`} placeholder="e.g. web-01, my laptop" />
    </FormDialog>
  );
}
