/**
 * An event's delivery: the overall status as a badge, expandable (native <details>, keyboard-friendly)
 * to each channel's status, attempts and last error, and the message text that was sent.
 */
import type { AlertEvent } from "@statusmonitor/protocol";
import { Badge } from "../../components/ui/badge";
import { DELIVERY_BADGES, describeDelivery } from "./event-display";

export function DeliveryCell({ event }: { event: AlertEvent }) {
  const badge = DELIVERY_BADGES[event.delivery];
  if (event.deliveries.length === 0) {
    return (
      <span title={badge.hint}>
        <Badge tone={badge.tone}>{badge.label}</Badge>
      </span>
    );
  }
  return (
    <details className="group max-w-xs">
      <summary
        className="inline-flex cursor-pointer list-none items-center gap-1 rounded focus-visible:outline-2 focus-visible:outline-indigo-500 [&::-webkit-details-marker]:hidden"
        title={badge.hint}
      >
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="text-xs text-slate-500 group-open:hidden dark:text-slate-400">details ▸</span>
        <span className="hidden text-xs text-slate-500 group-open:inline dark:text-slate-400">hide ▾</span>
      </summary>
      <ul className="mt-1.5 space-y-0.5 text-xs text-slate-600 dark:text-slate-300">
        {event.deliveries.map((delivery) => (
          <li key={delivery.channel} className="break-words">
            {describeDelivery(delivery)}
          </li>
        ))}
      </ul>
      {event.message && (
        <pre className="mt-1.5 max-h-40 overflow-auto rounded bg-slate-50 p-2 font-sans text-xs whitespace-pre-wrap text-slate-600 dark:bg-slate-800/60 dark:text-slate-300">
          {event.message}
        </pre>
      )}
    </details>
  );
}
