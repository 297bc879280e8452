/** One page of the event log: when, which agent and rule, state, condition, value and how it was delivered. */
import type { AlertEvent } from "@statusmonitor/protocol";
import { Badge } from "../../components/ui/badge";
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

const TH = "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400";
const TD = "px-3 py-2.5 align-top";

export function EventsTable({ events, now, filtered }: Props) {
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
        {filtered ? "No events match these filters." : "No events yet. They appear here when a rule fires or resolves."}
      </p>
    );
  }
  return (
    <div className="relative -mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[56rem] text-sm">
        <thead className="border-b border-slate-200 dark:border-slate-800">
          <tr>
            <th scope="col" className={TH}>Time</th>
            <th scope="col" className={TH}>Agent</th>
            <th scope="col" className={TH}>Rule</th>
            <th scope="col" className={TH}>State</th>
            <th scope="col" className={TH}>Condition</th>
            <th scope="col" className={`${TH} text-right`}>Value</th>
            <th scope="col" className={TH}>Delivery</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
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
        </tbody>
      </table>
    </div>
  );
}
