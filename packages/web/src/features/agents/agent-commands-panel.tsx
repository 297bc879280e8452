/** Tabs of ready-to-paste commands that start the agent with the new token (environment, npx, binary, systemd). */
import { useId, useMemo, useRef, useState } from "react";
import { TabList } from "../../components/ui/tab-list";
import { buildAgentCommands, type CommandId } from "./agent-commands";
import { CopyButton } from "./copy-button";

export function AgentCommandsPanel({ origin, token }: { origin: string; token: string }) {
  const commands = useMemo(() => buildAgentCommands(origin, token), [origin, token]);
  const [selected, setSelected] = useState<CommandId>("npx");
  const block = useRef<HTMLPreElement>(null);
  const baseId = useId();
  const current = commands.find((command) => command.id === selected) ?? commands[0]!;

  return (
    <section aria-labelledby={`${baseId}-heading`} className="space-y-2">
      <h3 id={`${baseId}-heading`} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        Run the agent on the machine
      </h3>
      <TabList
        label="Ways to run the agent"
        tabs={commands}
        selected={selected}
        onSelect={setSelected}
        ids={(id) => ({ tab: `${baseId}-tab-${id}`, panel: `${baseId}-panel` })}
        className="overflow-x-auto dark:border-slate-700"
      />
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${current.id}`} className="space-y-2">
        <p className="text-xs text-slate-600 dark:text-slate-400">{current.hint}</p>
        <div className="relative rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-950">
          <pre
            ref={block}
            tabIndex={0}
            aria-label={`${current.label} command`}
            className="px-3 py-2.5 font-mono text-xs leading-relaxed whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere] select-all focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-200"
          >
            {current.text}
          </pre>
        </div>
        <CopyButton text={current.text} target={block} label={`Copy ${current.label} command`} />
      </div>
    </section>
  );
}
