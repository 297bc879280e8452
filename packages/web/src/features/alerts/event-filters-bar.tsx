/** The event log's filters: agent, metric, state, sort and page size; every change starts at the first page. */
import type { Agent, AlertMetric } from "@statusmonitor/protocol";
import { SelectField } from "../../components/ui/field";
import { ALERT_METRICS, METRIC_LABELS } from "./alert-metrics";
import { changeFilters, EVENT_STATES, PAGE_SIZES, type EventFilters, type EventSort, type EventState, type PageSize } from "./event-filters";
import { STATE_BADGES } from "./event-display";

interface Props {
  filters: EventFilters;
  agents: Agent[] | undefined;
  onChange: (filters: EventFilters) => void;
}

export function EventFiltersBar({ filters, agents, onChange }: Props) {
  const set = (change: Partial<Omit<EventFilters, "offset">>) => onChange(changeFilters(filters, change));
  const agentKnown = filters.agentId === null || agents?.some((agent) => agent.id === filters.agentId);
  return (
    <div role="group" aria-label="Event filters" className="grid grid-cols-2 gap-3 rounded-lg bg-slate-50 p-3 sm:grid-cols-3 lg:grid-cols-5 dark:bg-slate-800/40">
      <SelectField label="Agent" value={filters.agentId ?? ""} onChange={(event) => set({ agentId: event.target.value === "" ? null : Number(event.target.value) })}>
        <option value="">All agents</option>
        {agents?.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name}
          </option>
        ))}
        {/* A deleted agent's events stay in the log; a link filtering on it must still show what it filters. */}
        {!agentKnown && <option value={filters.agentId ?? ""}>Agent #{filters.agentId}</option>}
      </SelectField>
      <SelectField label="Metric" value={filters.metric ?? ""} onChange={(event) => set({ metric: event.target.value === "" ? null : (event.target.value as AlertMetric) })}>
        <option value="">All metrics</option>
        {ALERT_METRICS.map((metric) => (
          <option key={metric} value={metric}>
            {METRIC_LABELS[metric]}
          </option>
        ))}
      </SelectField>
      <SelectField label="State" value={filters.state ?? ""} onChange={(event) => set({ state: event.target.value === "" ? null : (event.target.value as EventState) })}>
        <option value="">All states</option>
        {EVENT_STATES.map((state) => (
          <option key={state} value={state}>
            {STATE_BADGES[state].label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Sort" value={filters.sort} onChange={(event) => set({ sort: event.target.value as EventSort })}>
        <option value="newest">Newest first</option>
        <option value="oldest">Oldest first</option>
      </SelectField>
      <SelectField label="Per page" value={filters.limit} onChange={(event) => set({ limit: Number(event.target.value) as PageSize })}>
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
