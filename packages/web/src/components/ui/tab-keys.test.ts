/** Tests the tab keyboard moves: wrapping arrows, Home and End, other keys ignored. */
import { describe, expect, it } from "vitest";
import { tabAfterKey } from "./tab-keys";

describe("tabAfterKey", () => {
  it.each([
    ["ArrowRight", 0, 4, 1],
    ["ArrowRight", 3, 4, 0],
    ["ArrowLeft", 2, 4, 1],
    ["ArrowLeft", 0, 4, 3],
    ["Home", 2, 4, 0],
    ["End", 1, 4, 3],
    ["ArrowRight", 0, 1, 0],
    ["ArrowDown", 1, 4, null],
    ["Enter", 1, 4, null],
    ["a", 1, 4, null],
    ["End", 0, 0, null],
  ])("%s from %i of %i → %s", (key, index, count, expected) => {
    expect(tabAfterKey(key, index, count)).toBe(expected);
  });
});
