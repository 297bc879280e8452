/** Table tests of history query time ranges: durations, RFC 3339, now(), and the refusals. */
import { describe, expect, it } from "vitest";
import { AppError } from "../core/app-error.js";
import { parseTimeRange } from "./time-range.js";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;

describe("parseTimeRange", () => {
  it.each([
    ["-30s", "now()", NOW - 30_000, NOW],
    ["-5m", "now()", NOW - 300_000, NOW],
    ["-24h", "-1h", NOW - DAY, NOW - 3_600_000],
    ["-7d", "now()", NOW - 7 * DAY, NOW],
    ["-2w", "now()", NOW - 14 * DAY, NOW],
    ["-3mo", "now()", NOW - 90 * DAY, NOW],
    ["-1y", "now()", NOW - 365 * DAY, NOW],
    ["-365d", "now()", NOW - 365 * DAY, NOW],
    ["2026-11-23T10:00:00Z", "2026-11-23T11:30:00.250Z", NOW - 2 * 3_600_000, NOW - 1_800_000 + 250],
    ["2026-11-23T11:00:00+01:00", "now()", NOW - 2 * 3_600_000, NOW],
  ])("start=%s stop=%s", (start, stop, expectedStart, expectedStop) => {
    expect(parseTimeRange({ start, stop }, NOW)).toEqual({ start: expectedStart, stop: expectedStop });
  });

  it.each([
    ["-366d", "now()", /longer than 365 days/],
    ["-2y", "now()", /longer than 365 days/],
    ["1h", "now()", /start: "1h" is not/],
    ["now()", "now()", /start: "now\(\)" is not/],
    ["-1h", "-2h", /start must be before stop/],
    ["-1x", "now()", /start: "-1x" is not/],
    ["-1h", "tomorrow", /stop: "tomorrow" is not/],
    ["2026-11-23T10:00:00", "now()", /is not/],
  ])("refuses start=%j stop=%j", (start, stop, message) => {
    let error: unknown;
    try {
      parseTimeRange({ start, stop }, NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    expect((error as AppError).message).toMatch(message);
  });

  it("trims surrounding white space instead of passing it on", () => {
    expect(parseTimeRange({ start: " -1h\n", stop: "now() " }, NOW)).toEqual({ start: NOW - 3_600_000, stop: NOW });
  });
});
