/** An ARIA tablist of underlined tabs: the selected tab is the one in the Tab order, and arrow keys, Home and End move between tabs and select them. */
import { useRef, type ReactNode } from "react";
import { tabAfterKey } from "./tab-keys";

export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
}

interface TabListProps<T extends string> {
  /** Names the tablist for screen readers. */
  label: string;
  tabs: readonly TabItem<T>[];
  selected: T;
  onSelect: (id: T) => void;
  /** The element ids of a tab and of the panel it controls; the panel names itself by the tab's id. */
  ids: (id: T) => { tab: string; panel: string };
  /** More classes for the row, e.g. its border colour or sideways scrolling. */
  className?: string;
}

export function TabList<T extends string>({ label, tabs, selected, onSelect, ids, className = "" }: TabListProps<T>) {
  const buttons = useRef(new Map<T, HTMLButtonElement>());
  return (
    <div
      role="tablist"
      aria-label={label}
      onKeyDown={(event) => {
        const next = tabAfterKey(event.key, tabs.findIndex((tab) => tab.id === selected), tabs.length);
        if (next === null) return;
        event.preventDefault();
        const id = tabs[next]!.id;
        onSelect(id);
        buttons.current.get(id)?.focus();
      }}
      className={`flex gap-1 border-b border-slate-200 ${className}`}
    >
      {tabs.map((tab) => {
        const active = tab.id === selected;
        const { tab: tabId, panel } = ids(tab.id);
        return (
          <button
            key={tab.id}
            ref={(button) => {
              if (button) buttons.current.set(tab.id, button);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={tabId}
            aria-selected={active}
            aria-controls={panel}
            tabIndex={active ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            className={`-mb-px inline-flex shrink-0 items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-500 ${
              active
                ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
                : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:border-slate-600 dark:hover:text-slate-100"
            }`}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
