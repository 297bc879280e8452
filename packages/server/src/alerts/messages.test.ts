/** Exact wording of fired, resolved and test notifications for every metric, and escaping of user text for Telegram's HTML mode. */
import { describe, expect, it } from "vitest";
import {
  firedMessage,
  formatBytesPerSecond,
  formatDuration,
  resolvedMessage,
  testMessage,
  type AlertNotice,
} from "./messages.js";

const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const base: AlertNotice = {
  agentId: 7,
  agentName: "Desktop",
  ruleId: 3,
  metric: "memory",
  operator: ">",
  threshold: 50,
  value: 62.6,
  at: AT,
};

describe("fired message", () => {
  it("reads like the original's Telegram alert", () => {
    expect(firedMessage(base).html).toBe(
      [
        "🚨 <b>Alert for Desktop</b>",
        "",
        "Metric: MEMORY",
        "Current Value: 62.6%",
        "Threshold: &gt; 50.0%",
        "Time: 2026-01-02 03:04:05 UTC",
      ].join("\n"),
    );
  });

  it.each<[string, Partial<AlertNotice>, string, string]>([
    ["cpu", { metric: "cpu", operator: ">=", threshold: 90, value: 97.04 }, "CPU", "Current Value: 97.0%\nThreshold: >= 90.0%"],
    ["memory below", { metric: "memory", operator: "<", threshold: 5.5, value: 3.24 }, "MEMORY", "Current Value: 3.2%\nThreshold: < 5.5%"],
    ["disk", { metric: "disk", threshold: 80, value: 91.55, mountpoint: "/var" }, "DISK (/var)", "Current Value: 91.5%\nThreshold: > 80.0%"],
    ["load1", { metric: "load1", operator: ">", threshold: 4, value: 6.125 }, "LOAD (1 min)", "Current Value: 6.13\nThreshold: > 4.00"],
    ["network_rx", { metric: "network_rx", threshold: 10_000_000, value: 12_300_000 }, "NETWORK IN", "Current Value: 12.3 MB/s\nThreshold: > 10.0 MB/s"],
    ["network_tx", { metric: "network_tx", operator: "<=", threshold: 1000, value: 512 }, "NETWORK OUT", "Current Value: 512 B/s\nThreshold: <= 1.0 kB/s"],
    ["offline", { metric: "offline", threshold: 60, value: 120 }, "OFFLINE", "Current Value: no data for 2 min"],
    ["unknown value", { metric: "cpu", value: null }, "CPU", "Current Value: n/a\nThreshold: > 50.0%"],
  ])("formats %s with its unit", (_name, change, label, valueLines) => {
    expect(firedMessage({ ...base, ...change }).text).toBe(
      `🚨 Alert for Desktop\n\nMetric: ${label}\n${valueLines}\nTime: 2026-01-02 03:04:05 UTC`,
    );
  });

  it("adds the rule name and how long the condition held", () => {
    expect(firedMessage({ ...base, ruleName: "RAM high", durationS: 300 }).text).toBe(
      [
        "🚨 Alert for Desktop",
        "",
        "Rule: RAM high",
        "Metric: MEMORY",
        "Current Value: 62.6%",
        "Threshold: > 50.0%",
        "Duration: 5 min",
        "Time: 2026-01-02 03:04:05 UTC",
      ].join("\n"),
    );
  });

  it("escapes &, < and > in every user-provided string for HTML, and only there", () => {
    const notice: AlertNotice = {
      ...base,
      metric: "disk",
      agentName: "<b>& co",
      ruleName: "a<script>&amp;",
      mountpoint: "/mnt/<x>&y",
    };
    expect(firedMessage(notice).html).toBe(
      [
        "🚨 <b>Alert for &lt;b&gt;&amp; co</b>",
        "",
        "Rule: a&lt;script&gt;&amp;amp;",
        "Metric: DISK (/mnt/&lt;x&gt;&amp;y)",
        "Current Value: 62.6%",
        "Threshold: &gt; 50.0%",
        "Time: 2026-01-02 03:04:05 UTC",
      ].join("\n"),
    );
    expect(firedMessage(notice).text).toContain("Alert for <b>& co\n\nRule: a<script>&amp;\nMetric: DISK (/mnt/<x>&y)");
  });

  it("escapes the operator too: Telegram would read `< 5` as the start of a tag", () => {
    expect(firedMessage({ ...base, operator: "<", threshold: 5 }).html).toContain("\nThreshold: &lt; 5.0%\n");
    expect(firedMessage({ ...base, operator: "<=", threshold: 5 }).text).toContain("\nThreshold: <= 5.0%\n");
  });

  it("clips very long user text so the message stays within Telegram's limit", () => {
    const html = firedMessage({ ...base, metric: "disk", mountpoint: "<".repeat(4096) }).html;
    expect(html).toContain(`Metric: DISK (${"&lt;".repeat(199)}…)`);
    expect(html.length).toBeLessThan(4096);
  });

  it("falls back to the original's name for an agent without one", () => {
    expect(firedMessage({ ...base, agentName: " " }).text.split("\n")[0]).toBe("🚨 Alert for Unknown Agent");
  });

  it("builds the webhook payload with the plain text", () => {
    const message = firedMessage({ ...base, metric: "disk", mountpoint: "/", ruleName: "Disk", durationS: 60 });
    expect(message.type).toBe("alert.fired");
    expect(message.payload).toEqual({
      type: "alert.fired",
      agent: { id: 7, name: "Desktop" },
      rule: { id: 3, name: "Disk", metric: "disk", operator: ">", threshold: 50, mountpoint: "/" },
      value: 62.6,
      at: "2026-01-02T03:04:05.678Z",
      text: message.text,
    });
  });
});

describe("resolved message", () => {
  it("mirrors the alert with a check mark", () => {
    const message = resolvedMessage({ ...base, value: 41.96, durationS: 750, ruleId: null });
    expect(message.html).toBe(
      [
        "✅ <b>Resolved for Desktop</b>",
        "",
        "Metric: MEMORY",
        "Current Value: 42.0%",
        "Threshold: &gt; 50.0%",
        "Duration: 12 min 30 s",
        "Time: 2026-01-02 03:04:05 UTC",
      ].join("\n"),
    );
    expect(message.payload.type).toBe("alert.resolved");
    expect(message.payload.rule?.id).toBeNull();
  });

  it("says an offline agent is reporting again", () => {
    expect(resolvedMessage({ ...base, metric: "offline", threshold: 120, value: null }).text).toBe(
      "✅ Resolved for Desktop\n\nMetric: OFFLINE\nCurrent Value: reporting again\nTime: 2026-01-02 03:04:05 UTC",
    );
  });
});

describe("test message", () => {
  it("names no agent and no rule", () => {
    const message = testMessage(AT);
    expect(message.html).toBe(
      "🔔 <b>StatusMonitor test message</b>\n\nAlerts for your agents will be delivered here.\nTime: 2026-01-02 03:04:05 UTC",
    );
    expect(message.payload).toEqual({
      type: "alert.test",
      agent: null,
      rule: null,
      value: null,
      at: "2026-01-02T03:04:05.678Z",
      text: "🔔 StatusMonitor test message\n\nAlerts for your agents will be delivered here.\nTime: 2026-01-02 03:04:05 UTC",
    });
  });
});

describe("units", () => {
  it.each([
    [0, "0 B/s"],
    [999, "999 B/s"],
    [999.6, "1.0 kB/s"],
    [1500, "1.5 kB/s"],
    [999_960, "1.0 MB/s"],
    [12_345_678, "12.3 MB/s"],
    [2.5e9, "2.5 GB/s"],
  ])("%d bytes/s reads %s", (bytes, text) => {
    expect(formatBytesPerSecond(bytes)).toBe(text);
  });

  it.each([
    [0, "0 s"],
    [45, "45 s"],
    [120, "2 min"],
    [150, "2 min 30 s"],
    [3600, "1 h"],
    [3900, "1 h 5 min"],
    [93_600, "1 d 2 h"],
  ])("%d s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
