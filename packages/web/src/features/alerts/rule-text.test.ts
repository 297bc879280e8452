/** The sentences for rules and events, and the hub's default rule names. */
import type { AlertMetric, AlertOperator } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { defaultRuleName } from "@statusmonitor/protocol/constants";
import { agentLabel, describeCondition, describeRule, hasDefaultName } from "./rule-text";

type Case = { metric: AlertMetric; operator: AlertOperator; threshold: number; mountpoint: string | null; duration_s: number };
const rule = (metric: AlertMetric, operator: AlertOperator, threshold: number, extra: Partial<Case> = {}): Case => ({
  metric,
  operator,
  threshold,
  mountpoint: null,
  duration_s: 0,
  ...extra,
});

describe("describeRule", () => {
  it.each<[Case, string]>([
    [rule("cpu", ">", 90, { duration_s: 60 }), "CPU > 90 % for 1 min"],
    [rule("cpu", ">", 90), "CPU > 90 %"],
    [rule("memory", ">=", 80, { duration_s: 90 }), "Memory ≥ 80 % for 1 min 30 s"],
    [rule("disk", ">", 95), "Disk (fullest) > 95 %"],
    [rule("disk", ">", 95, { mountpoint: "/data" }), "Disk /data > 95 %"],
    [rule("load1", "<=", 0.5), "Load ≤ 0.5"],
    [rule("network_rx", ">", 100 * 1024 ** 2, { duration_s: 30 }), "Network in > 100 MiB/s for 30 s"],
    [rule("network_tx", "<", 1024), "Network out < 1.00 KiB/s"],
    [rule("offline", ">", 0), "Offline (3 intervals, at least 30 s)"],
    [rule("offline", ">", 300), "Offline > 5 min"],
  ])("%o → %s", (input, text) => expect(describeRule(input)).toBe(text));

  it("leaves the duration out of an event's condition", () => {
    expect(describeCondition(rule("cpu", ">", 90, { duration_s: 60 }))).toBe("CPU > 90 %");
  });
});

describe("agentLabel", () => {
  const agents = [
    { id: 1, name: "web-01" },
    { id: 2, name: "db-01" },
  ];
  it.each<[number | null, typeof agents | undefined, string]>([
    [null, agents, "All agents"],
    [2, agents, "db-01"],
    [7, agents, "Agent #7"],
    [1, undefined, "Agent #1"],
  ])("%s → %s", (id, list, text) => expect(agentLabel(id, list)).toBe(text));
});

describe("defaultRuleName (as the hub names rules)", () => {
  it.each<[Case, string]>([
    [rule("cpu", ">", 90), "CPU > 90"],
    [rule("disk", ">=", 80, { mountpoint: "/data" }), "Disk /data >= 80"],
    [rule("disk", ">", 80), "Disk > 80"],
    [rule("network_rx", ">", 1048576), "Network in > 1048576"],
    [rule("offline", ">", 120), "Offline"],
    [rule("disk", ">", 80, { mountpoint: "/".repeat(200) }), `Disk ${"/".repeat(200)}`.slice(0, 100)],
  ])("%o → %s", (input, name) => expect(defaultRuleName(input)).toBe(name));

  it("recognises a name the hub generated, not one the user chose", () => {
    expect(hasDefaultName({ ...rule("cpu", ">", 90), name: "CPU > 90" })).toBe(true);
    expect(hasDefaultName({ ...rule("cpu", ">", 80), name: "CPU > 90" })).toBe(false);
    expect(hasDefaultName({ ...rule("cpu", ">", 90), name: "Busy web server" })).toBe(false);
  });
});
