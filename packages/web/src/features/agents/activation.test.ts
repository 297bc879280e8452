/** Tests of the activation countdown: deadline despite a wrong browser clock, colour bands, connection detection. */
import { describe, expect, it } from "vitest";
import { ACTIVATION_WINDOW_MS, activationDeadline, countdownTone, hasConnected, type AgentCheck } from "./activation";

const RECEIVED = Date.parse("2025-06-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("activationDeadline", () => {
  it.each<[string, string | null, number]>([
    ["the hub's deadline when clocks agree", iso(RECEIVED + ACTIVATION_WINDOW_MS - 200), RECEIVED + ACTIVATION_WINDOW_MS - 200],
    ["the hub's deadline a little past the window (small skew)", iso(RECEIVED + ACTIVATION_WINDOW_MS + 10_000), RECEIVED + ACTIVATION_WINDOW_MS + 10_000],
    ["the window from arrival when the browser runs 10 min fast", iso(RECEIVED - 5 * 60_000), RECEIVED + ACTIVATION_WINDOW_MS],
    ["the window from arrival when the browser runs 10 min slow", iso(RECEIVED + 15 * 60_000), RECEIVED + ACTIVATION_WINDOW_MS],
    ["the window from arrival without a deadline", null, RECEIVED + ACTIVATION_WINDOW_MS],
    ["the window from arrival for a bad date", "soon", RECEIVED + ACTIVATION_WINDOW_MS],
  ])("%s", (_, expiresAt, expected) => expect(activationDeadline(expiresAt, RECEIVED)).toBe(expected));
});

describe("countdownTone", () => {
  it.each<[number, ReturnType<typeof countdownTone>]>([
    [300, "green"],
    [121, "green"],
    [120.5, "green"],
    [120, "amber"],
    [61, "amber"],
    [60, "red"],
    [0.5, "red"],
    [0, "expired"],
    [-5, "expired"],
    [Number.NaN, "expired"],
  ])("%s s → %s", (seconds, tone) => expect(countdownTone(seconds)).toBe(tone));
});

describe("hasConnected", () => {
  const before = "2025-06-01T11:59:59.000Z";
  const after = "2025-06-01T12:00:03.000Z";
  const check = (agent: AgentCheck["agent"], checkedAt = RECEIVED + 2_000): AgentCheck => ({ agent, checkedAt });

  it.each<[string, AgentCheck | null, string | null, boolean]>([
    ["nothing fetched yet", null, null, false],
    ["a record from before the token (the old token was active)", check({ token_activated: true, status: "online", last_seen: before }, RECEIVED - 1), before, false],
    ["a new agent still pending", check({ token_activated: false, status: "pending", last_seen: null }), null, false],
    ["the hub marked the token activated", check({ token_activated: true, status: "online", last_seen: after }), null, true],
    ["online with a newer last_seen", check({ token_activated: false, status: "online", last_seen: after }), before, true],
    ["still online from the old token's last sample", check({ token_activated: false, status: "online", last_seen: before }), before, false],
    ["offline with the old last_seen", check({ token_activated: false, status: "offline", last_seen: before }), before, false],
  ])("%s → %s", (_, current, issuedLastSeen, expected) => expect(hasConnected(current, { last_seen: issuedLastSeen }, RECEIVED)).toBe(expected));
});
