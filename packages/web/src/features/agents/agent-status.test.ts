/** Tests of the list's wording: token notes, host facts, interval, order and the summary line. */
import { describe, expect, it } from "vitest";
import { formatInterval, hostFacts, sortAgents, summarizeAgents, tokenNote } from "./agent-status";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("tokenNote", () => {
  it.each<[string, Parameters<typeof tokenNote>[0], ReturnType<typeof tokenNote>]>([
    ["nothing once the token is in use", { token_activated: true, token_expires_at: null, last_seen: iso(NOW) }, null],
    ["a new agent waiting, with time left", { token_activated: false, token_expires_at: iso(NOW + 125_000), last_seen: null }, { text: "Waiting for the agent (token valid 2:05)", tone: "info" }],
    ["a new agent whose token expired", { token_activated: false, token_expires_at: iso(NOW - 1), last_seen: null }, { text: "Token expired: regenerate it to connect", tone: "warning" }],
    ["a regenerated token not used yet", { token_activated: false, token_expires_at: iso(NOW + 60_000), last_seen: iso(NOW - 5_000) }, { text: "New token not used yet (valid 1:00)", tone: "info" }],
    ["a regenerated token that expired", { token_activated: false, token_expires_at: iso(NOW - 60_000), last_seen: iso(NOW - 600_000) }, { text: "New token expired: regenerate it", tone: "warning" }],
    ["an unused token without a deadline counts as expired", { token_activated: false, token_expires_at: null, last_seen: null }, { text: "Token expired: regenerate it to connect", tone: "warning" }],
  ])("%s", (_, agent, expected) => expect(tokenNote(agent, NOW)).toEqual(expected));
});

describe("hostFacts", () => {
  it.each<[Parameters<typeof hostFacts>[0], string[]]>([
    [{ os: null, arch: null, agent_version: null, interval_s: null }, []],
    [{ os: "Ubuntu 24.04.1 LTS", arch: "x64", agent_version: "0.1.0", interval_s: 1.02 }, ["Ubuntu 24.04.1 LTS", "x64", "agent 0.1.0", "every 1 s"]],
    [{ os: null, arch: "arm64", agent_version: null, interval_s: 5 }, ["arm64", "every 5 s"]],
  ])("%j", (agent, expected) => expect(hostFacts(agent)).toEqual(expected));
});

describe("formatInterval", () => {
  it.each([
    [0.5, "0.5 s"],
    [1, "1 s"],
    [1.04, "1 s"],
    [2.5, "2.5 s"],
    [15.4, "15 s"],
    [90, "90 s"],
    [300, "5 min"],
    [3600, "60 min"],
  ])("%s → %s", (seconds, expected) => expect(formatInterval(seconds)).toBe(expected));
});

describe("sortAgents", () => {
  it("orders by name with numbers read as numbers, case-insensitively, then by id", () => {
    const agents = [
      { id: 4, name: "web-10" },
      { id: 1, name: "web-2" },
      { id: 3, name: "DB" },
      { id: 2, name: "db" },
      { id: 5, name: "Alpha" },
    ];
    expect(sortAgents(agents).map((agent) => agent.id)).toEqual([5, 2, 3, 1, 4]);
    expect(agents[0]!.id).toBe(4);
  });
});

describe("summarizeAgents", () => {
  it.each<[Parameters<typeof summarizeAgents>[0], string]>([
    [[], "0 agents"],
    [[{ status: "online" }], "1 agent · 1 online"],
    [[{ status: "online" }, { status: "offline" }, { status: "pending" }, { status: "online" }], "4 agents · 2 online · 1 offline · 1 pending"],
  ])("%j → %s", (agents, expected) => expect(summarizeAgents(agents)).toBe(expected));
});
