/** Parses the command line: a command path, positional words and `--flag value` / `--flag=value` pairs. */
import { SETTING_NAMES, type SettingName } from "../config/config.js";

export interface ParsedArgs {
  command: string[];
  flags: Record<string, string | true>;
}

/** Flags that never take a value. */
const SWITCHES = new Set(["help", "version", "admin", "password-stdin"]);

export function parseArgs(argv: string[]): ParsedArgs {
  const command: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h") flags.help = true;
    else if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (inline !== undefined) flags[name] = inline;
      else if (SWITCHES.has(name) || i + 1 >= argv.length || argv[i + 1]!.startsWith("--")) flags[name] = true;
      else flags[name] = argv[++i]!;
    } else command.push(arg);
  }
  return { command, flags };
}

/** `--data-dir x` → `{ DATA_DIR: "x" }`; returns the unknown flags so they can be reported. */
export function settingFlags(flags: ParsedArgs["flags"], extra: string[] = []): {
  settings: Partial<Record<SettingName, string>>;
  unknown: string[];
} {
  const settings: Partial<Record<SettingName, string>> = {};
  const unknown: string[] = [];
  for (const [flag, value] of Object.entries(flags)) {
    if (SWITCHES.has(flag) || extra.includes(flag)) continue;
    const name = flag.toUpperCase().replace(/-/g, "_") as SettingName;
    if (SETTING_NAMES.includes(name) && typeof value === "string") settings[name] = value;
    else unknown.push(`--${flag}`);
  }
  return { settings, unknown };
}
