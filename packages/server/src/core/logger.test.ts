/** Log lines never carry passwords, tokens, cookies or auth headers, at any depth pino is told about. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
}

describe("logger redaction", () => {
  it("redacts secrets at the top level and one level down", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        password: "hunter2-password",
        token: "sma_secret_agent_token",
        refresh_token: "smr_secret_refresh",
        body: { password: "nested-password", access_token: "eyJ.secret.jwt", secret: "webhook-secret" },
        req: { headers: { authorization: "Bearer eyJ.secret", cookie: "sm_refresh=smr_cookie", "x-agent-token": "sma_header" } },
      },
      "sign-in attempt",
    );
    const line = lines.join("");
    for (const secret of ["hunter2-password", "sma_secret_agent_token", "smr_secret_refresh", "nested-password", "eyJ.secret.jwt", "webhook-secret", "Bearer eyJ.secret", "smr_cookie", "sma_header"]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain("[redacted]");
    expect(JSON.parse(line).msg).toBe("sign-in attempt");
  });

  it("hides single-use tickets and tokens in logged request URLs", () => {
    const { lines, logger } = capture();
    logger.info({ req: { method: "GET", url: "/api/v1/live?ticket=smt_secret123&x=1" } }, "incoming request");
    const entry = JSON.parse(lines[0]!);
    expect(entry.req.url).toBe("/api/v1/live?ticket=[redacted]&x=1");
    expect(lines[0]).not.toContain("smt_secret123");
  });

  it("keeps ordinary fields", () => {
    const { lines, logger } = capture();
    logger.info({ agentId: 7, userId: 3 }, "agent created");
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ agentId: 7, userId: 3, msg: "agent created", level: 30 });
  });
});
