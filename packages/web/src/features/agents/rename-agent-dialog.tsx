/** Renaming an agent: the same name rules as creation, the hub's answer shown under the field. */
import type { Agent } from "@statusmonitor/protocol";
import { FormDialog } from "../../components/ui/form-dialog";
import { Icon } from "../../components/ui/icons";
import { AGENT_NAME_MAX } from "./agent-name";
import { AgentNameField, useAgentNameForm } from "./agent-name-field";
import { useRenameAgent } from "./agent-queries";

/** Mounted per agent (keyed by its id) so the field starts from that agent's current name. */
export function RenameAgentDialog({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const rename = useRenameAgent();
  const form = useAgentNameForm(agent.name, async (name) => {
    if (name !== agent.name) await rename.mutateAsync({ id: agent.id, name });
    onClose();
  });

  return (
    <FormDialog onClose={onClose} icon={<Icon name="edit" />} title={`Rename “${agent.name}”`} submitLabel="Save name" busy={rename.isPending} onSubmit={form.submit}>
      <AgentNameField form={form} failure={rename.error} hint={`1–${AGENT_NAME_MAX} characters. The agent keeps its token and history.`} />
    </FormDialog>
  );
}
