/**
 * The settings UI's state: the settings in force for this launch, the running agent (if any), and
 * the serialized start / stop / save-and-restart operations the page asks for.
 */
import {
  AgentConfigError,
  DEFAULT_INTERVAL_S,
  loadAgentConfig,
  maskToken,
  MIN_INTERVAL_S,
  readConfigFile,
  writeConfigFile,
  type AgentConfig,
  type ConfigFile,
} from "../config.js";
import type { AgentStatus } from "../runtime.js";
import { startAgent, type RunningAgent } from "../start.js";

export type Log = (level: "info" | "warn" | "error", message: string) => void;

/** The fields the page edits; the page offers 1–60 s (longer intervals stay possible with --interval or the file). */
export interface EditableSettings {
  hubUrl: string;
  token: string;
  intervalS: number;
  autoStart: boolean;
}
export type SettingsField = keyof EditableSettings;

export const UI_MAX_INTERVAL_S = 60;

/** A validation problem, tied to the form field it is about so the page can name and mark it. */
export interface FieldProblem {
  field: SettingsField | null;
  message: string;
}

export class SettingsRejected extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "SettingsRejected";
  }
}

/** The original GUI's words when Start is pressed without a hub URL or token. */
export const NOT_CONFIGURED_MESSAGE = "Please configure the server URL and agent token in the Settings tab.";
export class NotConfigured extends Error {
  constructor() {
    super(NOT_CONFIGURED_MESSAGE);
    this.name = "NotConfigured";
  }
}

const FIELD_BY_NAME: Record<string, SettingsField> = {
  INGESTION_URL: "hubUrl",
  AGENT_TOKEN: "token",
  COLLECTION_INTERVAL: "intervalS",
  AUTO_START: "autoStart",
};
const LABELS: Record<SettingsField, string> = { hubUrl: "Hub URL", token: "Agent token", intervalS: "Interval", autoStart: "Auto-start" };

/** Turns config problems ("INGESTION_URL: must be …") into field problems worded with the page's labels ("Hub URL: must be …"). */
function fieldProblems(err: AgentConfigError): FieldProblem[] {
  return err.problems.map((problem) => {
    const match = /^([A-Z_]+): (.*)$/s.exec(problem);
    const field = match ? FIELD_BY_NAME[match[1]!] : undefined;
    return field ? { field, message: `${LABELS[field]}: ${match![2]}` } : { field: null, message: problem };
  });
}

/** The running agent's counters, carried across restarts so the page counts from the launch of the UI. */
export interface SessionStatus {
  running: boolean;
  settings: MaskedSettings;
  /** The newest counters (kept after a stop); null until the agent first runs. */
  agent: AgentStatus | null;
}

export interface MaskedSettings extends EditableSettings {
  tokenSet: boolean;
  bufferDir: string;
  /** Fields an environment variable or flag also sets: they win over the saved file at the next launch. */
  overridden: SettingsField[];
}

export interface SessionOptions {
  configPath: string;
  flags: Record<string, string | undefined>;
  env: Record<string, string | undefined>;
  log: Log;
}

export class SettingsSession {
  private agent: RunningAgent | undefined;
  private lastStatus: AgentStatus | null = null;
  /** Counters of earlier runs in this launch (a save restarts the runtime, which counts from zero). */
  private carried = { samplesTaken: 0, samplesSent: 0 };
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: SessionOptions,
    private config: AgentConfig,
    readonly overridden: SettingsField[],
  ) {}

  /** Reads the file and layers environment and flags over it, as the headless agent does; throws AgentConfigError. */
  static async open(options: SessionOptions): Promise<SettingsSession> {
    const file = await readConfigFile(options.configPath);
    const config = loadAgentConfig({ env: options.env, flags: options.flags, file });
    const given = (name: string) => [options.flags[name], options.env[name]].some((v) => v !== undefined && v !== "");
    const overridden = (Object.entries(FIELD_BY_NAME) as [string, SettingsField][])
      .filter(([name]) => given(name) || (name === "COLLECTION_INTERVAL" && given("INTERVAL")))
      .map(([, field]) => field);
    return new SettingsSession(options, config, overridden);
  }

  get settings(): AgentConfig {
    return this.config;
  }

  get running(): boolean {
    return this.agent !== undefined;
  }

  /** The settings for the page; the token only as its first and last characters unless `reveal`. */
  view(reveal = false): MaskedSettings {
    const c = this.config;
    return {
      hubUrl: c.hubUrl,
      token: reveal ? c.token : maskToken(c.token),
      tokenSet: c.token !== "",
      intervalS: c.intervalS,
      autoStart: c.autoStart,
      bufferDir: c.bufferDir,
      overridden: this.overridden,
    };
  }

  status(): SessionStatus {
    if (this.agent) this.lastStatus = this.agent.runtime.status();
    const agent = this.lastStatus && {
      ...this.lastStatus,
      samplesTaken: this.carried.samplesTaken + this.lastStatus.samplesTaken,
      samplesSent: this.carried.samplesSent + this.lastStatus.samplesSent,
    };
    return { running: this.running, settings: this.view(), agent };
  }

  /** Starts sending with the settings in force; NotConfigured without a hub URL or token. */
  start(): Promise<void> {
    return this.serialized(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.serialized(() => this.stopNow());
  }

  /**
   * Validates and saves the page's settings to the config file (mode 0600) and makes them the
   * settings of this launch; a running agent restarts with them. Returns whether it restarted.
   * `token` undefined keeps the saved token (the page only ever saw it masked).
   */
  save(input: { hubUrl: string; token: string | undefined; intervalS: number; autoStart: boolean }): Promise<{ restarted: boolean }> {
    return this.serialized(async () => {
      const values: EditableSettings = {
        // The original GUI stripped blanks and the URL's trailing slash before saving: so do we.
        hubUrl: input.hubUrl.trim().replace(/\/+$/, ""),
        token: input.token === undefined ? this.config.token : input.token.trim(),
        intervalS: input.intervalS,
        autoStart: input.autoStart,
      };
      const current = await readConfigFile(this.options.configPath);
      const file: ConfigFile = {
        ...current,
        INGESTION_URL: values.hubUrl,
        AGENT_TOKEN: values.token,
        COLLECTION_INTERVAL: values.intervalS,
        AUTO_START: values.autoStart,
      };
      const problems: FieldProblem[] = [];
      // The rest is validated on the file alone, so that an environment variable cannot hide a bad value in it.
      try {
        loadAgentConfig({ env: {}, flags: {}, file: { ...file, COLLECTION_INTERVAL: DEFAULT_INTERVAL_S } });
      } catch (err) {
        if (!(err instanceof AgentConfigError)) throw err;
        problems.push(...fieldProblems(err));
      }
      if (!Number.isInteger(values.intervalS) || values.intervalS < MIN_INTERVAL_S || values.intervalS > UI_MAX_INTERVAL_S) {
        problems.push({
          field: "intervalS",
          message: `Interval: must be a whole number of seconds from ${MIN_INTERVAL_S} to ${UI_MAX_INTERVAL_S} (longer intervals with --interval or the config file)`,
        });
      }
      // A running agent restarts with what is saved: it cannot restart without a hub and a token.
      if (this.agent) {
        if (values.hubUrl === "") problems.push({ field: "hubUrl", message: "Hub URL: required while the agent runs (stop it first to clear it)" });
        if (values.token === "") problems.push({ field: "token", message: "Agent token: required while the agent runs (stop it first to clear it)" });
      }
      if (problems.length > 0) throw new SettingsRejected(problems);
      // What the page saved wins for the rest of this launch, even over the environment and flags it was started with.
      const config = loadAgentConfig({
        env: this.options.env,
        flags: {
          ...this.options.flags,
          INGESTION_URL: values.hubUrl,
          AGENT_TOKEN: values.token,
          COLLECTION_INTERVAL: String(values.intervalS),
          AUTO_START: String(values.autoStart),
        },
        file,
      });
      await writeConfigFile(this.options.configPath, file);
      this.config = config;
      this.options.log("info", `settings saved to ${this.options.configPath}`);
      if (!this.agent) return { restarted: false };
      await this.stopNow();
      await this.startNow();
      return { restarted: true };
    });
  }

  /** Stops the agent (flushing unsent samples to the disk buffer); for shutdown. */
  close(): Promise<void> {
    return this.stop();
  }

  private async startNow(): Promise<void> {
    if (this.agent) return;
    if (this.config.hubUrl === "" || this.config.token === "") throw new NotConfigured();
    this.agent = await startAgent(this.config, this.options.log);
    this.options.log("info", `sending every ${this.config.intervalS} s to ${this.config.hubUrl} with token ${maskToken(this.config.token)}`);
  }

  private async stopNow(): Promise<void> {
    const agent = this.agent;
    if (!agent) return;
    this.agent = undefined;
    const before = agent.runtime.status();
    await agent.stop();
    let after: AgentStatus;
    try {
      // After the stop the unsent samples are counted in the buffer, not in flight.
      after = { ...agent.runtime.status(), running: false };
    } catch {
      after = { ...before, running: false };
    }
    this.carried.samplesTaken += after.samplesTaken;
    this.carried.samplesSent += after.samplesSent;
    this.lastStatus = { ...after, samplesTaken: 0, samplesSent: 0 };
    this.options.log("info", "stopped; unsent samples are kept in the disk buffer");
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
