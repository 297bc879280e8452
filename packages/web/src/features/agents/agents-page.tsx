/** The home page: the user's agents with their status, and creating, renaming, re-keying and deleting them. */
import type { Agent } from "@statusmonitor/protocol";
import { useMemo, useState } from "react";
import { describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { ConfirmDialog } from "../../components/ui/confirm-dialog";
import { Dialog } from "../../components/ui/dialog";
import { Icon } from "../../components/ui/icons";
import { PageMessage } from "../../components/ui/page-message";
import { Spinner } from "../../components/ui/spinner";
import { AgentRow, ROW_GRID, type AgentAction } from "./agent-row";
import { sortAgents, summarizeAgents } from "./agent-status";
import { useAgents, useDeleteAgent, useRegenerateToken } from "./agent-queries";
import { CreateAgentDialog } from "./create-agent-dialog";
import { RenameAgentDialog } from "./rename-agent-dialog";
import { TokenPanel, type IssuedToken } from "./token-panel";
import { useNow } from "./use-now";

type Pending = { action: AgentAction; agent: Agent } | null;

export function AgentsPage() {
  const agents = useAgents();
  const now = useNow(1_000);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const regenerate = useRegenerateToken();
  const remove = useDeleteAgent();
  const sorted = useMemo(() => sortAgents(agents.data ?? []), [agents.data]);

  const closePending = () => setPending(null);
  const closeToken = () => {
    setIssued(null);
    regenerate.reset();
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900 dark:text-slate-50">Agents</h1>
          <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            {agents.data && agents.data.length > 0 ? summarizeAgents(agents.data) : "The machines that send their metrics to this hub."}
          </p>
        </div>
        <Button onClick={() => setCreating(true)}>
          <Icon name="plus" className="size-4" />
          New agent
        </Button>
      </div>

      {agents.isError && (
        <AlertBanner>
          <span>{agents.data ? "Could not refresh the list: " : "Could not load your agents: "}</span>
          {describeError(agents.error)}{" "}
          <button type="button" onClick={() => void agents.refetch()} className="font-medium underline underline-offset-2">
            Try again
          </button>
        </AlertBanner>
      )}

      {agents.isPending && <Spinner label="Loading your agents…" className="py-10" />}

      {agents.data && agents.data.length === 0 && <EmptyState onCreate={() => setCreating(true)} />}

      {sorted.length > 0 && (
        <div className="md:overflow-hidden md:rounded-xl md:border md:border-slate-200 md:bg-white md:shadow-xs md:dark:border-slate-800 md:dark:bg-slate-900">
          <div aria-hidden className={`hidden border-b border-slate-200 bg-slate-50 px-5 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase md:grid dark:border-slate-800 dark:bg-slate-950/40 dark:text-slate-400 ${ROW_GRID}`}>
            <span className="pl-5.5">Agent</span>
            <span>Last seen</span>
            <span>Machine</span>
            <span className="text-right">Actions</span>
          </div>
          <ul aria-label="Your agents" className="space-y-3 md:space-y-0">
            {sorted.map((agent) => (
              <AgentRow key={agent.id} agent={agent} now={now} onAction={(action, target) => setPending({ action, agent: target })} />
            ))}
          </ul>
        </div>
      )}

      <CreateAgentDialog open={creating} onClose={() => setCreating(false)} />

      {pending?.action === "rename" && <RenameAgentDialog key={pending.agent.id} agent={pending.agent} onClose={closePending} />}

      <ConfirmDialog
        open={pending?.action === "regenerate"}
        title="Regenerate the token?"
        confirmLabel="Regenerate token"
        body={
          <>
            <p>
              The current token of <strong>{pending?.agent.name}</strong> stops working at once: an agent running with it is refused until you restart it with the new one.
            </p>
            <p>The new token is shown once and must be used within 5 minutes. History and alert rules stay as they are.</p>
          </>
        }
        onConfirm={async () => {
          const agent = pending!.agent;
          const fresh = await regenerate.mutateAsync(agent.id);
          setIssued({ agent: fresh, receivedAt: Date.now() });
        }}
        onClose={closePending}
      />

      <ConfirmDialog
        open={pending?.action === "delete"}
        title="Delete this agent?"
        confirmLabel="Delete agent"
        body={
          <>
            <p>
              <strong>{pending?.agent.name}</strong> is removed with all its data: live and historical metrics, its alert rules and their events. Its token stops working.
            </p>
            <p>This cannot be undone.</p>
          </>
        }
        onConfirm={() => remove.mutateAsync(pending!.agent.id)}
        onClose={closePending}
      />

      {issued && (
        <Dialog open onClose={closeToken} width="lg" icon={<Icon name="key" />} title={`New token for “${issued.agent.name}”`} footer={<Button onClick={closeToken}>Done</Button>}>
          <TokenPanel issued={issued} onReissued={setIssued} onClose={closeToken} />
        </Dialog>
      )}
    </div>
  );
}

function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900">
      <PageMessage
        icon={<Icon name="monitor" className="size-10" />}
        title="No agents yet"
        body={
          <ol className="mt-1 list-decimal space-y-1 pl-5 text-left">
            <li>Create an agent and give it the machine's name.</li>
            <li>Copy its token: it is shown once and must be used within 5 minutes.</li>
            <li>
              Run the agent on that machine with <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">INGESTION_URL</code> and{" "}
              <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">AGENT_TOKEN</code>; it shows up here as online.
            </li>
          </ol>
        }
        action={
          <Button onClick={onCreate}>
            <Icon name="plus" className="size-4" />
            Create your first agent
          </Button>
        }
      />
    </div>
  );
}
