/** Page arithmetic of the event log. */
import { describe, expect, it } from "vitest";
import { lastPageOffset, pageInfo, showingText, type PageInfo } from "./pagination";

describe("pageInfo", () => {
  it.each<[number, number, number, Partial<PageInfo>, string]>([
    [312, 25, 0, { first: 1, last: 25, page: 1, pages: 13, prevOffset: null, nextOffset: 25 }, "Showing 1–25 of 312"],
    [312, 25, 25, { first: 26, last: 50, page: 2, prevOffset: 0, nextOffset: 50 }, "Showing 26–50 of 312"],
    [312, 25, 300, { first: 301, last: 312, page: 13, pages: 13, prevOffset: 275, nextOffset: null }, "Showing 301–312 of 312"],
    [100, 50, 50, { first: 51, last: 100, prevOffset: 0, nextOffset: null }, "Showing 51–100 of 100"],
    [3, 25, 0, { first: 1, last: 3, pages: 1, prevOffset: null, nextOffset: null }, "Showing 1–3 of 3"],
    [0, 25, 0, { first: 0, last: 0, pages: 1, prevOffset: null, nextOffset: null }, "No events"],
    [12_345, 100, 1_000, { first: 1_001, last: 1_100 }, "Showing 1,001–1,100 of 12,345"],
    // Past the end (the log was cleared meanwhile): "previous" leads to the last real page.
    [30, 25, 75, { first: 0, last: 75, prevOffset: 25, nextOffset: null }, "Nothing on this page (30 in all)"],
  ])("%s events, %s a page, offset %s", (total, limit, offset, expected, text) => {
    const info = pageInfo(total, limit, offset);
    expect(info).toMatchObject(expected);
    expect(showingText(info)).toBe(text);
  });
});

describe("lastPageOffset", () => {
  it.each([
    [0, 25, 0],
    [1, 25, 0],
    [25, 25, 0],
    [26, 25, 25],
    [312, 25, 300],
    [300, 100, 200],
  ])("%s events, %s a page → %s", (total, limit, offset) => expect(lastPageOffset(total, limit)).toBe(offset));
});
