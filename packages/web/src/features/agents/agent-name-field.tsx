/** The agent name field shared by the create and rename dialogs: its state, the check before sending, and the hub's answer. */
import { useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { TextField } from "../../components/ui/field";
import { AGENT_NAME_MAX, checkAgentName, nameIssue } from "./agent-name";

export interface AgentNameForm {
  name: string;
  error: string | null;
  change: (name: string) => void;
  submit: () => Promise<void>;
  reset: () => void;
}

/** `save` gets the checked (trimmed) name; if the hub rejects it, its reason lands under the field. */
export function useAgentNameForm(initial: string, save: (name: string) => Promise<void>): AgentNameForm {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  return {
    name,
    error,
    change: (value) => {
      setName(value);
      setError(null);
    },
    submit: async () => {
      const checked = checkAgentName(name);
      if (!checked.ok) {
        setError(checked.error);
        return;
      }
      setError(null);
      try {
        await save(checked.name);
      } catch (cause) {
        setError(nameIssue(cause));
      }
    },
    reset: () => {
      setName(initial);
      setError(null);
    },
  };
}

/** `failure` is the save's last error: one about the name shows under the field, any other in a banner below it. */
export function AgentNameField({ form, failure, hint, placeholder }: { form: AgentNameForm; failure: unknown; hint: string; placeholder?: string }) {
  const hubError = failure && !nameIssue(failure) ? describeError(failure) : null;
  return (
    <>
      <TextField
        label="Agent name"
        name="name"
        autoFocus
        required
        maxLength={AGENT_NAME_MAX + 16}
        placeholder={placeholder}
        value={form.name}
        onChange={(event) => form.change(event.target.value)}
        hint={hint}
        error={form.error}
      />
      {hubError && <AlertBanner>{hubError}</AlertBanner>}
    </>
  );
}
