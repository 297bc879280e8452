/** Table tests of the post-sign-in redirect: same-site paths pass, everything else lands on the agents page. */
import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it.each([
    [null, "/agents"],
    ["", "/agents"],
    ["/agents/3?tab=history", "/agents/3?tab=history"],
    ["/alerts", "/alerts"],
    ["https://evil.example/", "/agents"],
    ["//evil.example/path", "/agents"],
    ["/\\evil.example", "/agents"],
    ["javascript:alert(1)", "/agents"],
    ["/login?next=/alerts", "/agents"],
  ])("%s → %s", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
