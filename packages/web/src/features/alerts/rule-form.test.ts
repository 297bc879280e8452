/** The rule form: parsing and client-side checks, rate units, editing round trips and the hub's issues. */
import type { AlertRule } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { newRuleForm, parseDecimal, parseRuleForm, patchBody, problemsFromIssues, rateUnitFor, ruleFormFrom, withMetric, type RuleFormValues } from "./rule-form";

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const form = (patch: Partial<RuleFormValues> = {}): RuleFormValues => ({ ...newRuleForm(), ...patch });

describe("parseRuleForm", () => {
  it("builds the body of a new rule with the API's defaults and no name", () => {
    expect(parseRuleForm(newRuleForm())).toEqual({
      ok: true,
      rule: { agent_id: null, metric: "cpu", operator: ">", threshold: 90, mountpoint: null, duration_s: 0, cooldown_s: 300, enabled: true },
    });
  });

  it.each<[string, Partial<RuleFormValues>, Record<string, unknown>]>([
    ["one agent", { agentId: "7" }, { agent_id: 7 }],
    ["a trimmed name", { name: "  Busy  " }, { name: "Busy" }],
    ["a decimal comma", { threshold: "85,5" }, { threshold: 85.5 }],
    ["a rate in MiB/s", { metric: "network_rx", threshold: "1.1", rateUnit: MIB }, { threshold: Math.round(1.1 * MIB) }],
    ["a rate in B/s", { metric: "network_tx", threshold: "500", rateUnit: 1 }, { threshold: 500 }],
    ["a disk mountpoint", { metric: "disk", mountpoint: " /data " }, { mountpoint: "/data" }],
    ["a blank mountpoint as the fullest disk", { metric: "disk", mountpoint: "  " }, { mountpoint: null }],
    ["no mountpoint for other metrics", { metric: "cpu", mountpoint: "/data" }, { mountpoint: null }],
    ["offline automatic", { metric: "offline", threshold: "0" }, { metric: "offline", threshold: 0 }],
    ["durations", { durationS: "60", cooldownS: "0" }, { duration_s: 60, cooldown_s: 0 }],
  ])("accepts %s", (_case, patch, expected) => {
    const parsed = parseRuleForm(form(patch));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.rule).toMatchObject(expected);
  });

  it.each<[string, Partial<RuleFormValues>, Record<string, string>]>([
    ["an empty threshold", { threshold: " " }, { threshold: "is required" }],
    ["a threshold that is not a number", { threshold: "ninety" }, { threshold: "must be a number" }],
    ["a percentage over 100", { threshold: "101" }, { threshold: "must be between 0 % and 100 %" }],
    ["a negative percentage", { metric: "memory", threshold: "-1" }, { threshold: "must be between 0 % and 100 %" }],
    ["a load over the limit", { metric: "load1", threshold: "100001" }, { threshold: "must be between 0 and 100000" }],
    ["a rate over the limit", { metric: "network_rx", threshold: "1000", rateUnit: GIB }, { threshold: "must be between 0 B/s and 931 GiB/s" }],
    ["an offline threshold below 10 s", { metric: "offline", threshold: "5" }, { threshold: "must be 0 (automatic) or at least 10 seconds for offline" }],
    ["an offline threshold over a day", { metric: "offline", threshold: "86401" }, { threshold: "must be 0 (automatic) or between 10 s and 86,400 s" }],
    ["offline with <", { metric: "offline", operator: "<", threshold: "0" }, { operator: 'must be ">" for offline' }],
    ["a fractional duration", { durationS: "1.5" }, { durationS: "must be a whole number of seconds" }],
    ["a duration over a day", { durationS: "86401" }, { durationS: "must be between 0 and 86,400 s" }],
    ["a negative cooldown", { cooldownS: "-1" }, { cooldownS: "must be between 0 and 86,400 s" }],
    ["an empty cooldown", { cooldownS: "" }, { cooldownS: "must be a whole number of seconds" }],
    ["a name over 100 characters", { name: "x".repeat(101) }, { name: "must be at most 100 characters" }],
  ])("refuses %s", (_case, patch, problems) => {
    expect(parseRuleForm(form(patch))).toEqual({ ok: false, problems });
  });

  it("reports every problem at once", () => {
    const parsed = parseRuleForm(form({ threshold: "x", durationS: "y", cooldownS: "z" }));
    expect(parsed.ok ? [] : Object.keys(parsed.problems).sort()).toEqual(["cooldownS", "durationS", "threshold"]);
  });
});

describe("parseDecimal", () => {
  it.each<[string, number | null]>([
    ["90", 90],
    [" 2.5 ", 2.5],
    ["2,5", 2.5],
    [".5", 0.5],
    ["1e3", 1000],
    ["-3", -3],
    ["", null],
    ["0x10", null],
    ["12abc", null],
    ["Infinity", null],
  ])("%j → %s", (text, value) => expect(parseDecimal(text)).toBe(value));
});

describe("rateUnitFor", () => {
  it.each([
    [0, MIB],
    [500, 1],
    [1536, KIB],
    [MIB, MIB],
    [1.5 * MIB, MIB],
    [Math.round(1.1 * MIB), MIB],
    [1000 * KIB, KIB],
    [2 * GIB, GIB],
    [1_000_001, 1],
  ])("%s B/s is shown in units of %s bytes", (bytes, unit) => expect(rateUnitFor(bytes)).toBe(unit));
});

const stored = (patch: Partial<AlertRule>): AlertRule => ({
  id: 1,
  name: "CPU > 90",
  agent_id: null,
  metric: "cpu",
  operator: ">",
  threshold: 90,
  mountpoint: null,
  duration_s: 60,
  cooldown_s: 300,
  enabled: true,
  created_at: "2026-11-24T10:00:00.000Z",
  updated_at: "2026-11-24T10:00:00.000Z",
  ...patch,
});

describe("ruleFormFrom", () => {
  it("leaves a generated name blank, so it follows the edited condition", () => {
    const values = ruleFormFrom(stored({}));
    expect(values.name).toBe("");
    const parsed = parseRuleForm({ ...values, threshold: "80" });
    expect(parsed.ok && patchBody(parsed.rule).name).toBe("CPU > 80");
  });

  it("keeps a name the user chose", () => {
    const values = ruleFormFrom(stored({ name: "Busy" }));
    const parsed = parseRuleForm({ ...values, threshold: "80" });
    expect(parsed.ok && patchBody(parsed.rule).name).toBe("Busy");
  });

  it.each([
    stored({ agent_id: 3, metric: "disk", mountpoint: "/var", threshold: 85.5, operator: ">=", enabled: false, name: "Var" }),
    stored({ metric: "network_rx", threshold: Math.round(1.1 * MIB), name: "Net" }),
    stored({ metric: "network_tx", threshold: 1_000_001, name: "Odd" }),
    stored({ metric: "offline", threshold: 0, duration_s: 0, cooldown_s: 0, name: "Offline" }),
  ])("round-trips rule %# through the form unchanged", (rule) => {
    const parsed = parseRuleForm(ruleFormFrom(rule));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { id: _id, created_at: _c, updated_at: _u, ...fields } = rule;
    expect(patchBody(parsed.rule)).toEqual(fields);
  });
});

describe("withMetric", () => {
  it.each<[string, Partial<RuleFormValues>, RuleFormValues["metric"], Partial<RuleFormValues>]>([
    ["keeps a percentage between percent metrics", { threshold: "75" }, "memory", { threshold: "75", operator: ">" }],
    ["starts a rate at 100 MiB/s", { threshold: "75" }, "network_rx", { threshold: "100", rateUnit: MIB }],
    ["keeps the rate and unit between network metrics", { metric: "network_rx", threshold: "5", rateUnit: KIB }, "network_tx", { threshold: "5", rateUnit: KIB }],
    ["forces > and automatic for offline", { operator: "<", threshold: "75" }, "offline", { operator: ">", threshold: "0" }],
    ["keeps < where allowed", { operator: "<" }, "load1", { operator: "<", threshold: "4", rateUnit: 1 }],
    ["drops the mountpoint when leaving disk", { metric: "disk", mountpoint: "/data" }, "cpu", { mountpoint: "" }],
    ["keeps the mountpoint within disk", { metric: "disk", mountpoint: "/data" }, "disk", { mountpoint: "/data" }],
  ])("%s", (_case, from, metric, expected) => {
    expect(withMetric(form(from), metric)).toMatchObject({ metric, ...expected });
  });
});

describe("problemsFromIssues", () => {
  it("puts the hub's issues under their fields and keeps the rest as sentences", () => {
    expect(
      problemsFromIssues([
        { path: "body.threshold", message: "must be between 0 and 100 for cpu" },
        { path: "body.agent_id", message: "Expected number" },
        { path: "body.duration_s", message: "Too big" },
        { path: "body", message: "must change at least one field" },
        { path: "(root)", message: "Invalid input" },
      ]),
    ).toEqual({
      problems: { threshold: "must be between 0 and 100 for cpu", agentId: "Expected number", durationS: "Too big" },
      rest: ["body: must change at least one field", "Invalid input"],
    });
  });
});
