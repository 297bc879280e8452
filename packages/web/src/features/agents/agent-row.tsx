/** One agent in the list: status, name, last contact, machine facts and its actions (a card on phones, a row on wider screens). */
import type { Agent } from "@statusmonitor/protocol";
import { Link } from "react-router";
import { Icon, type IconName } from "../../components/ui/icons";
import { formatAgo, formatDateTime } from "../../format/time";
import { hostFacts, STATUS_LOOK, tokenNote } from "./agent-status";

/** Columns shared by the rows and the header above them (md and up). */
export const ROW_GRID = "md:grid md:grid-cols-[minmax(0,1.2fr)_minmax(0,0.8fr)_minmax(0,1.6fr)_9.5rem] md:items-center md:gap-4";

export type AgentAction = "rename" | "regenerate" | "delete";

export function StatusDot({ status }: { status: Agent["status"] }) {
  return (
    <span aria-hidden className="relative mt-1.5 flex size-2.5 shrink-0">
      {status === "online" && <span className="absolute inline-flex size-full rounded-full bg-emerald-400 opacity-60 motion-safe:animate-ping dark:bg-emerald-300" />}
      <span className={`relative inline-flex size-2.5 rounded-full ${STATUS_LOOK[status].dot}`} />
    </span>
  );
}

/** Icon-only with a tooltip on wider screens; on phones (no hover) the short label is shown beside the icon. */
const ACTION_CLASS =
  "inline-flex h-9 min-w-9 items-center justify-center gap-1 rounded-lg px-1.5 text-xs font-medium md:px-0 text-slate-500 transition-colors hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white";

function ActionButton({ icon, label, short, hint, onClick, danger = false }: { icon: IconName; label: string; short: string; hint: string; onClick: () => void; danger?: boolean }) {
  return (
    <button type="button" aria-label={label} title={hint} onClick={onClick} className={`${ACTION_CLASS} ${danger ? "hover:!bg-red-50 hover:!text-red-700 dark:hover:!bg-red-950 dark:hover:!text-red-300" : ""}`}>
      <Icon name={icon} className="size-[1.125rem]" />
      <span aria-hidden className="md:hidden">
        {short}
      </span>
    </button>
  );
}

/** A small label above a value on phones; on wider screens the header row names the column instead. */
const CELL_LABEL = "text-xs font-medium text-slate-500 md:sr-only dark:text-slate-400";

export function AgentRow({ agent, now, onAction }: { agent: Agent; now: number; onAction: (action: AgentAction, agent: Agent) => void }) {
  const look = STATUS_LOOK[agent.status];
  const note = tokenNote(agent, now);
  const facts = hostFacts(agent);
  return (
    <li className={`rounded-xl border border-slate-200 bg-white p-4 shadow-xs md:rounded-none md:border-0 md:border-b md:px-5 md:py-3 md:shadow-none md:last:border-b-0 dark:border-slate-800 dark:bg-slate-900 ${ROW_GRID}`}>
      <div className="flex min-w-0 items-start gap-3">
        <StatusDot status={agent.status} />
        <div className="min-w-0">
          <Link
            to={`/agents/${agent.id}`}
            className="block truncate font-semibold text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
          >
            {agent.name}
          </Link>
          <p className="text-xs">
            <span className={`font-medium ${look.text}`}>{look.label}</span>
            {note && <span className={note.tone === "warning" ? "text-amber-700 dark:text-amber-300" : "text-slate-500 dark:text-slate-400"}> · {note.text}</span>}
          </p>
        </div>
      </div>

      <div className="mt-3 grid grid-cols-2 gap-3 pl-5.5 md:contents">
        <div className="min-w-0">
          <p className={CELL_LABEL}>Last seen</p>
          <p className="text-sm text-slate-800 tabular-nums dark:text-slate-200">
            {agent.last_seen ? (
              <time dateTime={agent.last_seen} title={formatDateTime(agent.last_seen)}>
                {formatAgo(agent.last_seen, now)}
              </time>
            ) : (
              <span className="text-slate-500 dark:text-slate-400">Never</span>
            )}
          </p>
        </div>

        <div className="min-w-0">
          <p className={CELL_LABEL}>Machine</p>
          {agent.hostname || facts.length > 0 ? (
            <>
              <p className="truncate font-mono text-sm text-slate-800 dark:text-slate-200" title={agent.hostname ?? undefined}>
                {agent.hostname ?? "—"}
              </p>
              <p className="text-xs text-slate-500 md:truncate dark:text-slate-400" title={facts.join(" · ")}>
                {facts.join(" · ")}
              </p>
            </>
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">Not reported yet</p>
          )}
        </div>
      </div>

      <div className="mt-3 flex items-center justify-between gap-0.5 border-t border-slate-100 pt-2 md:mt-0 md:justify-end md:border-0 md:pt-0 dark:border-slate-800">
        <Link to={`/agents/${agent.id}`} aria-label={`Open dashboard of ${agent.name}`} title="Open dashboard" className={ACTION_CLASS}>
          <Icon name="activity" className="size-[1.125rem]" />
          <span aria-hidden className="md:hidden">
            Dashboard
          </span>
        </Link>
        <ActionButton icon="edit" label={`Rename ${agent.name}`} short="Rename" hint="Rename" onClick={() => onAction("rename", agent)} />
        <ActionButton icon="key" label={`Regenerate token of ${agent.name}`} short="Token" hint="Regenerate token" onClick={() => onAction("regenerate", agent)} />
        <ActionButton icon="trash" label={`Delete ${agent.name}`} short="Delete" hint="Delete" onClick={() => onAction("delete", agent)} danger />
      </div>
    </li>
  );
}
