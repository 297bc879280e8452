/** Keeps the error catalog and docs/ERRORS.md in step: every code documented with its status, nothing extra. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCatalog } from "./errors.js";

const doc = readFileSync(new URL("../../../docs/ERRORS.md", import.meta.url), "utf8");
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const),
);

describe("error catalog", () => {
  it("documents every code with its HTTP status", () => {
    for (const [code, { status }] of Object.entries(errorCatalog)) {
      expect(documented.get(code), `${code} in docs/ERRORS.md`).toBe(status);
    }
  });

  it("documents no code that does not exist", () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it("uses only client or server error statuses", () => {
    for (const { status, message } of Object.values(errorCatalog)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(message.length).toBeGreaterThan(10);
    }
  });
});
