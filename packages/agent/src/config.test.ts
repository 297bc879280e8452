/** Agent configuration: precedence, the INTERVAL alias, validation with every problem at once, and the 0600 config file. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AgentConfigError, loadAgentConfig, maskToken, readConfigFile, writeConfigFile } from "./config.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-agent-config-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (sources: Parameters<typeof loadAgentConfig>[0]): string[] => {
  try {
    loadAgentConfig(sources);
  } catch (err) {
    expect(err).toBeInstanceOf(AgentConfigError);
    return (err as AgentConfigError).problems;
  }
  throw new Error("expected an AgentConfigError");
};

describe("loadAgentConfig", () => {
  it("uses defaults under the home directory", () => {
    expect(loadAgentConfig({ env: {}, home: "/home/u" })).toEqual({
      hubUrl: "",
      token: "",
      intervalS: 1,
      bufferDir: "/home/u/.statusmonitor/buffer",
      bufferMaxMb: 64,
      autoStart: false,
    });
  });

  it("layers file < environment < flags, and reads INTERVAL as COLLECTION_INTERVAL's alias", () => {
    const file = { INGESTION_URL: "http://file:8080", AGENT_TOKEN: "sma_file", COLLECTION_INTERVAL: 30 };
    expect(loadAgentConfig({ file, env: {}, home: "/h" })).toMatchObject({ hubUrl: "http://file:8080", token: "sma_file", intervalS: 30 });
    expect(loadAgentConfig({ file, env: { INTERVAL: "5", AGENT_TOKEN: "sma_env" }, home: "/h" })).toMatchObject({ token: "sma_env", intervalS: 5 });
    expect(loadAgentConfig({ file, env: { INTERVAL: "5", COLLECTION_INTERVAL: "7" }, home: "/h" }).intervalS).toBe(7);
    expect(loadAgentConfig({ file, env: { INTERVAL: "5" }, flags: { COLLECTION_INTERVAL: "9", INGESTION_URL: "https://flag" }, home: "/h" })).toMatchObject({
      intervalS: 9,
      hubUrl: "https://flag",
    });
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ env: { COLLECTION_INTERVAL: "0.5", INGESTION_URL: "hub:8080", BUFFER_MAX_MB: "0" }, requireConnection: true });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["AGENT_TOKEN", "BUFFER_MAX_MB", "COLLECTION_INTERVAL", "INGESTION_URL"]);
    expect(problemsOf({ env: { COLLECTION_INTERVAL: "3601" } })[0]).toMatch(/from 1 to 3600/);
    expect(problemsOf({ env: { COLLECTION_INTERVAL: "abc" } })[0]).toMatch(/not "abc"/);
  });

  it("requires a hub URL and a token only to run", () => {
    expect(() => loadAgentConfig({ env: {} })).not.toThrow();
    expect(problemsOf({ env: {}, requireConnection: true }).map((p) => p.split(":")[0])).toEqual(["INGESTION_URL", "AGENT_TOKEN"]);
  });
});

describe("config file", () => {
  it("is written atomically with mode 0600 in a 0700 directory and read back", async () => {
    const file = path.join(tempDir(), ".statusmonitor", "agent.json");
    await writeConfigFile(file, { INGESTION_URL: "http://hub:8080", AGENT_TOKEN: "sma_secret", COLLECTION_INTERVAL: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await readConfigFile(file)).toEqual({ INGESTION_URL: "http://hub:8080", AGENT_TOKEN: "sma_secret", COLLECTION_INTERVAL: 2 });
  });

  it("is empty when missing, and a clear error when not a JSON object", async () => {
    const dir = tempDir();
    expect(await readConfigFile(path.join(dir, "none.json"))).toEqual({});
    writeFileSync(path.join(dir, "bad.json"), "{not json");
    await expect(readConfigFile(path.join(dir, "bad.json"))).rejects.toThrow(/not valid JSON/);
    writeFileSync(path.join(dir, "list.json"), "[1]");
    await expect(readConfigFile(path.join(dir, "list.json"))).rejects.toThrow(/JSON object/);
  });
});

describe("maskToken", () => {
  it("keeps only the prefix and the last characters", () => {
    expect(maskToken("sma_abcdefghijklmnopqrstuvwxyz")).toBe("sma_…wxyz");
    expect(maskToken("short")).toBe("…");
    expect(maskToken("")).toBe("");
  });
});
