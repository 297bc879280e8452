/** How an event's state and delivery read in the log: badge tones, labels and the per-channel detail. */
import type { AlertEvent, DeliveryStatus } from "@statusmonitor/protocol";
import type { BadgeTone } from "../../components/ui/badge";
import { CHANNEL_LABELS } from "./channel-form";

export const STATE_BADGES: Record<AlertEvent["state"], { label: string; tone: BadgeTone }> = {
  firing: { label: "Firing", tone: "red" },
  resolved: { label: "Resolved", tone: "green" },
};

export const DELIVERY_BADGES: Record<DeliveryStatus, { label: string; tone: BadgeTone; hint: string }> = {
  sent: { label: "Sent", tone: "green", hint: "Every channel accepted the message." },
  pending: { label: "Pending", tone: "yellow", hint: "Queued or being retried." },
  failed: { label: "Failed", tone: "red", hint: "A channel gave up on the message." },
  no_channel: { label: "No channel", tone: "gray", hint: "No channel was enabled at the time, so nothing was sent." },
  suppressed: { label: "Suppressed", tone: "purple", hint: "Inside the rule's cooldown: logged, not sent." },
};

type Delivery = AlertEvent["deliveries"][number];

/** "Telegram: sent", "Webhook: failed after 3 attempts (HTTP 500)", "Telegram: pending, 2 attempts so far (timeout)". */
export function describeDelivery({ channel, status, attempts, error }: Delivery): string {
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const reason = error ? ` (${error})` : "";
  switch (status) {
    case "sent":
      return `${CHANNEL_LABELS[channel]}: sent${attempts > 1 ? ` after ${tries}` : ""}`;
    case "failed":
      return `${CHANNEL_LABELS[channel]}: failed after ${tries}${reason}`;
    case "pending":
      return `${CHANNEL_LABELS[channel]}: pending${attempts > 0 ? `, ${tries} so far` : ""}${reason}`;
  }
}
