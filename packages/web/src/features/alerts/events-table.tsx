/** One page of the event log: when, which agent and rule, state, condition, value and how it was delivered. */
import type { AlertEvent } from "@statusmonitor/protocol";
import { Badge } from "../../components/ui/badge";
import { HeaderCell, ScrollTable, TEXT_CELL } from "../../components/ui/table";
import { formatAgo, formatDateTime } from "../../format/time";
import { formatMetricValue } from "./alert-metrics";
import { DeliveryCell } from "./delivery-cell";
import { STATE_BADGES } from "./event-display";
import { describeCondition } from "./rule-text";

interface Props {
  events: AlertEvent[];
  /** When the page was loaded: "x ago" is measured from it, so it moves with every refresh. */
  now: number;
  filtered: boolean;
}

const TD = `${TEXT_CELL} align-top`;

export function EventsTable({ events, now, filtered }: Props) {
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
        {filtered ? "No events match these filters." : "No events yet. They appear here when a rule fires or resolves."}
      </p>
    );
  }
  return (
    <ScrollTable
      minWidth="56rem"
      head={
        <>
          <HeaderCell>Time</HeaderCell>
          <HeaderCell>Agent</HeaderCell>
          <HeaderCell>Rule</HeaderCell>
          <HeaderCell>State</HeaderCell>
          <HeaderCell>Condition</HeaderCell>
          <HeaderCell align="right">Value</HeaderCell>
          <HeaderCell>Delivery</HeaderCell>
        </>
      }
    >
      {events.map((event) => {
        const state = STATE_BADGES[event.state];
        return (
          <tr key={event.id}>
            <td className={`${TD} whitespace-nowrap`}>
              <time dateTime={event.at} className="block text-slate-900 dark:text-slate-100">
                {formatDateTime(event.at)}
              </time>
              <span className="text-xs text-slate-500 dark:text-slate-400">{formatAgo(event.at, now)}</span>
            </td>
            <td className={`${TD} font-medium break-words text-slate-900 dark:text-slate-100`}>{event.agent_name}</td>
            <td className={`${TD} max-w-48 break-words`}>{event.rule_name ?? <span className="text-slate-400 italic dark:text-slate-500">deleted rule</span>}</td>
            <td className={TD}>
              <Badge tone={state.tone}>{state.label}</Badge>
            </td>
            <td className={`${TD} whitespace-nowrap`}>{describeCondition(event)}</td>
            <td
              className={`${TD} text-right font-medium whitespace-nowrap tabular-nums ${
                event.state === "firing" ? "text-red-700 dark:text-red-300" : "text-slate-900 dark:text-slate-100"
              }`}
            >
              {formatMetricValue(event.metric, event.value)}
            </td>
            <td className={TD}>
              <DeliveryCell event={event} />
            </td>
          </tr>
        );
      })}
    </ScrollTable>
  );
}
