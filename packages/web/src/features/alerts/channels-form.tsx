/**
 * The channels form: Telegram and webhook side by side, one Save (PUT, both parts) and one "Send test"
 * that tries the settings as typed. Input survives every error; field issues show under their fields.
 */
import type { AlertChannels } from "@statusmonitor/protocol";
import { useState, type FormEvent } from "react";
import { ApiError, describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Icon } from "../../components/ui/icons";
import { useSaveChannels, useTestChannels } from "./alert-queries";
import { channelFormFrom, channelProblemsFromIssues, channelsInput, testLines, testRefusalMessage, type ChannelFormValues, type ChannelProblems, type TestLine } from "./channel-form";
import { ChannelTestResults } from "./channel-test-results";
import { TelegramFields } from "./telegram-fields";
import { WebhookFields } from "./webhook-fields";

type Notice = { tone: "success" | "error" | "warning"; text: string };

export function ChannelsForm({ saved }: { saved: AlertChannels }) {
  const [values, setValues] = useState<ChannelFormValues>(() => channelFormFrom(saved));
  const [problems, setProblems] = useState<ChannelProblems>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [tested, setTested] = useState<TestLine[] | null>(null);
  const save = useSaveChannels();
  const test = useTestChannels();

  const change = (patch: Partial<ChannelFormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    // A field's error is about what was typed before; clear it as soon as it changes.
    setProblems((current) => {
      const next = { ...current };
      if ("telegramChatId" in patch) delete next.telegramChatId;
      if ("webhookUrl" in patch) delete next.webhookUrl;
      if ("newSecret" in patch || "secretMode" in patch) delete next.newSecret;
      return next;
    });
  };

  /** Field issues under their fields; returns the sentence for the banner. */
  const showFailure = (error: unknown, action: string): string => {
    if (error instanceof ApiError && error.code === "VALIDATION_FAILED") {
      const { problems: fieldProblems, rest } = channelProblemsFromIssues(error.issues);
      setProblems(fieldProblems);
      return rest.length > 0 ? rest.join("; ") : `Could not ${action}: check the fields marked below.`;
    }
    return `Could not ${action}: ${describeError(error)}`;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    setProblems({});
    try {
      const stored = await save.mutateAsync(channelsInput(values));
      setValues(channelFormFrom(stored));
      setNotice({ tone: "success", text: "Channels saved." });
    } catch (error) {
      setNotice({ tone: "error", text: showFailure(error, "save the channels") });
    }
  };

  const sendTest = async () => {
    setNotice(null);
    setTested(null);
    setProblems({});
    const input = channelsInput(values);
    try {
      const answer = await test.mutateAsync(input);
      setTested(testLines(answer.results, input, saved.telegram.available));
    } catch (error) {
      const refusal = testRefusalMessage(error);
      setNotice(refusal ? { tone: "warning", text: refusal } : { tone: "error", text: showFailure(error, "send the test") });
    }
  };

  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      <div className="grid gap-4 md:grid-cols-2">
        <TelegramFields values={values} problems={problems} available={saved.telegram.available} onChange={change} />
        <WebhookFields values={values} problems={problems} hasSecret={saved.webhook.has_secret} onChange={change} />
      </div>
      {notice && (
        <AlertBanner tone={notice.tone} onDismiss={() => setNotice(null)}>
          {notice.text}
        </AlertBanner>
      )}
      {tested && <ChannelTestResults lines={tested} onDismiss={() => setTested(null)} />}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" busy={save.isPending}>
          Save channels
        </Button>
        <Button variant="secondary" busy={test.isPending} onClick={() => void sendTest()}>
          <Icon name="zap" className="size-4" />
          Send test
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">The test uses the settings above, even before you save them.</p>
      </div>
    </form>
  );
}
