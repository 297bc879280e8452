/** Tests of the agent-name check and of reading the hub's field complaint. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/api-error";
import { checkAgentName, nameIssue } from "./agent-name";

describe("checkAgentName", () => {
  it.each<[string, ReturnType<typeof checkAgentName>]>([
    ["web-01", { ok: true, name: "web-01" }],
    ["  my laptop \n", { ok: true, name: "my laptop" }],
    ["x".repeat(64), { ok: true, name: "x".repeat(64) }],
    ["", { ok: false, error: "Enter a name, for example the machine's hostname." }],
    ["   ", { ok: false, error: "Enter a name, for example the machine's hostname." }],
    ["x".repeat(65), { ok: false, error: "At most 64 characters (this one has 65)." }],
    [` ${"y".repeat(64)} `, { ok: true, name: "y".repeat(64) }],
  ])("%j", (raw, expected) => expect(checkAgentName(raw)).toEqual(expected));
});

describe("nameIssue", () => {
  it.each<[unknown, string | null]>([
    [new ApiError("VALIDATION_FAILED", "bad", 400, [{ path: "name", message: "must be at most 64 characters" }]), "Name must be at most 64 characters."],
    [new ApiError("VALIDATION_FAILED", "bad", 400, [{ path: "body.name", message: "must not be empty." }]), "Name must not be empty."],
    [new ApiError("VALIDATION_FAILED", "bad", 400, [{ path: "other", message: "nope" }]), null],
    [new ApiError("AGENT_NOT_FOUND", "Agent not found.", 404), null],
    [new Error("boom"), null],
  ])("%s", (error, expected) => expect(nameIssue(error)).toBe(expected));
});
