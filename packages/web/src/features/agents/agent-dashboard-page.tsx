/**
 * One agent's dashboard (/agents/:agentId): name, presence and machine facts, the live connection's
 * state, and the Live and History tabs (the tab is kept in `?tab=` so a reload stays on it). The
 * live session runs for the whole page, so the status stays current on either tab.
 */
import type { Agent } from "@statusmonitor/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ApiError, describeError } from "../../api/api-error";
import { AlertBanner } from "../../components/ui/alert-banner";
import { Button } from "../../components/ui/button";
import { Icon, type IconName } from "../../components/ui/icons";
import { Spinner } from "../../components/ui/spinner";
import { TabList, type TabItem } from "../../components/ui/tab-list";
import { formatAgo } from "../../format/time";
import { HistoryTab } from "../history/history-tab";
import { ConnectionIndicator } from "../live/connection-indicator";
import type { LiveSession } from "../live/live-session";
import { LiveTab } from "../live/live-tab";
import { agentPresence } from "../live/presence";
import { useLiveSession, useNow } from "../live/use-live-session";
import { agentKeys, useAgent } from "./agent-queries";

type TabId = "live" | "history";
const TABS: readonly TabItem<TabId>[] = [
  {
    id: "live",
    label: (
      <>
        <Icon name="activity" className="size-4" />
        Live
      </>
    ),
  },
  {
    id: "history",
    label: (
      <>
        <Icon name="history" className="size-4" />
        History
      </>
    ),
  },
];
const tabIds = (id: TabId) => ({ tab: `tab-${id}`, panel: `panel-${id}` });

const BACK_LINK = "text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400";

function parseAgentId(raw: string | undefined): number | null {
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 ? id : null;
}

/** A whole-page message whose title is the page's <h1> (PageMessage's is an <h2>, for messages inside a page). */
function PageEnd({ title, body, icon }: { title: string; body: string; icon: IconName }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-16 text-center">
      <Icon name={icon} className="size-10 text-slate-400 dark:text-slate-500" />
      <h1 className="text-lg font-semibold text-slate-900 dark:text-slate-50">{title}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">{body}</p>
      <Link to="/agents" className={BACK_LINK}>
        Back to your agents
      </Link>
    </div>
  );
}

function NotFound() {
  return <PageEnd title="Agent not found" icon="monitor" body="There is no agent at this address in your account. It may have been deleted." />;
}

export function AgentDashboardPage() {
  const { agentId } = useParams();
  const id = parseAgentId(agentId);
  return id === null ? <NotFound /> : <AgentDashboard key={id} id={id} />;
}

function AgentDashboard({ id }: { id: number }) {
  const query = useAgent(id);
  // Started at once, in parallel with the agent's details: the charts' history and the socket do not wait for them.
  const live = useLiveSession(id);
  const agent = query.data;

  useEffect(() => {
    if (!agent) return;
    const previous = document.title;
    document.title = `${agent.name} · StatusMonitor`;
    return () => {
      document.title = previous;
    };
  }, [agent]);

  const notFound = query.error instanceof ApiError && query.error.code === "AGENT_NOT_FOUND";
  // A failed refetch (the hub restarting) keeps the page: the connection indicator tells what is going on.
  if (query.error && !agent) {
    if (notFound) return <NotFound />;
    return (
      <div className="space-y-4">
        <BackLink />
        <AlertBanner>
          Could not load this agent: {describeError(query.error)}{" "}
          <Button variant="secondary" size="sm" className="ml-2" onClick={() => void query.refetch()}>
            Try again
          </Button>
        </AlertBanner>
      </div>
    );
  }
  if (!agent || !live) return <Spinner label="Loading the agent…" className="py-10" />;
  return <Dashboard agent={agent} live={live} deleted={notFound} />;
}

function BackLink() {
  return (
    <Link to="/agents" className={`inline-flex items-center gap-1 text-sm font-medium ${BACK_LINK}`}>
      <Icon name="back" className="size-4" />
      Agents
    </Link>
  );
}

function Dashboard({ agent, live, deleted }: { agent: Agent; live: LiveSession; deleted: boolean }) {
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab: TabId = params.get("tab") === "history" ? "history" : "live";
  const stopReason = useSyncExternalStore(live.subscribe, () => live.getSnapshot().stopReason);
  const gone = deleted || stopReason === "agent_gone";

  useEffect(() => {
    if (gone) void queryClient.invalidateQueries({ queryKey: agentKeys.all });
  }, [gone, queryClient]);

  const selectTab = (next: TabId) => {
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === "live") updated.delete("tab");
        else updated.set("tab", next);
        return updated;
      },
      { replace: true },
    );
  };

  if (gone) return <PageEnd title="This agent was deleted" icon="trash" body={`“${agent.name}” no longer exists, so there is nothing more to show.`} />;

  const facts = [agent.hostname, [agent.os, agent.arch].filter(Boolean).join(" "), agent.agent_version ? `agent ${agent.agent_version}` : null].filter(Boolean);
  return (
    <div className="space-y-4">
      <BackLink />
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h1 className="min-w-0 truncate text-2xl font-semibold text-slate-900 dark:text-slate-50">{agent.name}</h1>
            <PresenceBadge agent={agent} live={live} />
          </div>
          <p className="text-sm text-slate-600 dark:text-slate-400">{facts.length > 0 ? facts.join(" · ") : "Host details appear once the agent has reported."}</p>
        </div>
        <ConnectionIndicator live={live} />
      </header>
      <TabList label="Dashboard views" tabs={TABS} selected={tab} onSelect={selectTab} ids={tabIds} className="dark:border-slate-800" />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="pt-1">
        {tab === "live" ? <LiveTab agent={agent} live={live} /> : <HistoryTab agent={agent} />}
      </div>
    </div>
  );
}

const PRESENCE_LOOK = {
  online: { label: "Online", dot: "bg-emerald-500 dark:bg-emerald-400", text: "text-emerald-700 dark:text-emerald-300" },
  offline: { label: "Offline", dot: "bg-red-500 dark:bg-red-400", text: "text-red-700 dark:text-red-300" },
  pending: { label: "Pending", dot: "bg-amber-400 dark:bg-amber-300", text: "text-amber-700 dark:text-amber-300" },
} as const;

/** "Online · live • 2 s ago": ticks every second on its own, without re-rendering the page. */
function PresenceBadge({ agent, live }: { agent: Agent; live: LiveSession }) {
  const now = useNow(1_000);
  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot);
  const streaming = snapshot.connection.status === "live";
  const presence = agentPresence(agent, { live: streaming, liveAt: snapshot.liveAt }, now);
  const look = PRESENCE_LOOK[presence.status];
  const detail =
    presence.status === "pending"
      ? "no sample yet"
      : presence.status === "online" && streaming && snapshot.liveAt !== null
        ? `live • ${formatAgo(presence.lastAt, now)}`
        : presence.lastAt === null
          ? "no sample yet"
          : `last sample ${formatAgo(presence.lastAt, now)}`;
  return (
    <span className="tabular inline-flex items-center gap-1.5 text-sm">
      <span aria-hidden className={`size-2.5 rounded-full ${look.dot} ${presence.status === "online" ? "animate-pulse" : ""}`} />
      <span className={`font-medium ${look.text}`}>{look.label}</span>
      <span className="text-slate-500 dark:text-slate-400">{detail}</span>
    </span>
  );
}
