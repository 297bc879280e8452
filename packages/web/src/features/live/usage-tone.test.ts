import { describe, expect, it } from "vitest";
import { usageTone } from "./usage-tone";

describe("usageTone", () => {
  it.each([
    [0, "green"],
    [50, "green"],
    [50.1, "amber"],
    [80, "amber"],
    [80.1, "red"],
    [100, "red"],
    [null, "none"],
    [undefined, "none"],
    [Number.NaN, "none"],
  ])("%s → %s", (value, want) => expect(usageTone(value)).toBe(want));
});
