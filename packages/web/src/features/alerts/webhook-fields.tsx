/**
 * The webhook part of the channels form. The secret is write-only: the hub only says whether one is
 * set, so the form offers to keep, replace or remove it instead of showing it.
 */
import { Button } from "../../components/ui/button";
import { TextField, Toggle } from "../../components/ui/field";
import type { ChannelFormValues, ChannelProblems } from "./channel-form";

interface Props {
  values: ChannelFormValues;
  problems: ChannelProblems;
  /** Whether the saved settings carry a secret (`has_secret`). */
  hasSecret: boolean;
  onChange: (patch: Partial<ChannelFormValues>) => void;
}

const SECRET_HINT = "Signs each request with HMAC-SHA256 (X-StatusMonitor-Signature), so your receiver can check it came from this hub.";

export function WebhookFields({ values, problems, hasSecret, onChange }: Props) {
  return (
    <fieldset className="min-w-0 space-y-3 rounded-lg border border-slate-200 p-3 sm:p-4 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Webhook</legend>
      <TextField
        label="Webhook URL"
        value={values.webhookUrl}
        onChange={(event) => onChange({ webhookUrl: event.target.value })}
        placeholder="https://example.com/hook"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        error={problems.webhookUrl}
        hint="Receives a JSON POST for every firing and resolution."
      />
      <SecretControl values={values} problems={problems} hasSecret={hasSecret} onChange={onChange} />
      <Toggle label="Send alerts to the webhook" checked={values.webhookEnabled} onChange={(webhookEnabled) => onChange({ webhookEnabled })} />
    </fieldset>
  );
}

function SecretControl({ values, problems, hasSecret, onChange }: Props) {
  if (hasSecret && values.secretMode !== "replace") {
    const removing = values.secretMode === "remove";
    return (
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-700 dark:text-slate-300">Webhook secret</p>
        <div className="flex flex-wrap items-center gap-2">
          <span className={`text-sm ${removing ? "text-amber-700 dark:text-amber-300" : "text-slate-600 dark:text-slate-400"}`}>
            {removing ? "The secret will be removed when you save." : "A secret is set (it is never shown again)."}
          </span>
          {removing ? (
            <Button size="sm" variant="ghost" onClick={() => onChange({ secretMode: "keep" })}>
              Keep the secret
            </Button>
          ) : (
            <>
              <Button size="sm" variant="secondary" onClick={() => onChange({ secretMode: "replace", newSecret: "" })}>
                Replace secret
              </Button>
              <Button size="sm" variant="ghost" onClick={() => onChange({ secretMode: "remove" })}>
                Remove secret
              </Button>
            </>
          )}
        </div>
        {problems.newSecret && <p className="text-xs text-red-600 dark:text-red-400">{problems.newSecret}</p>}
      </div>
    );
  }
  return (
    <div className="space-y-1">
      <TextField
        label={hasSecret ? "New webhook secret" : "Webhook secret (optional)"}
        type="password"
        autoComplete="new-password"
        value={values.newSecret}
        onChange={(event) => onChange({ newSecret: event.target.value })}
        error={problems.newSecret}
        hint={hasSecret ? "Leave empty to keep the current secret." : SECRET_HINT}
      />
      {hasSecret && (
        <Button size="sm" variant="ghost" onClick={() => onChange({ secretMode: "keep", newSecret: "" })}>
          Keep the current secret
        </Button>
      )}
    </div>
  );
}
