/** Table-driven tests of the history range logic: address form, hub parameters, labels, zoom spans and custom-range validation. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RANGE,
  formatSpan,
  fromDateTimeLocal,
  parseRangeParams,
  rangeKey,
  rangeLabel,
  rangeToParams,
  toApiQuery,
  toDateTimeLocal,
  validateCustomRange,
  zoomSpan,
  type HistoryRange,
} from "./history-range";

const NOW = Date.parse("2026-05-10T12:00:00Z");
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** Intl's spacing around the dash differs by locale and version (thin, narrow no-break or none): not what is tested. */
const plain = (text: string) => text.replace(/\s/g, " ").replace(/ *– */g, " – ");

describe("parseRangeParams", () => {
  it.each<[string, HistoryRange, boolean]>([
    ["", DEFAULT_RANGE, false],
    ["range=5m", { kind: "preset", preset: "5m" }, false],
    ["range=24h", { kind: "preset", preset: "24h" }, false],
    ["range=1y", { kind: "preset", preset: "1y" }, false],
    ["range=24h&tab=history", { kind: "preset", preset: "24h" }, false],
    // An unknown preset falls back to the default and says why.
    ["range=2h", DEFAULT_RANGE, true],
    ["range=", DEFAULT_RANGE, true],
    [`from=${iso(NOW - DAY)}&to=${iso(NOW - HOUR)}`, { kind: "absolute", from: NOW - DAY, to: NOW - HOUR }, false],
    ["from=2026-05-09T12:00:00%2B02:00&to=2026-05-09T13:00:00Z", { kind: "absolute", from: Date.parse("2026-05-09T10:00:00Z"), to: Date.parse("2026-05-09T13:00:00Z") }, false],
    [`from=${NOW - DAY}&to=${NOW}`, { kind: "absolute", from: NOW - DAY, to: NOW }, false],
    // The preset wins when both are given: it is what the picker writes.
    [`range=7d&from=${iso(NOW - DAY)}&to=${iso(NOW)}`, { kind: "preset", preset: "7d" }, false],
    [`from=${iso(NOW - DAY)}`, DEFAULT_RANGE, true],
    ["from=yesterday&to=today", DEFAULT_RANGE, true],
    // No offset: ambiguous, refused rather than guessed.
    ["from=2026-05-09T12:00:00&to=2026-05-09T13:00:00", DEFAULT_RANGE, true],
    [`from=${iso(NOW)}&to=${iso(NOW - HOUR)}`, DEFAULT_RANGE, true],
    [`from=${iso(NOW - 400 * DAY)}&to=${iso(NOW)}`, DEFAULT_RANGE, true],
    [`from=${iso(NOW - HOUR)}&to=${iso(NOW + DAY)}`, DEFAULT_RANGE, true],
  ])("?%s", (query, range, hasProblem) => {
    const parsed = parseRangeParams(new URLSearchParams(query), NOW);
    expect(parsed.range).toEqual(range);
    expect(parsed.problem !== null).toBe(hasProblem);
  });
});

describe("rangeToParams and back", () => {
  it.each<HistoryRange>([
    { kind: "preset", preset: "5m" },
    { kind: "preset", preset: "30d" },
    { kind: "absolute", from: NOW - DAY, to: NOW - HOUR },
    { kind: "absolute", from: NOW - DAY + 123, to: NOW - 7 },
  ])("%j survives the address", (range) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(rangeToParams(range))) if (value !== null) params.set(key, value);
    expect(parseRangeParams(params, NOW).range).toEqual(range);
  });

  it("writes readable UTC times and removes the other form", () => {
    expect(rangeToParams({ kind: "absolute", from: Date.parse("2026-05-01T10:00:00Z"), to: Date.parse("2026-05-01T12:30:00.250Z") })).toEqual({
      range: null,
      from: "2026-05-01T10:00:00Z",
      to: "2026-05-01T12:30:00.250Z",
    });
    expect(rangeToParams({ kind: "preset", preset: "7d" })).toEqual({ range: "7d", from: null, to: null });
  });
});

describe("toApiQuery", () => {
  it.each<[HistoryRange | { from: number; to: number }, { start: string; stop: string }]>([
    [{ kind: "preset", preset: "5m" }, { start: "-5m", stop: "now()" }],
    [{ kind: "preset", preset: "1h" }, { start: "-1h", stop: "now()" }],
    [{ kind: "preset", preset: "24h" }, { start: "-24h", stop: "now()" }],
    [{ kind: "preset", preset: "7d" }, { start: "-7d", stop: "now()" }],
    [{ kind: "preset", preset: "30d" }, { start: "-30d", stop: "now()" }],
    [{ kind: "preset", preset: "1y" }, { start: "-365d", stop: "now()" }],
    [{ kind: "absolute", from: Date.parse("2026-05-01T10:00:00Z"), to: Date.parse("2026-05-02T10:00:00Z") }, { start: "2026-05-01T10:00:00Z", stop: "2026-05-02T10:00:00Z" }],
    // A zoom span: RFC 3339 with milliseconds when it has them.
    [{ from: Date.parse("2026-05-01T10:00:00.5Z"), to: Date.parse("2026-05-01T10:05:00Z") }, { start: "2026-05-01T10:00:00.500Z", stop: "2026-05-01T10:05:00Z" }],
  ])("%j → %j", (view, expected) => expect(toApiQuery(view)).toEqual(expected));
});

describe("rangeKey", () => {
  it("differs between ranges and is stable for one", () => {
    expect(rangeKey({ kind: "preset", preset: "24h" })).toBe(rangeKey({ kind: "preset", preset: "24h" }));
    expect(rangeKey({ kind: "preset", preset: "24h" })).not.toBe(rangeKey({ kind: "preset", preset: "7d" }));
    expect(rangeKey({ kind: "absolute", from: 1, to: 2 })).not.toBe(rangeKey({ kind: "absolute", from: 1, to: 3 }));
  });
});

describe("labels", () => {
  it.each<[HistoryRange, string, string]>([
    [{ kind: "preset", preset: "5m" }, "UTC", "Last 5 minutes"],
    [{ kind: "preset", preset: "1y" }, "UTC", "Last 365 days"],
    [{ kind: "absolute", from: Date.parse("2026-05-03T08:00:00Z"), to: Date.parse("2026-05-03T10:00:00Z") }, "Europe/Berlin", "3 May 2026, 10:00 – 12:00"],
    [{ kind: "absolute", from: Date.parse("2026-05-03T08:00:00Z"), to: Date.parse("2026-05-03T10:00:00Z") }, "America/New_York", "3 May 2026, 04:00 – 06:00"],
    [{ kind: "absolute", from: Date.parse("2026-05-01T08:00:00Z"), to: Date.parse("2026-05-03T10:00:00Z") }, "UTC", "1 May 2026, 08:00 – 3 May 2026, 10:00"],
    // Under an hour: seconds matter (a zoom).
    [{ kind: "absolute", from: Date.parse("2026-05-03T08:00:05Z"), to: Date.parse("2026-05-03T08:02:10Z") }, "UTC", "3 May 2026, 08:00:05 – 08:02:10"],
  ])("%j in %s → %s", (range, timeZone, expected) => expect(plain(rangeLabel(range, timeZone, "en-GB"))).toBe(expected));

  it("formats a span in the given zone", () => {
    expect(plain(formatSpan({ from: Date.parse("2026-01-01T23:30:00Z"), to: Date.parse("2026-01-02T01:30:00Z") }, "Asia/Tokyo", "en-GB"))).toBe("2 Jan 2026, 08:30 – 10:30");
  });
});

describe("zoomSpan", () => {
  const within = { from: NOW - DAY, to: NOW };
  it.each<[number, number, { from: number; to: number } | null]>([
    [NOW - 3 * HOUR, NOW - 2 * HOUR, { from: NOW - 3 * HOUR, to: NOW - 2 * HOUR }],
    // Dragged right to left.
    [NOW - 2 * HOUR, NOW - 3 * HOUR, { from: NOW - 3 * HOUR, to: NOW - 2 * HOUR }],
    // Fractional positions round outwards to whole ms.
    [NOW - HOUR + 0.4, NOW - 1.6, { from: NOW - HOUR, to: NOW - 1 }],
    // Past either edge of the range: clamped.
    [NOW - 2 * DAY, NOW - 20 * HOUR, { from: NOW - DAY, to: NOW - 20 * HOUR }],
    [NOW - HOUR, NOW + HOUR, { from: NOW - HOUR, to: NOW }],
    // Too narrow to be a zoom.
    [NOW - HOUR, NOW - HOUR + 500, null],
    [NOW - HOUR, NOW - HOUR, null],
    [NOW + HOUR, NOW + 2 * HOUR, null],
    [Number.NaN, NOW, null],
  ])("%s–%s", (from, to, expected) => expect(zoomSpan(from, to, within, NOW)).toEqual(expected));
});

describe("datetime-local values", () => {
  it.each<[string, string, number]>([
    ["2026-05-03T10:00", "Europe/Berlin", Date.parse("2026-05-03T08:00:00Z")],
    ["2026-01-03T10:00", "Europe/Berlin", Date.parse("2026-01-03T09:00:00Z")],
    ["2026-05-03T10:00", "UTC", Date.parse("2026-05-03T10:00:00Z")],
    ["2026-05-03T10:00:30", "UTC", Date.parse("2026-05-03T10:00:30Z")],
    ["2026-05-03T10:00", "America/Los_Angeles", Date.parse("2026-05-03T17:00:00Z")],
    ["2026-05-03T10:00", "Asia/Kolkata", Date.parse("2026-05-03T04:30:00Z")],
    ["2026-12-31T23:59", "Pacific/Auckland", Date.parse("2026-12-31T10:59:00Z")],
    // Around the autumn change both sides resolve to a real instant.
    ["2026-10-25T01:30", "Europe/Berlin", Date.parse("2026-10-24T23:30:00Z")],
    ["2026-10-25T04:00", "Europe/Berlin", Date.parse("2026-10-25T03:00:00Z")],
  ])("%s in %s", (text, timeZone, expected) => {
    expect(fromDateTimeLocal(text, timeZone)).toBe(expected);
  });

  it.each(["", "2026-05-03", "2026-05-03 10:00", "2026-02-30T10:00", "2026-05-03T24:00", "2026-05-03T10:60", "10:00", "garbage"])("%j is not a date and time", (text) => {
    expect(fromDateTimeLocal(text, "UTC")).toBeNull();
  });

  it("a time skipped by the spring change still gives an instant near it", () => {
    const ms = fromDateTimeLocal("2026-03-29T02:30", "Europe/Berlin")!;
    expect(Math.abs(ms - Date.parse("2026-03-29T01:00:00Z"))).toBeLessThanOrEqual(HOUR);
  });

  it.each(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"])("round-trips whole minutes in %s", (timeZone) => {
    for (const at of [NOW, NOW - 45 * DAY, NOW - 200 * DAY + 17 * 60_000]) {
      expect(fromDateTimeLocal(toDateTimeLocal(at, timeZone), timeZone)).toBe(at);
    }
  });

  it("writes the zone's wall clock", () => {
    expect(toDateTimeLocal(Date.parse("2026-05-03T08:00:59Z"), "Europe/Berlin")).toBe("2026-05-03T10:00");
    expect(toDateTimeLocal(Date.parse("2026-05-03T23:30:00Z"), "Asia/Tokyo")).toBe("2026-05-04T08:30");
  });
});

describe("validateCustomRange", () => {
  const local = (ms: number) => toDateTimeLocal(ms, "Europe/Berlin");
  it.each<[string, string, string, Partial<Record<"from" | "to", RegExp>> | HistoryRange]>([
    ["a day ending an hour ago", local(NOW - DAY), local(NOW - HOUR), { kind: "absolute", from: NOW - DAY, to: NOW - HOUR }],
    // The current minute means "up to now".
    ["ending this minute", local(NOW - HOUR), local(NOW), { kind: "absolute", from: NOW - HOUR, to: NOW }],
    ["exactly 365 days", local(NOW - 365 * DAY), local(NOW), { kind: "absolute", from: NOW - 365 * DAY, to: NOW }],
    ["empty from", "", local(NOW), { from: /start/ }],
    ["empty both", "", "", { from: /start/, to: /end/ }],
    ["invalid to", local(NOW - HOUR), "2026-02-30T10:00", { to: /not a valid/ }],
    ["reversed", local(NOW - HOUR), local(NOW - DAY), { from: /before/ }],
    ["equal", local(NOW - HOUR), local(NOW - HOUR), { from: /before/ }],
    ["to in the future", local(NOW - HOUR), local(NOW + 2 * HOUR), { to: /future/ }],
    ["from in the future", local(NOW + HOUR), local(NOW + 2 * HOUR), { from: /future/ }],
    ["longer than 365 days", local(NOW - 366 * DAY), local(NOW), { from: /365 days/ }],
  ])("%s", (_name, from, to, expected) => {
    const result = validateCustomRange(from, to, NOW, "Europe/Berlin");
    if ("kind" in expected) {
      expect(result).toEqual({ ok: true, range: expected });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(Object.keys(result.errors).sort()).toEqual(Object.keys(expected).sort());
      for (const [field, pattern] of Object.entries(expected)) expect(result.errors[field as "from" | "to"]).toMatch(pattern);
    }
  });
});
