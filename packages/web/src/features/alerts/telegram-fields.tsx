/** The Telegram part of the channels form: chat id, on/off, how to find the id, and a warning when the hub has no bot. */
import { AlertBanner } from "../../components/ui/alert-banner";
import { TextField, Toggle } from "../../components/ui/field";
import type { ChannelFormValues, ChannelProblems } from "./channel-form";

interface Props {
  values: ChannelFormValues;
  problems: ChannelProblems;
  /** False when the hub runs without TELEGRAM_BOT_TOKEN. */
  available: boolean;
  onChange: (patch: Partial<ChannelFormValues>) => void;
}

export function TelegramFields({ values, problems, available, onChange }: Props) {
  return (
    <fieldset className="min-w-0 space-y-3 rounded-lg border border-slate-200 p-3 sm:p-4 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Telegram</legend>
      {!available && (
        <AlertBanner tone="warning">
          This hub has no Telegram bot token, so nothing can be sent to Telegram yet (a test answers TELEGRAM_NOT_CONFIGURED). Ask the
          administrator to start the hub with <code className="font-mono text-xs">TELEGRAM_BOT_TOKEN</code>, or use a webhook.
        </AlertBanner>
      )}
      <TextField
        label="Telegram chat ID"
        value={values.telegramChatId}
        onChange={(event) => onChange({ telegramChatId: event.target.value })}
        placeholder="123456789"
        autoComplete="off"
        spellCheck={false}
        error={problems.telegramChatId}
        hint={
          <>
            Write any message to the hub&apos;s bot first (a bot cannot start a chat), then ask{" "}
            <a href="https://t.me/userinfobot" target="_blank" rel="noreferrer" className="text-indigo-600 underline dark:text-indigo-400">
              @userinfobot
            </a>{" "}
            for your ID. Groups have negative IDs; a public <span className="font-mono">@channel</span> works if the bot may post there.
          </>
        }
      />
      <Toggle label="Send alerts to Telegram" checked={values.telegramEnabled} onChange={(telegramEnabled) => onChange({ telegramEnabled })} />
    </fieldset>
  );
}
