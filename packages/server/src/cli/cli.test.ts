/** The command line: argument and flag parsing, and the `admin` account-recovery command run against a real SQLite data directory. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig, type Config } from "../config/config.js";
import { createLogger } from "../core/logger.js";
import { HttpClient, withTestHub } from "../test-support/test-hub.js";
import { admin, UsageError } from "./admin.js";
import { parseArgs, settingFlags } from "./args.js";

describe("parseArgs", () => {
  it("splits command words from flags in both --flag value and --flag=value forms", () => {
    expect(parseArgs(["serve", "--port", "9000", "--data-dir=/var/lib/sm", "--roles", "api,ingest"])).toEqual({
      command: ["serve"],
      flags: { port: "9000", "data-dir": "/var/lib/sm", roles: "api,ingest" },
    });
    expect(parseArgs(["admin", "create-user", "alice", "--admin"])).toEqual({
      command: ["admin", "create-user", "alice"],
      flags: { admin: true },
    });
  });

  it("never lets a switch swallow the next word", () => {
    expect(parseArgs(["admin", "--admin", "create-user", "bob"])).toEqual({
      command: ["admin", "create-user", "bob"],
      flags: { admin: true },
    });
    expect(parseArgs(["--password-stdin", "serve"])).toEqual({ command: ["serve"], flags: { "password-stdin": true } });
  });

  it("treats a flag followed by another flag, or by nothing, as a switch", () => {
    expect(parseArgs(["serve", "--trust-proxy", "--port", "1"])).toEqual({ command: ["serve"], flags: { "trust-proxy": true, port: "1" } });
    expect(parseArgs(["serve", "--verbose"])).toEqual({ command: ["serve"], flags: { verbose: true } });
  });

  it("keeps everything after the first '=' as the value, including more '=' and an empty value", () => {
    expect(parseArgs(["--secret-key=abc=def==", "--host="]).flags).toEqual({ "secret-key": "abc=def==", host: "" });
  });

  it("accepts a value that starts with a single dash", () => {
    expect(parseArgs(["serve", "--port", "-1"]).flags).toEqual({ port: "-1" });
  });

  it("understands -h, --help and --version", () => {
    expect(parseArgs(["-h"])).toEqual({ command: [], flags: { help: true } });
    expect(parseArgs(["--help", "serve"])).toEqual({ command: ["serve"], flags: { help: true } });
    expect(parseArgs(["--version"])).toEqual({ command: [], flags: { version: true } });
    expect(parseArgs([])).toEqual({ command: [], flags: {} });
  });
});

describe("settingFlags", () => {
  it("maps kebab-case flags to setting names and reports the flags it does not know", () => {
    const { flags } = parseArgs(["serve", "--data-dir", "x", "--port=1", "--admin", "--config", "hub.json", "--colour", "blue", "--allow-registration"]);
    expect(settingFlags(flags, ["config"])).toEqual({
      settings: { DATA_DIR: "x", PORT: "1" },
      // A setting flag without a value cannot be applied, so it is reported rather than ignored.
      unknown: ["--colour", "--allow-registration"],
    });
    expect(settingFlags({ config: "hub.json" }).unknown).toEqual(["--config"]);
  });

  it("produces flags that loadConfig applies over the environment", () => {
    const { settings, unknown } = settingFlags(parseArgs(["serve", "--port", "7000", "--log-level=warn"]).flags);
    expect(unknown).toEqual([]);
    const config = loadConfig({ env: { PORT: "6000", LOG_LEVEL: "debug", HOST: "127.0.0.1" }, flags: settings, cwd: tmpdir() });
    expect(config).toMatchObject({ port: 7000, logLevel: "warn", host: "127.0.0.1" });
  });
});

describe("admin command", () => {
  const logger = createLogger({ level: "silent" });
  let dataDir: string;
  let config: Config;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-cli-test-"));
    config = loadConfig({ env: {}, flags: { DATA_DIR: dataDir, LOG_LEVEL: "silent" } });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs the command with `input` piped to stdin, as `echo pw | statusmonitor admin ...` does. */
  function run(input: string, subcommand: string | undefined, username: string | undefined, makeAdmin = false): Promise<string> {
    vi.spyOn(process, "stdin", "get").mockReturnValue(Readable.from([Buffer.from(input)]) as unknown as typeof process.stdin);
    return admin({ subcommand, username, makeAdmin }, config, logger);
  }

  it("creates users with the piped password: the first becomes admin, --admin makes more", async () => {
    expect(await run("first password\n", "create-user", "first")).toBe("created admin first (id 1)");
    expect(await run("second password\r\n", "create-user", "second")).toBe("created user second (id 2)");
    expect(await run("third password\nignored line\n", "create-user", "third", true)).toBe("created admin third (id 3)");
  });

  it("refuses a username that is taken, whatever its case", async () => {
    await expect(run("another password\n", "create-user", "SECOND")).rejects.toThrow(new UsageError("user SECOND already exists"));
  });

  it("resets the password of an existing user and refuses an unknown one", async () => {
    expect(await run("brand new password\n", "reset-password", "Second")).toBe("password of second changed");
    await expect(run("brand new password\n", "reset-password", "nobody")).rejects.toThrow(new UsageError("no user named nobody"));
  });

  it("validates the subcommand, the username and the password before touching the database", async () => {
    await expect(run("whatever password\n", "delete-user", "first")).rejects.toThrow(/admin needs a subcommand/);
    await expect(run("whatever password\n", undefined, "first")).rejects.toBeInstanceOf(UsageError);
    await expect(run("whatever password\n", "create-user", undefined)).rejects.toThrow(/^username /);
    await expect(run("whatever password\n", "create-user", "no spaces allowed")).rejects.toThrow(/^username must be 3-32 characters/);
    await expect(run("short\n", "create-user", "shorty")).rejects.toThrow(/^password must be at least 8 characters/);
    await expect(run("", "create-user", "silent")).rejects.toThrow(/^password /);
  });

  it("leaves accounts a hub started on the same data directory signs in with", () =>
    withTestHub({ dataDir }, async (hub) => {
      const http = new HttpClient(hub.url);
      const signIn = (username: string, password: string) => http.post("/api/v1/auth/login", { username, password });

      expect((await signIn("second", "second password")).status).toBe(401);
      const second = await signIn("second", "brand new password");
      expect(second.status).toBe(200);
      expect((await http.get("/api/v1/users/me", { token: second.body.access_token })).body).toMatchObject({ username: "second", role: "user" });

      const third = await signIn("third", "third password");
      expect(third.status).toBe(200);
      const users = await http.get("/api/v1/users", { token: third.body.access_token });
      expect(users.body.map((u: { username: string; role: string }) => `${u.username}:${u.role}`)).toEqual(["first:admin", "second:user", "third:admin"]);
      expect((await http.get("/api/v1/users", { token: second.body.access_token })).status).toBe(403);
      // Nothing was created by the refused attempts.
      expect((await signIn("shorty", "short")).status).toBe(401);
    }));
});
