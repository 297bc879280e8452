/**
 * The one-time view of a new agent token: the token with a copy button, the live activation countdown,
 * the commands to start the agent, and the switch to "Agent connected" (or "Token expired") when that
 * happens. The token lives only in this component's props: never logged, never put in a URL.
 */
import type { AgentWithToken } from "@statusmonitor/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Icon } from "../../components/ui/icons";
import { Spinner } from "../../components/ui/spinner";
import { formatCountdown } from "../../format/time";
import { ACTIVATION_WINDOW_MS, activationDeadline, countdownTone, hasConnected, type CountdownTone } from "./activation";
import { AgentCommandsPanel } from "./agent-commands-panel";
import { agentKeys, useAgentActivation, useRegenerateToken } from "./agent-queries";
import { CopyButton } from "./copy-button";
import { useNow } from "./use-now";

/** A token as it arrived: the hub's answer and when the browser received it. */
export interface IssuedToken {
  agent: AgentWithToken;
  receivedAt: number;
}

const TONE_BOX: Record<Exclude<CountdownTone, "expired">, string> = {
  green: "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200",
  amber: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200",
  red: "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200",
};
const TONE_NUMBER: Record<Exclude<CountdownTone, "expired">, string> = {
  green: "text-emerald-600 dark:text-emerald-400",
  amber: "text-amber-600 dark:text-amber-400",
  red: "text-red-600 dark:text-red-400",
};

interface TokenPanelProps {
  issued: IssuedToken;
  /** A fresh token replaced an expired one. */
  onReissued: (issued: IssuedToken) => void;
  onClose: () => void;
}

export function TokenPanel({ issued, onReissued, onClose }: TokenPanelProps) {
  const { agent, receivedAt } = issued;
  const deadline = activationDeadline(agent.token_expires_at, receivedAt);
  const now = useNow(1_000);
  // `now` may trail the answer's arrival by up to a tick: never show more than the whole window.
  const secondsLeft = Math.min(deadline - now, ACTIVATION_WINDOW_MS) / 1000;
  const tone = countdownTone(secondsLeft);

  // A few seconds past the deadline: a first sample accepted in the last second still shows as connected.
  const check = useAgentActivation(agent.id, receivedAt, secondsLeft > -10);
  const connected = hasConnected(check.data ? { agent: check.data, checkedAt: check.dataUpdatedAt } : null, agent, receivedAt);
  const expired = !connected && tone === "expired";
  const waiting = !connected && !expired;

  // The list behind the dialog polls slowly: refresh it now so it shows the agent online too.
  const queryClient = useQueryClient();
  useEffect(() => {
    if (connected) void queryClient.invalidateQueries({ queryKey: agentKeys.all, exact: true });
  }, [connected, queryClient]);

  const regenerate = useRegenerateToken();
  const tokenRef = useRef<HTMLTextAreaElement>(null);
  const tokenId = useId();

  const reissue = async () => {
    const fresh = await regenerate.mutateAsync(agent.id);
    onReissued({ agent: fresh, receivedAt: Date.now() });
  };

  return (
    <div className="space-y-4">
      {connected && (
        <AlertBanner tone="success">
          <p className="font-semibold">Agent connected</p>
          <p>“{agent.name}” sent its first sample. The token now works for good; keep it in the agent's settings.</p>
          <Link to={`/agents/${agent.id}`} onClick={onClose} className="mt-1 inline-flex items-center gap-1 font-medium underline underline-offset-2">
            <Icon name="activity" className="size-4" />
            Open the dashboard
          </Link>
        </AlertBanner>
      )}

      {expired && (
        <AlertBanner tone="warning">
          <p className="font-semibold">Token expired</p>
          <p>It was not used within 5 minutes and no longer works. Regenerate it to get a new one, then start the agent with that.</p>
          <Button className="mt-2" size="sm" busy={regenerate.isPending} onClick={() => void reissue().catch(() => undefined)}>
            <Icon name="refresh" className="size-4" />
            Regenerate token
          </Button>
          {regenerate.isError && <p className="mt-2 font-medium">{describeError(regenerate.error)}</p>}
        </AlertBanner>
      )}

      {waiting && tone !== "expired" && (
        <div className={`flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border px-4 py-3 ${TONE_BOX[tone]}`}>
          <div className="flex items-center gap-2">
            <Icon name="clock" className={`size-5 ${TONE_NUMBER[tone]}`} />
            <span className="text-sm font-medium">Token valid for</span>
            {/* role=timer is not announced every second; the expiry itself is, by the banner above. */}
            <span role="timer" aria-label={`Token valid for ${formatCountdown(secondsLeft)}`} className={`font-mono text-2xl font-bold tabular-nums ${TONE_NUMBER[tone]}`}>
              {formatCountdown(secondsLeft)}
            </span>
          </div>
          <p className="min-w-48 flex-1 text-xs">Start the agent before the timer runs out. Its first sample activates the token, which then works for good.</p>
          <Spinner label="Waiting for the agent to connect…" className="w-full !text-current" />
        </div>
      )}

      {!expired && (
        <>
          <div className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
            <label htmlFor={tokenId} className="flex items-center gap-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
              <Icon name="warning" className="size-4 text-amber-500" />
              Agent token
            </label>
            <p id={`${tokenId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              Shown only this once: copy it now. If it is lost, regenerate a new one from the agents list.
            </p>
            <textarea
              ref={tokenRef}
              id={tokenId}
              readOnly
              // Focus lands here when the token appears, and focusing selects it: ready for Ctrl+C.
              autoFocus
              rows={1}
              value={agent.token}
              aria-describedby={`${tokenId}-hint`}
              spellCheck={false}
              autoComplete="off"
              onFocus={(event) => event.currentTarget.select()}
              className="field-sizing-content block w-full resize-none rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm break-all text-slate-900 select-all focus:outline-2 focus:outline-indigo-500 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
            />
            <CopyButton text={agent.token} target={tokenRef} label="Copy token" variant="primary">
              Copy token
            </CopyButton>
          </div>
          <AgentCommandsPanel origin={window.location.origin} token={agent.token} />
        </>
      )}
    </div>
  );
}
