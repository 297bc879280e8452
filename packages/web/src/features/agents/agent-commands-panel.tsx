/** Tabs of ready-to-paste commands that start the agent with the new token (environment, npx, binary, systemd). */
import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { buildAgentCommands, type CommandId } from "./agent-commands";
import { CopyButton } from "./copy-button";

export function AgentCommandsPanel({ origin, token }: { origin: string; token: string }) {
  const commands = useMemo(() => buildAgentCommands(origin, token), [origin, token]);
  const [selected, setSelected] = useState<CommandId>("npx");
  const tabs = useRef<Map<CommandId, HTMLButtonElement>>(new Map());
  const block = useRef<HTMLPreElement>(null);
  const baseId = useId();
  const current = commands.find((command) => command.id === selected) ?? commands[0]!;

  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  const onKeyDown = (event: KeyboardEvent) => {
    const index = commands.findIndex((command) => command.id === selected);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    let next = step === 0 ? -1 : (index + step + commands.length) % commands.length;
    if (event.key === "Home") next = 0;
    if (event.key === "End") next = commands.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const id = commands[next]!.id;
    setSelected(id);
    tabs.current.get(id)?.focus();
  };

  return (
    <section aria-labelledby={`${baseId}-heading`} className="space-y-2">
      <h3 id={`${baseId}-heading`} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        Run the agent on the machine
      </h3>
      <div role="tablist" aria-label="Ways to run the agent" onKeyDown={onKeyDown} className="flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-700">
        {commands.map((command) => {
          const active = command.id === selected;
          return (
            <button
              key={command.id}
              ref={(element) => {
                if (element) tabs.current.set(command.id, element);
                else tabs.current.delete(command.id);
              }}
              type="button"
              role="tab"
              id={`${baseId}-tab-${command.id}`}
              aria-selected={active}
              aria-controls={`${baseId}-panel`}
              tabIndex={active ? 0 : -1}
              onClick={() => setSelected(command.id)}
              className={`-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-500 ${
                active
                  ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                  : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
              }`}
            >
              {command.label}
            </button>
          );
        })}
      </div>
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
