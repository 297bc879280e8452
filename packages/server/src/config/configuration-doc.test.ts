/** Keeps docs/CONFIGURATION.md in step with the settings the loader accepts. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "./config.js";

const doc = readFileSync(new URL("../../../../docs/CONFIGURATION.md", import.meta.url), "utf8");
const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);

describe("configuration reference", () => {
  it("documents every setting exactly once and nothing else", () => {
    expect([...documented].sort()).toEqual([...SETTING_NAMES].sort());
  });
});
