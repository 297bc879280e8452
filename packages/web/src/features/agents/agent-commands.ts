/**
 * The ready-to-paste commands that start an agent with a new token, one per way of running it. File
 * names and paths follow packages/agent/README.md and deploy/ (unit file, /etc/statusmonitor/agent.env).
 */

export type CommandId = "env" | "npx" | "binary" | "systemd";

export interface AgentCommand {
  id: CommandId;
  /** Tab label. */
  label: string;
  /** One sentence on when to use it and what it needs. */
  hint: string;
  text: string;
}

/** Where systemd's unit reads the agent's settings (deploy/statusmonitor-agent.service, EnvironmentFile=). */
export const SYSTEMD_ENV_FILE = "/etc/statusmonitor/agent.env";
export const SYSTEMD_UNIT = "statusmonitor-agent";

/** Quotes a value for a POSIX shell only when it needs it (URLs and `sma_` tokens normally do not). */
export function shellQuote(value: string): string {
  if (value !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * An environment-file line for systemd: it strips unquoted values and reads backslashes, so anything
 * beyond plain characters goes in double quotes with `\` and `"` escaped.
 */
export function envFileValue(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** The hub's base URL as agents should use it: the page's origin, no trailing slash. */
export function ingestionUrl(origin: string): string {
  return origin.replace(/\/+$/, "");
}

export function buildAgentCommands(origin: string, token: string): AgentCommand[] {
  const url = ingestionUrl(origin);
  const vars = `INGESTION_URL=${shellQuote(url)} AGENT_TOKEN=${shellQuote(token)}`;
  return [
    {
      id: "env",
      label: "Environment",
      hint: "The two settings every way of running the agent needs: export them in a shell, pass them with docker -e, or put them in an env file.",
      text: `INGESTION_URL=${shellQuote(url)}\nAGENT_TOKEN=${shellQuote(token)}`,
    },
    {
      id: "npx",
      label: "npx",
      hint: "With Node.js 20.19 or newer, inside a StatusMonitor checkout after npm ci && npm run build.",
      text: `${vars} npx statusmonitor-agent`,
    },
    {
      id: "binary",
      label: "Binary",
      hint: "The executable from npm run build:agent (packages/agent/dist/statusmonitor-agent): copy it to the machine and run it, no Node needed.",
      text: `${vars} ./statusmonitor-agent`,
    },
    {
      id: "systemd",
      label: "systemd",
      hint: "As a service that starts at boot (Linux), run as root next to the binary and deploy/statusmonitor-agent.service. The env file stays readable by root only.",
      text: [
        "sudo install -m 0755 statusmonitor-agent /usr/local/bin/statusmonitor-agent",
        "sudo install -m 0644 statusmonitor-agent.service /etc/systemd/system/",
        "sudo install -d -m 0755 /etc/statusmonitor",
        `sudo install -m 0600 /dev/null ${SYSTEMD_ENV_FILE}`,
        `sudo tee ${SYSTEMD_ENV_FILE} > /dev/null <<'EOF'`,
        `INGESTION_URL=${envFileValue(url)}`,
        `AGENT_TOKEN=${envFileValue(token)}`,
        "EOF",
        "sudo systemctl daemon-reload",
        `sudo systemctl enable --now ${SYSTEMD_UNIT}`,
      ].join("\n"),
    },
  ];
}
