/** How each channel's delivery of an event is described. */
import { describe, expect, it } from "vitest";
import { describeDelivery } from "./event-display";

describe("describeDelivery", () => {
  it.each<[Parameters<typeof describeDelivery>[0], string]>([
    [{ channel: "telegram", status: "sent", attempts: 1, error: null }, "Telegram: sent"],
    [{ channel: "telegram", status: "sent", attempts: 3, error: "HTTP 502" }, "Telegram: sent after 3 attempts"],
    [{ channel: "webhook", status: "failed", attempts: 1, error: "HTTP 404 Not Found" }, "Webhook: failed after 1 attempt (HTTP 404 Not Found)"],
    [{ channel: "webhook", status: "pending", attempts: 0, error: null }, "Webhook: pending"],
    [{ channel: "telegram", status: "pending", attempts: 2, error: "timeout" }, "Telegram: pending, 2 attempts so far (timeout)"],
  ])("%o → %s", (delivery, text) => expect(describeDelivery(delivery)).toBe(text));
});
