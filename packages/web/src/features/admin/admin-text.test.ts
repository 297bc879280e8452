/** Tests of the admin page's wording and users order. */
import { describe, expect, it } from "vitest";
import { cleanupMessage, sortUsers } from "./admin-text";

describe("cleanupMessage", () => {
  it.each([
    [0, "No expired tokens to remove."],
    [1, "Removed 1 expired token."],
    [2, "Removed 2 expired tokens."],
    [12_345, "Removed 12,345 expired tokens."],
  ])("%s → %s", (removed, expected) => expect(cleanupMessage(removed)).toBe(expected));
});

describe("sortUsers", () => {
  it("puts administrators first, then sorts by name regardless of case", () => {
    const users = [
      { id: 1, username: "zoe", role: "user" as const },
      { id: 2, username: "Bob", role: "admin" as const },
      { id: 3, username: "alice", role: "user" as const },
      { id: 4, username: "adam", role: "admin" as const },
    ];
    expect(sortUsers(users).map((user) => user.username)).toEqual(["adam", "Bob", "alice", "zoe"]);
  });
});
