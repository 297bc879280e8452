/**
 * The hub's one typed configuration object, built from defaults < config file < environment <
 * command-line flags, validated once at start-up with every problem reported together.
 * No other module reads `process.env`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const ROLE_NAMES = ["api", "ingest", "live", "history", "alerts"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0", "yes", "no"])]).transform((v) =>
  typeof v === "boolean" ? v : ["true", "1", "yes"].includes(v),
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.union([z.array(z.string()), z.string()]).transform((v) =>
  (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter((s) => s.length > 0),
);

/** Every setting, keyed by its environment variable name; the same names work in the file and as flags. */
const settingsSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  SECRET_KEY: z.string().min(32, "must be at least 32 characters (or leave it unset to generate one)").optional(),
  CORS_ORIGINS: list.default([]),
  ROLES: list
    .default([...ROLE_NAMES])
    .pipe(z.array(z.enum(ROLE_NAMES, { error: `must be a comma-separated subset of ${ROLE_NAMES.join(",")}` })).min(1)),
  PRESET: z.enum(["embedded", "distributed"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ALLOW_REGISTRATION: bool.default(true),
  TRUST_PROXY: bool.default(false),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  ACCESS_TOKEN_TTL_S: int(60, 900).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  INGEST_RATE_LIMIT_PER_S: int(1, 10_000).default(10),
  INGEST_JOURNAL_RETENTION_H: int(1, 24 * 30).default(1),
  SQLITE_SYNCHRONOUS: z.enum(["normal", "full"]).default("normal"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  KAFKA_BOOTSTRAP_SERVERS: list.pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, "must be host:port[,host:port...]"))).optional(),
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{0,100}$/, "letters, digits, '.', '_' and '-' only").default(""),
  KAFKA_METRICS_PARTITIONS: int(1, 1000).default(6),
  KAFKA_REPLICATION_FACTOR: int(1, 10).default(1),
  HISTORY_RAW_RETENTION_H: int(1, 24 * 31).default(24),
  HISTORY_1M_RETENTION_D: int(1, 366).default(7),
  HISTORY_1H_RETENTION_D: int(1, 3650).default(365),
  LIVE_PING_INTERVAL_S: int(1, 3600).default(30),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456789:AA… (the token @BotFather gave you)")
    .optional(),
  TELEGRAM_API_URL: z.string().url().refine((url) => /^https?:\/\//i.test(url), "must be an http(s) URL").default("https://api.telegram.org"),
  NOTIFY_TIMEOUT_S: int(1, 60).default(10),
  ALERT_EVENT_RETENTION_D: int(1, 3650).default(90),
  WEB_DIR: z.string().optional(),
  SHUTDOWN_TIMEOUT_S: int(1, 600).default(15),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingName = keyof z.input<typeof settingsSchema>;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absent until `ensureSecretKey` generates or loads one from the data directory. */
  secretKey: string | undefined;
  corsOrigins: string[];
  roles: RoleName[];
  preset: "embedded" | "distributed";
  /** The scaled-out services; null for the embedded preset. */
  distributed: DistributedSettings | null;
  logLevel: Settings["LOG_LEVEL"];
  allowRegistration: boolean;
  trustProxy: boolean;
  cookieSecure: "auto" | "true" | "false";
  accessTokenTtlS: number;
  refreshTokenTtlDays: number;
  ingestRateLimitPerS: number;
  ingestJournalRetentionMs: number;
  sqliteSynchronous: "normal" | "full";
  /** How long each history tier keeps data, by tier name. */
  historyRetentionMs: { raw: number; "1m": number; "1h": number };
  livePingIntervalMs: number;
  /** Null: Telegram is unavailable and only webhooks can notify. */
  telegramBotToken: string | null;
  telegramApiUrl: string;
  notifyTimeoutMs: number;
  alertEventRetentionMs: number;
  /** The built dashboard, served at `/` when it exists. */
  webDir: string;
  shutdownTimeoutMs: number;
}

export interface DistributedSettings {
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  kafka: { bootstrapServers: string[]; topicPrefix: string; metricsPartitions: number; replicationFactor: number };
}

const SERVICE_URLS = ["DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS"] as const;

/**
 * The preset follows the service URLs: none given is embedded, all three distributed; PRESET, when
 * set, must agree. Half a distributed setup is an error rather than a silent embedded start.
 */
function distributedSettings(s: Settings, problems: string[]): DistributedSettings | null {
  const given = SERVICE_URLS.filter((name) => s[name] !== undefined);
  const preset = s.PRESET ?? (given.length > 0 ? "distributed" : "embedded");
  if (preset === "embedded") {
    for (const name of given) problems.push(`${name}: only used by the distributed preset, but PRESET is embedded`);
    return null;
  }
  for (const name of SERVICE_URLS) {
    if (s[name] === undefined) problems.push(`${name}: required by the distributed preset (set DATABASE_URL, REDIS_URL and KAFKA_BOOTSTRAP_SERVERS)`);
  }
  if (!s.DATABASE_URL || !s.REDIS_URL || !s.KAFKA_BOOTSTRAP_SERVERS) return null;
  return {
    databaseUrl: s.DATABASE_URL,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    redisUrl: s.REDIS_URL,
    kafka: {
      bootstrapServers: s.KAFKA_BOOTSTRAP_SERVERS,
      topicPrefix: s.KAFKA_TOPIC_PREFIX,
      metricsPartitions: s.KAFKA_METRICS_PARTITIONS,
      replicationFactor: s.KAFKA_REPLICATION_FACTOR,
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface ConfigSources {
  env?: Record<string, string | undefined>;
  /** Flags already parsed into setting names, e.g. `{ PORT: "9000" }`. */
  flags?: Partial<Record<SettingName, string>>;
  /** Path of a JSON file whose keys are setting names; `CONFIG_FILE` in env or flags also selects it. */
  file?: string;
  /** Directory relative paths are resolved against. */
  cwd?: string;
  /** Where the dashboard build lives when WEB_DIR is not set. */
  defaultWebDir?: string;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const cwd = sources.cwd ?? process.cwd();
  const problems: string[] = [];

  const filePath = sources.file ?? env.CONFIG_FILE;
  const fromFile = filePath ? readConfigFile(path.resolve(cwd, filePath), problems) : {};
  const fromEnv = pickSettings(env);
  const merged = { ...fromFile, ...fromEnv, ...(sources.flags ?? {}) };

  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".") || "config"}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const s = parsed.data;
  const rawRetentionMs = s.HISTORY_RAW_RETENTION_H * 3600_000;
  const minuteRetentionMs = s.HISTORY_1M_RETENTION_D * 86_400_000;
  if (minuteRetentionMs < rawRetentionMs) problems.push("HISTORY_1M_RETENTION_D: must cover at least HISTORY_RAW_RETENTION_H");
  if (s.HISTORY_1H_RETENTION_D < s.HISTORY_1M_RETENTION_D) problems.push("HISTORY_1H_RETENTION_D: must be at least HISTORY_1M_RETENTION_D");
  if (problems.length > 0) throw new ConfigError(problems);
  const distributed = distributedSettings(s, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir: path.resolve(cwd, s.DATA_DIR),
    secretKey: s.SECRET_KEY,
    corsOrigins: s.CORS_ORIGINS,
    roles: [...new Set(s.ROLES)],
    preset: distributed ? "distributed" : "embedded",
    distributed,
    logLevel: s.LOG_LEVEL,
    allowRegistration: s.ALLOW_REGISTRATION,
    trustProxy: s.TRUST_PROXY,
    cookieSecure: s.COOKIE_SECURE,
    accessTokenTtlS: s.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlDays: s.REFRESH_TOKEN_TTL_DAYS,
    ingestRateLimitPerS: s.INGEST_RATE_LIMIT_PER_S,
    ingestJournalRetentionMs: s.INGEST_JOURNAL_RETENTION_H * 3600_000,
    sqliteSynchronous: s.SQLITE_SYNCHRONOUS,
    historyRetentionMs: {
      raw: s.HISTORY_RAW_RETENTION_H * 3600_000,
      "1m": s.HISTORY_1M_RETENTION_D * 86_400_000,
      "1h": s.HISTORY_1H_RETENTION_D * 86_400_000,
    },
    livePingIntervalMs: s.LIVE_PING_INTERVAL_S * 1000,
    telegramBotToken: s.TELEGRAM_BOT_TOKEN ?? null,
    telegramApiUrl: s.TELEGRAM_API_URL,
    notifyTimeoutMs: s.NOTIFY_TIMEOUT_S * 1000,
    alertEventRetentionMs: s.ALERT_EVENT_RETENTION_D * 86_400_000,
    webDir: path.resolve(cwd, s.WEB_DIR ?? sources.defaultWebDir ?? "packages/web/dist"),
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_S * 1000,
  };
}

function pickSettings(source: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const value = source[name];
    if (value !== undefined && value !== "") picked[name] = value;
  }
  return picked;
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    problems.push(`CONFIG_FILE: cannot read ${file}: ${(err as Error).message}`);
    return {};
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`CONFIG_FILE: ${file} must hold a JSON object of settings`);
    return {};
  }
  for (const key of Object.keys(raw)) {
    if (!SETTING_NAMES.includes(key as SettingName)) problems.push(`CONFIG_FILE: unknown setting "${key}" in ${file}`);
  }
  return pickSettings(raw as Record<string, unknown>);
}
