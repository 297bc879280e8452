/** Configuration loading (defaults < file < environment < flags, every problem reported at once) and the generated, persisted JWT secret key. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../core/logger.js";
import { HttpClient, signUp, withTestHub } from "../test-support/test-hub.js";
import { ConfigError, loadConfig, ROLE_NAMES, type ConfigSources } from "./config.js";
import { ensureSecretKey, SECRET_KEY_FILE } from "./secret-key.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "statusmonitor-config-test-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh directory under the test's temp dir. */
function freshDir(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

/** The problems loadConfig reports, or fails the test if it accepted the sources. */
function problemsOf(sources: ConfigSources): string[] {
  try {
    loadConfig(sources);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}

/** A logger that keeps every line it writes, parsed. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines, raw };
}

describe("loadConfig", () => {
  it("uses the defaults when nothing is set, resolving paths against cwd", () => {
    const cwd = freshDir("defaults");
    expect(loadConfig({ env: {}, cwd })).toEqual({
      port: 8080,
      host: "0.0.0.0",
      dataDir: path.join(cwd, "data"),
      secretKey: undefined,
      corsOrigins: [],
      roles: ["api", "ingest", "live", "history", "alerts"],
      preset: "embedded",
      distributed: null,
      logLevel: "info",
      allowRegistration: true,
      trustProxy: false,
      cookieSecure: "auto",
      accessTokenTtlS: 900,
      refreshTokenTtlDays: 30,
      ingestRateLimitPerS: 10,
      livePingIntervalMs: 30_000,
      telegramBotToken: null,
      telegramApiUrl: "https://api.telegram.org",
      notifyTimeoutMs: 10_000,
      alertEventRetentionMs: 90 * 86_400_000,
      ingestJournalRetentionMs: 3600_000,
      sqliteSynchronous: "normal",
      historyRetentionMs: { raw: 24 * 3600_000, "1m": 7 * 86_400_000, "1h": 365 * 86_400_000 },
      webDir: path.join(cwd, "packages/web/dist"),
      shutdownTimeoutMs: 15_000,
    });
    expect(ROLE_NAMES).toEqual(["api", "ingest", "live", "history", "alerts"]);
  });

  it("resolves against the process's working directory when no cwd is given", () => {
    expect(loadConfig({ env: {} }).dataDir).toBe(path.resolve(process.cwd(), "data"));
  });

  it("layers defaults < file < environment < flags", () => {
    const dir = freshDir("precedence");
    const file = writeJson(dir, "hub.json", {
      PORT: 1111,
      HOST: "file-host",
      LOG_LEVEL: "warn",
      DATA_DIR: "file-data",
      ALLOW_REGISTRATION: false,
      ROLES: ["api", "ingest"],
    });
    const env = { PORT: "2222", HOST: "env-host", ROLES: "api,live" };
    const flags = { PORT: "3333" };

    const all = loadConfig({ cwd: dir, file, env, flags });
    expect(all).toMatchObject({
      port: 3333, // flag
      host: "env-host", // environment
      roles: ["api", "live"], // environment
      logLevel: "warn", // file
      dataDir: path.join(dir, "file-data"), // file, relative to cwd
      allowRegistration: false, // file
      refreshTokenTtlDays: 30, // default
    });
    expect(loadConfig({ cwd: dir, file, env }).port).toBe(2222);
    expect(loadConfig({ cwd: dir, file, env: {} })).toMatchObject({ port: 1111, host: "file-host", roles: ["api", "ingest"] });
    expect(loadConfig({ cwd: dir, env: {} }).port).toBe(8080);
  });

  it("finds the file through CONFIG_FILE, relative to cwd", () => {
    const dir = freshDir("config-file-env");
    writeJson(dir, "settings.json", { PORT: 4444 });
    expect(loadConfig({ cwd: dir, env: { CONFIG_FILE: "settings.json" } }).port).toBe(4444);
  });

  it("ignores unrelated and empty environment variables", () => {
    const config = loadConfig({ cwd: tmp, env: { PATH: "/usr/bin", HOME: "/root", PORT: "", port: "1" } });
    expect(config.port).toBe(8080);
  });

  it("parses booleans, lists, numbers and hours", () => {
    const config = loadConfig({
      cwd: tmp,
      env: {
        ALLOW_REGISTRATION: "no",
        TRUST_PROXY: "1",
        CORS_ORIGINS: " https://a.example , https://b.example,,",
        ROLES: "api, ingest,api",
        INGEST_JOURNAL_RETENTION_H: "2",
        SHUTDOWN_TIMEOUT_S: "3",
        SECRET_KEY: "k".repeat(32),
      },
    });
    expect(config).toMatchObject({
      allowRegistration: false,
      trustProxy: true,
      corsOrigins: ["https://a.example", "https://b.example"],
      roles: ["api", "ingest"],
      ingestJournalRetentionMs: 7_200_000,
      shutdownTimeoutMs: 3_000,
      secretKey: "k".repeat(32),
    });
    expect(loadConfig({ cwd: tmp, env: { ALLOW_REGISTRATION: "yes", TRUST_PROXY: "false" } })).toMatchObject({
      allowRegistration: true,
      trustProxy: false,
    });
  });

  it("reports every problem at once in one ConfigError", () => {
    let error: unknown;
    try {
      loadConfig({ cwd: tmp, env: { PORT: "abc", ROLES: "foo", SECRET_KEY: "short" } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith("PORT"))).toBeDefined();
    expect(problems.find((p) => p.startsWith("ROLES"))).toMatch(/api,ingest,live,history,alerts/);
    expect(problems.find((p) => p.startsWith("SECRET_KEY"))).toMatch(/at least 32 characters/);
    // The message a user sees lists each of them on its own line.
    for (const problem of problems) expect(message).toContain(`  - ${problem}`);
  });

  it("reports out-of-range and unknown values", () => {
    const problems = problemsOf({
      cwd: tmp,
      env: {
        PORT: "65536",
        ACCESS_TOKEN_TTL_S: "901",
        REFRESH_TOKEN_TTL_DAYS: "0",
        LOG_LEVEL: "loud",
        ALLOW_REGISTRATION: "maybe",
        COOKIE_SECURE: "always",
        ROLES: ",",
      },
    });
    expect(problems.map((p) => p.split(/[:.]/)[0]).sort()).toEqual(
      ["ACCESS_TOKEN_TTL_S", "ALLOW_REGISTRATION", "COOKIE_SECURE", "LOG_LEVEL", "PORT", "REFRESH_TOKEN_TTL_DAYS", "ROLES"].sort(),
    );
  });

  it("reports an unknown key in the file together with the other problems", () => {
    const dir = freshDir("unknown-key");
    const file = writeJson(dir, "hub.json", { PORTT: 9000, HOST: "ok" });
    const problems = problemsOf({ cwd: dir, file, env: { PORT: "abc" } });
    expect(problems).toHaveLength(2);
    expect(problems).toContain(`CONFIG_FILE: unknown setting "PORTT" in ${file}`);
    expect(problems.some((p) => p.startsWith("PORT:"))).toBe(true);
  });

  it("reports a missing, unparsable or non-object file", () => {
    const dir = freshDir("bad-files");
    expect(problemsOf({ cwd: dir, env: {}, file: "absent.json" })).toEqual([expect.stringMatching(/^CONFIG_FILE: cannot read .*absent\.json/)]);
    const broken = writeJson(dir, "broken.json", "{ PORT: 1 ");
    expect(problemsOf({ cwd: dir, env: {}, file: broken })).toEqual([expect.stringMatching(/^CONFIG_FILE: cannot read .*broken\.json/)]);
    const list = writeJson(dir, "list.json", ["PORT"]);
    expect(problemsOf({ cwd: dir, env: {}, file: list })).toEqual([`CONFIG_FILE: ${list} must hold a JSON object of settings`]);
  });

  it("checks the Telegram settings without ever echoing the bot token", () => {
    const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    expect(loadConfig({ env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_URL: "http://127.0.0.1:9/" } })).toMatchObject({
      telegramBotToken: token,
      telegramApiUrl: "http://127.0.0.1:9/",
    });
    const leaked = "not-a-bot-token-secret-value";
    const problems = problemsOf({ env: { TELEGRAM_BOT_TOKEN: leaked, TELEGRAM_API_URL: "ftp://example.com" } });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["TELEGRAM_API_URL", "TELEGRAM_BOT_TOKEN"]);
    expect(problems.join("\n")).not.toContain(leaked);
  });

  it("picks the distributed preset when the service URLs are given, and refuses half a setup", () => {
    const env = { DATABASE_URL: "postgres://u@db:5432/sm", REDIS_URL: "redis://:pw@cache:6379", KAFKA_BOOTSTRAP_SERVERS: "k1:9092, k2:9092" };
    expect(loadConfig({ cwd: tmp, env })).toMatchObject({
      preset: "distributed",
      distributed: {
        databaseUrl: env.DATABASE_URL,
        databasePoolSize: 10,
        redisUrl: env.REDIS_URL,
        kafka: { bootstrapServers: ["k1:9092", "k2:9092"], topicPrefix: "", metricsPartitions: 6, replicationFactor: 1 },
      },
    });
    expect(loadConfig({ cwd: tmp, env: {} })).toMatchObject({ preset: "embedded", distributed: null });
    expect(problemsOf({ cwd: tmp, env: { PRESET: "distributed" } }).map((p) => p.split(":")[0]).sort()).toEqual([
      "DATABASE_URL",
      "KAFKA_BOOTSTRAP_SERVERS",
      "REDIS_URL",
    ]);
    expect(problemsOf({ cwd: tmp, env: { DATABASE_URL: env.DATABASE_URL } })).toEqual([
      expect.stringMatching(/^REDIS_URL: required by the distributed preset/),
      expect.stringMatching(/^KAFKA_BOOTSTRAP_SERVERS: required by the distributed preset/),
    ]);
    expect(problemsOf({ cwd: tmp, env: { ...env, PRESET: "embedded" } })).toHaveLength(3);
    expect(
      problemsOf({ cwd: tmp, env: { ...env, DATABASE_URL: "mysql://x", REDIS_URL: "http://x", KAFKA_BOOTSTRAP_SERVERS: "k1" } })
        .map((p) => p.split(":")[0])
        .sort(),
    ).toEqual(["DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS.0", "REDIS_URL"]);
  });
});

describe("ensureSecretKey", () => {
  it("generates a key on first start into a 0600 file, logging where but not what", () => {
    const dataDir = path.join(freshDir("secret-first"), "nested", "data");
    const { logger, lines, raw } = recordingLogger();
    const key = ensureSecretKey(undefined, dataDir, logger);

    expect(key).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const file = path.join(dataDir, SECRET_KEY_FILE);
    expect(readFileSync(file, "utf8")).toBe(`${key}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, file, msg: expect.stringContaining("generated a new secret key") });
    expect(raw.join("")).not.toContain(key);
  });

  it("reuses the stored key on the next start, silently", () => {
    const dataDir = freshDir("secret-reuse");
    const first = ensureSecretKey(undefined, dataDir, recordingLogger().logger);
    const { logger, lines } = recordingLogger();
    expect(ensureSecretKey(undefined, dataDir, logger)).toBe(first);
    expect(lines).toEqual([]);
  });

  it("prefers a given key and then writes nothing", () => {
    const given = "g".repeat(40);
    const empty = freshDir("secret-given");
    expect(ensureSecretKey(given, empty, recordingLogger().logger)).toBe(given);
    expect(existsSync(path.join(empty, SECRET_KEY_FILE))).toBe(false);

    const stored = freshDir("secret-given-over-stored");
    const generated = ensureSecretKey(undefined, stored, recordingLogger().logger);
    expect(ensureSecretKey(given, stored, recordingLogger().logger)).toBe(given);
    expect(readFileSync(path.join(stored, SECRET_KEY_FILE), "utf8").trim()).toBe(generated);
  });

  it("refuses a stored key that is too short instead of signing with it", () => {
    const dataDir = freshDir("secret-short");
    writeFileSync(path.join(dataDir, SECRET_KEY_FILE), "tooshort\n");
    expect(() => ensureSecretKey(undefined, dataDir, recordingLogger().logger)).toThrow(/shorter than 32 characters/);
  });

  it("keeps tokens valid across a restart of the hub on the same data directory", async () => {
    const dataDir = freshDir("secret-restart");
    const user = await withTestHub({ dataDir }, (before) => signUp(before.url, "survivor"));
    await withTestHub({ dataDir }, async (after) => {
      const me = await new HttpClient(after.url, user.accessToken).get("/api/v1/users/me");
      expect(me.status).toBe(200);
      expect(me.body.username).toBe("survivor");
    });
  });
});
