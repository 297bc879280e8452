/** Tests of the agent start-up commands: values quoted only when needed, and the systemd paths from deploy/. */
import { describe, expect, it } from "vitest";
import { buildAgentCommands, envFileValue, ingestionUrl, shellQuote } from "./agent-commands";

const TOKEN = "sma_Ab3-_xYz0123456789abcdefghijklmnopqrstuv";

describe("shellQuote", () => {
  it.each([
    [TOKEN, TOKEN],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["https://hub.example", "https://hub.example"],
    ["", "''"],
    ["a b", "'a b'"],
    ["$(reboot)", "'$(reboot)'"],
    ["it's", "'it'\\''s'"],
  ])("%j → %s", (value, expected) => expect(shellQuote(value)).toBe(expected));
});

describe("envFileValue", () => {
  it.each([
    [TOKEN, TOKEN],
    ["a b", '"a b"'],
    ['say "hi"\\', '"say \\"hi\\"\\\\"'],
  ])("%j → %s", (value, expected) => expect(envFileValue(value)).toBe(expected));
});

describe("ingestionUrl", () => {
  it.each([
    ["http://hub:8080", "http://hub:8080"],
    ["http://hub:8080/", "http://hub:8080"],
    ["https://hub.example//", "https://hub.example"],
  ])("%s → %s", (origin, expected) => expect(ingestionUrl(origin)).toBe(expected));
});

describe("buildAgentCommands", () => {
  const commands = buildAgentCommands("https://hub.example:8443/", TOKEN);
  const byId = Object.fromEntries(commands.map((command) => [command.id, command.text]));

  it("offers environment, npx, binary and systemd, in that order", () => {
    expect(commands.map((command) => command.id)).toEqual(["env", "npx", "binary", "systemd"]);
  });

  it.each([
    ["env", `INGESTION_URL=https://hub.example:8443\nAGENT_TOKEN=${TOKEN}`],
    ["npx", `INGESTION_URL=https://hub.example:8443 AGENT_TOKEN=${TOKEN} npx statusmonitor-agent`],
    ["binary", `INGESTION_URL=https://hub.example:8443 AGENT_TOKEN=${TOKEN} ./statusmonitor-agent`],
  ])("%s", (id, expected) => expect(byId[id]).toBe(expected));

  it("systemd writes the unit's env file (0600 before the token lands in it) and enables the unit", () => {
    const lines = byId.systemd!.split("\n");
    const create = lines.indexOf("sudo install -m 0600 /dev/null /etc/statusmonitor/agent.env");
    const write = lines.indexOf("sudo tee /etc/statusmonitor/agent.env > /dev/null <<'EOF'");
    expect(create).toBeGreaterThanOrEqual(0);
    expect(write).toBeGreaterThan(create);
    expect(lines.slice(write + 1, write + 4)).toEqual(["INGESTION_URL=https://hub.example:8443", `AGENT_TOKEN=${TOKEN}`, "EOF"]);
    expect(lines.at(-1)).toBe("sudo systemctl enable --now statusmonitor-agent");
    expect(lines).toContain("sudo install -m 0644 statusmonitor-agent.service /etc/systemd/system/");
  });

  it("quotes a token a shell would split", () => {
    const [, npx] = buildAgentCommands("http://hub", "a b");
    expect(npx!.text).toBe("INGESTION_URL=http://hub AGENT_TOKEN='a b' npx statusmonitor-agent");
  });
});
