/**
 * The dashboard end to end, as a person uses it: the current source built with Vite, the real hub and
 * the real agent as child processes, Debian's Chromium. One scenario, step by step; every wait is a
 * poll with a deadline, never a fixed sleep. Screenshots of every page land in e2e/screenshots/.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Locator, Page, Request, Response } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordingServer, type RecordedRequest } from "../packages/server/src/test-support/recording-server.js";
import { accessToken, apiGet, ingestStatus } from "./support/api.js";
import { buildAgent, startAgent, type AgentProcess } from "./support/agent-process.js";
import { launchBrowser, openUser, SCREENSHOT_DIR, screenshotPage, type UserBrowser } from "./support/browser.js";
import { backfill } from "./support/backfill.js";
import { buildDashboard } from "./support/dashboard-build.js";
import { expiredCopy } from "./support/expired-token.js";
import { E2eHub } from "./support/hub.js";

const PASSWORD = "e2e correct horse";
const CHAT_ID = "424242";

let dir: string;
let hub: E2eHub;
let browser: Browser;
let telegram: { url: string; requests: RecordedRequest[] };
let agent: AgentProcess | undefined;
let alice: UserBrowser;
let bob: UserBrowser | undefined;
let agentId: number;
let agentToken: string;
let agentStartedAt: number;

beforeAll(async () => {
  // This run's pictures only: a stale failed-*.png from an earlier run would mislead.
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-e2e-"));
  const webDir = path.join(dir, "web");
  // Independent: the dashboard build, the agent build and the browser start side by side.
  const [, , launched] = await Promise.all([buildDashboard(webDir), Promise.resolve().then(buildAgent), launchBrowser()]);
  browser = launched;
  telegram = await recordingServer((res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: { message_id: 1 } })), { lifetime: "file" });
  hub = await E2eHub.start({ dataDir: path.join(dir, "hub"), webDir, telegramApiUrl: telegram.url });
}, 90_000);

afterEach(async (context) => {
  // What the page looked like when a step failed, beside the other screenshots.
  if (context.task.result?.state === "fail" && alice) {
    await alice.page.screenshot({ path: path.join(SCREENSHOT_DIR, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => undefined);
  }
});

afterAll(async () => {
  await agent?.stop();
  await browser?.close();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the dashboard in Chromium against the real hub and agent", () => {
  it("a new user registers and lands on their (empty) agents page", async () => {
    alice = await openUser(browser, hub.url);
    const { page } = alice;
    await page.goto("/");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshotPage(page, "login");
    await page.getByRole("button", { name: "Create one" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/agents");
    await page.getByRole("heading", { name: "Agents", level: 1 }).waitFor();
    await page.getByText("No agents yet").waitFor();
    await screenshotPage(page, "agents-empty");
    expect(alice.errors).toEqual([]);
  });

  it("creates an agent, gets its token once, and the real agent connects with it", async () => {
    const { page } = alice;
    await page.getByRole("button", { name: "New agent" }).click();
    const form = page.getByRole("dialog", { name: "New agent" });
    await form.getByLabel("Agent name").fill("web-01");
    await form.getByRole("button", { name: "Create agent" }).click();

    const created = page.getByRole("dialog", { name: "Agent “web-01” created" });
    await created.waitFor();
    agentToken = await created.getByLabel("Agent token").inputValue();
    expect(agentToken.length).toBeGreaterThan(20);
    await created.getByRole("timer").waitFor();
    await screenshotPage(page, "agent-token-dialog", { dialog: true });

    agentStartedAt = Date.now();
    agent = startAgent({ hubUrl: hub.url, token: agentToken, dir: path.join(dir, "agent") });
    // The dialog notices the first sample by itself.
    await created.getByText("Agent connected").waitFor({ timeout: 20_000 }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nagent output:\n${agent!.output()}\nhub output:\n${hub.output()}`);
    });
    await created.getByRole("link", { name: "Open the dashboard" }).click();
    await page.waitForURL(/\/agents\/\d+$/);
    agentId = Number(/\/agents\/(\d+)$/.exec(page.url())![1]);
    expect(alice.errors).toEqual([]);
  });

  it("shows the agent's live numbers changing and the per-core CPU dialog", async () => {
    const { page } = alice;
    await page.getByRole("heading", { name: "web-01", level: 1 }).waitFor();
    await expect.poll(() => liveIndicator(alice).textContent(), { timeout: 15_000 }).toMatch(/Live connection: Live$/);
    const overview = page.getByRole("region", { name: "Current values" });
    await expect.poll(() => overview.getByRole("group", { name: "CPU" }).textContent(), { timeout: 15_000 }).toMatch(/\d+\.\d %/);
    // A real machine's counters move every second: the cards must follow without a reload.
    const before = await overview.textContent();
    await expect.poll(() => overview.textContent(), { timeout: 10_000 }).not.toBe(before);
    await screenshotPage(page, "agent-live");

    await page.getByRole("button", { name: "CPU details" }).click();
    const dialog = page.getByRole("dialog", { name: "CPU details" });
    await dialog.getByText(/^Per-core usage \(\d+ cores?\)$/).waitFor();
    await expect.poll(() => dialog.getByRole("meter", { name: "Core 0 usage" }).getAttribute("aria-valuetext")).toMatch(/^\d+\.\d %$/);
    await screenshotPage(page, "cpu-details", { dialog: true });
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(alice.errors).toEqual([]);
  });

  it("opens the memory and network details with this machine's own values, and Escape closes them", async () => {
    const { page } = alice;
    await page.getByRole("button", { name: "Memory details" }).click();
    const memory = page.getByRole("dialog", { name: "Memory details" });
    // The first "Total" is the memory's (the second is the swap's): the agent read it from this machine's /proc/meminfo.
    const total = memory.locator('dt:text-is("Total") + dd').first();
    await expect.poll(() => total.textContent()).toMatch(/^\d+(\.\d+)? [KMGT]iB$/);
    expectBinaryBytes((await total.textContent())!, meminfoBytes("MemTotal"));
    await screenshotPage(page, "memory-details", { dialog: true });
    await page.keyboard.press("Escape");
    await memory.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Network details" }).click();
    const network = page.getByRole("dialog", { name: "Network details" });
    const interfaces = network.getByRole("table", { name: "Network interfaces" }).getByRole("rowheader");
    await interfaces.first().waitFor();
    // What the agent reports: /proc/net/dev without loopback and container pairs.
    const real = netDevInterfaces().filter((name) => !/^(lo|veth.*)$/.test(name));
    const listed = await interfaces.allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    for (const name of listed) expect(real).toContain(name);
    await screenshotPage(page, "network-details", { dialog: true });
    await page.keyboard.press("Escape");
    await network.waitFor({ state: "detached" });
    expect(alice.errors).toEqual([]);
  });

  it("switches to history, where back-filled data shows, and zooms by dragging across a chart", async () => {
    const { page } = alice;
    // What an agent sends after an outage: half an hour from before it started here, stored but not streamed.
    const stored = await backfill(hub.url, agentToken, { minutes: 30, stepS: 5, endAgoS: (Date.now() - agentStartedAt) / 1000 + 5 });
    expect(stored).toBe(360);
    await page.getByRole("tab", { name: "History" }).click();
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "1h", exact: true }).click();
    const cpuChart = page.getByRole("img", { name: /^Total CPU usage in percent, / });
    await cpuChart.locator("canvas").waitFor();
    await page.getByText(/^Resolution: /).waitFor();
    await expect.poll(() => page.getByRole("img", { name: /^Total CPU usage in percent, Last hour/ }).count()).toBe(1);
    await screenshotPage(page, "agent-history");

    // Drag across the middle of the plot: the charts re-ask the hub for that span alone.
    const plot = await cpuChart.locator(".u-over").boundingBox();
    expect(plot).not.toBeNull();
    const y = plot!.y + plot!.height / 2;
    const zoomed = page.waitForResponse((response) => /\/history\/cpu\?.*start=\d{4}-/.test(response.url()) && response.status() === 200);
    await page.mouse.move(plot!.x + plot!.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(plot!.x + plot!.width * 0.5, y, { steps: 5 });
    await page.mouse.move(plot!.x + plot!.width * 0.7, y, { steps: 5 });
    await page.mouse.up();
    await zoomed;
    await page.getByText(/^Zoomed:/).waitFor();
    await page.getByRole("button", { name: "Reset zoom" }).waitFor();
    await screenshotPage(page, "agent-history-zoomed");

    // A double-click goes back to the picked range.
    await cpuChart.locator(".u-over").dblclick();
    await page.getByRole("button", { name: "Reset zoom" }).waitFor({ state: "detached" });
    expect(alice.errors).toEqual([]);
  });

  it("shows the resolution the hub answers for 7 days, and refuses a custom range that ends before it starts", async () => {
    const { page } = alice;
    const range = page.getByRole("group", { name: "Time range" });
    await range.getByRole("button", { name: "7d", exact: true }).click();
    await expect.poll(() => range.getByRole("button", { name: "7d", exact: true }).getAttribute("aria-pressed")).toBe("true");
    // The hub picks the tier (raw, 1m or 1h) and the point width for a range: the badge must say what it answered.
    const answer = await apiGet<{ tier: string; interval: string }>(hub.url, await aliceApiToken(), `/api/v1/agents/${agentId}/history/cpu?start=-7d&stop=now()`);
    await expect.poll(() => page.getByText(/^Resolution: \S/).textContent()).toBe(`Resolution: ${expectedTierLabel(answer.tier, answer.interval)}`);

    // Swap the form's own from and to (both valid times, in the wrong order).
    await range.getByRole("button", { name: "Custom", exact: true }).click();
    const form = page.getByRole("form", { name: "Custom time range" });
    const from = form.getByLabel("From", { exact: true });
    const to = form.getByLabel("To", { exact: true });
    const [fromValue, toValue] = [await from.inputValue(), await to.inputValue()];
    expect(fromValue < toValue).toBe(true);
    await from.fill(toValue);
    await to.fill(fromValue);
    await form.getByRole("button", { name: "Apply" }).click();
    await form.getByText("“From” must be before “To”.").waitFor();
    expect(await from.getAttribute("aria-invalid")).toBe("true");
    await screenshotPage(page, "history-custom-range-error");

    // Put right, the same form applies: the Custom segment is the pressed one and the address holds the span.
    await from.fill(fromValue);
    await to.fill(toValue);
    await form.getByRole("button", { name: "Apply" }).click();
    await form.waitFor({ state: "detached" });
    await expect.poll(() => range.getByRole("button", { name: "Custom", exact: true }).getAttribute("aria-pressed")).toBe("true");
    expect(new URL(page.url()).searchParams.get("from")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(alice.errors).toEqual([]);
  });

  it("renames an agent, regenerates its token (the old one is refused) and deletes it after confirming", async () => {
    const { page } = alice;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { name: "Agents", level: 1 }).waitFor();
    // A second agent, so the running one keeps its token.
    await page.getByRole("button", { name: "New agent" }).click();
    const form = page.getByRole("dialog", { name: "New agent" });
    await form.getByLabel("Agent name").fill("db-02");
    await form.getByRole("button", { name: "Create agent" }).click();
    const created = page.getByRole("dialog", { name: "Agent “db-02” created" });
    const oldToken = await created.getByLabel("Agent token").inputValue();
    await created.getByRole("button", { name: "Done" }).click();
    await created.waitFor({ state: "detached" });
    expect(await ingestStatus(hub.url, oldToken)).toBe(200);
    const href = await page.getByRole("link", { name: "db-02", exact: true }).getAttribute("href");
    const secondId = Number(/\/agents\/(\d+)$/.exec(href ?? "")?.[1]);
    expect(secondId).toBeGreaterThan(agentId);

    await page.getByRole("button", { name: "Rename db-02" }).click();
    const rename = page.getByRole("dialog", { name: "Rename “db-02”" });
    await rename.getByLabel("Agent name").fill("db-primary");
    await rename.getByRole("button", { name: "Save name" }).click();
    await rename.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "db-primary", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "db-02", exact: true }).count()).toBe(0);

    await page.getByRole("button", { name: "Regenerate token of db-primary" }).click();
    const confirmRegenerate = page.getByRole("dialog", { name: "Regenerate the token?" });
    await confirmRegenerate.getByRole("button", { name: "Regenerate token" }).click();
    const issued = page.getByRole("dialog", { name: "New token for “db-primary”" });
    const newToken = await issued.getByLabel("Agent token").inputValue();
    expect(newToken.length).toBeGreaterThan(20);
    expect(newToken).not.toBe(oldToken);
    expect(await ingestStatus(hub.url, oldToken)).toBe(401);
    expect(await ingestStatus(hub.url, newToken)).toBe(200);
    await issued.getByRole("button", { name: "Done" }).click();
    await issued.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Delete db-primary" }).click();
    const confirmDelete = page.getByRole("dialog", { name: "Delete this agent?" });
    await confirmDelete.getByText("db-primary").waitFor();
    await screenshotPage(page, "agent-delete-confirm", { dialog: true });
    await confirmDelete.getByRole("button", { name: "Delete agent" }).click();
    await confirmDelete.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "db-primary", exact: true }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "web-01", exact: true }).waitFor();
    expect(await ingestStatus(hub.url, newToken)).toBe(401);

    // The page's live view asks for the agent's latest sample, history and a ticket beside the agent
    // itself; those 404s may land after the heading, so they stay allowed until every one has answered.
    const asked: Request[] = [];
    const onRequest = (request: Request) => {
      if (new RegExp(`^/api/v1/(agents/${secondId}(/|$)|live/tickets$)`).test(new URL(request.url()).pathname)) asked.push(request);
    };
    page.on("request", onRequest);
    alice.allowed.push(/^404 (GET|POST) \/api\/v1\/(agents\/\d+|live\/tickets)/);
    await page.goto(`/agents/${secondId}`);
    await page.getByRole("heading", { name: "Agent not found" }).waitFor();
    await Promise.all(asked.map((request) => request.response()));
    page.off("request", onRequest);
    alice.allowed.pop();
    expect(alice.errors).toEqual([]);
  });

  it("creates a rule that fires to the (recording) Telegram server and shows the event", async () => {
    const { page } = alice;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();

    await page.getByLabel("Telegram chat ID").fill(CHAT_ID);
    const enable = page.getByRole("switch", { name: "Send alerts to Telegram" });
    if (!(await enable.isChecked())) await enable.click({ force: true });
    await page.getByRole("button", { name: "Save channels" }).click();
    await page.getByText("Channels saved.").waitFor();
    await page.getByRole("button", { name: "Send test" }).click();
    await expect.poll(() => telegramMessages().length).toBe(1);

    await page.getByRole("button", { name: "New rule" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New rule" });
    await dialog.getByLabel("Agent").selectOption({ label: "web-01" });
    await dialog.getByLabel("Metric").selectOption({ label: "Memory usage" });
    await dialog.getByLabel("Condition").selectOption({ label: "above (>)" });
    // Memory in use is never 0 %: the next sample fires the rule, whatever the machine is doing.
    await dialog.getByLabel("Threshold (%)").fill("0");
    await dialog.getByLabel("Must hold for (s)").fill("0");
    await dialog.getByLabel("Name (optional)").fill("Memory in use");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("row").filter({ hasText: "Memory in use" }).waitFor();

    // The hub sends the alert within a second of the next sample.
    await expect.poll(() => telegramMessages().length, { timeout: 15_000 }).toBe(2);
    const alert = JSON.parse(telegramMessages()[1]!.body) as { chat_id: string; text: string };
    expect(alert.chat_id).toBe(CHAT_ID);
    expect(alert.text).toContain("web-01");
    const events = page.locator("section").filter({ has: page.getByRole("heading", { name: "Events", exact: true }) });
    const firing = events.getByRole("row").filter({ hasText: "Memory in use" }).filter({ hasText: "Firing" });
    await expect
      .poll(async () => {
        if ((await firing.count()) === 0) await events.getByRole("button", { name: "Refresh" }).click();
        return firing.filter({ hasText: "Sent" }).count();
      }, { timeout: 15_000, interval: 500 })
      .toBe(1);
    await screenshotPage(page, "alerts");
    expect(alice.errors).toEqual([]);
  });

  it("edits the rule's threshold, turns it off (it stays off after a reload), deletes it, and clears the events", async () => {
    const { page } = alice;
    const rules = page.locator("section").filter({ has: page.getByRole("heading", { name: "Rules", exact: true }) });
    const rule = rules.getByRole("row").filter({ hasText: "Memory in use" });
    await page.getByRole("button", { name: "Edit rule Memory in use" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit rule" });
    await dialog.getByLabel("Threshold (%)").fill("2.5");
    await dialog.getByRole("button", { name: "Save rule" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Rule “Memory in use” saved.").waitFor();
    await expect.poll(() => rule.textContent()).toContain("> 2.5 %");

    const enabled = page.getByRole("switch", { name: "Enable rule Memory in use" });
    expect(await enabled.isChecked()).toBe(true);
    const saved = page.waitForResponse((response) => /\/api\/v1\/alerts\/rules\/\d+$/.test(response.url()) && response.request().method() === "PATCH");
    await enabled.click({ force: true });
    expect((await saved).status()).toBe(200);
    await page.reload();
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
    await expect.poll(() => page.getByRole("switch", { name: "Enable rule Memory in use" }).isChecked()).toBe(false);

    await page.getByRole("button", { name: "Delete rule Memory in use" }).click();
    const confirmDelete = page.getByRole("dialog", { name: "Delete rule?" });
    await confirmDelete.getByRole("button", { name: "Delete rule" }).click();
    await confirmDelete.waitFor({ state: "detached" });
    await page.getByText("Rule “Memory in use” deleted.").waitFor();
    await page.getByText("No rules yet").waitFor();

    // No rule is left to add events: the count the hub has now is the count "Clear all" removes.
    const { total } = await apiGet<{ total: number }>(hub.url, await aliceApiToken(), "/api/v1/alerts/events?limit=1");
    expect(total).toBeGreaterThan(0);
    const events = page.locator("section").filter({ has: page.getByRole("heading", { name: "Events", exact: true }) });
    await events.getByRole("button", { name: "Clear all" }).click();
    const confirmClear = page.getByRole("dialog", { name: "Clear all events?" });
    await screenshotPage(page, "events-clear-confirm", { dialog: true });
    await confirmClear.getByRole("button", { name: "Clear all events" }).click();
    await confirmClear.waitFor({ state: "detached" });
    await events.getByText(`Removed ${total} event${total === 1 ? "" : "s"}.`).waitFor();
    await events.getByText("No events yet. They appear here when a rule fires or resolves.").waitFor();
    await expect.poll(() => events.getByRole("row").count()).toBeLessThanOrEqual(1);
    await screenshotPage(page, "alerts-cleared");
    expect(alice.errors).toEqual([]);
  });

  it("stays signed in across a reload, and an expired access token is refreshed silently", async () => {
    const { page } = alice;
    await page.reload();
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/alerts$/);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("link", { name: "web-01", exact: true }).waitFor();

    // The access token expires while a page is open (15 minutes by default), and the next request
    // carries it. Make exactly that happen to the agents list after a reload, with a copy of the real
    // token that expired an hour ago, signed with the hub's own key: the hub itself answers.
    let answered: { status: number; code?: string } | undefined;
    await page.route("**/api/v1/agents", async (route) => {
      const header = route.request().headers().authorization ?? "";
      if (answered || !header.startsWith("Bearer ")) return route.continue();
      const response = await route.fetch({ headers: { ...route.request().headers(), authorization: `Bearer ${expiredCopy(header.slice(7), hub.dataDir)}` } });
      answered = { status: response.status(), code: ((await response.json()) as { error?: { code: string } }).error?.code };
      return route.fulfill({ response });
    });
    const calls: string[] = [];
    const onResponse = (response: Response) => {
      const url = new URL(response.url());
      if (url.pathname === "/api/v1/agents" || url.pathname === "/api/v1/auth/refresh") calls.push(`${response.status()} ${url.pathname}`);
    };
    page.on("response", onResponse);
    alice.allowed.push(/^401 GET \/api\/v1\/agents$/);
    await page.reload();
    await page.getByRole("link", { name: "web-01", exact: true }).waitFor();
    expect(answered).toEqual({ status: 401, code: "ACCESS_TOKEN_EXPIRED" });
    // Page load's refresh (the token lives in memory only), the expired call, one silent refresh, the retry.
    expect(calls).toEqual(["200 /api/v1/auth/refresh", "401 /api/v1/agents", "200 /api/v1/auth/refresh", "200 /api/v1/agents"]);
    page.off("response", onResponse);
    await page.unroute("**/api/v1/agents");
    alice.allowed.pop();
    await screenshotPage(page, "agents");
    expect(page.url()).toMatch(/\/agents$/);
    expect(alice.errors).toEqual([]);
  });

  it("reconnects the live view by itself when the hub restarts", async () => {
    const { page } = alice;
    await page.getByRole("link", { name: "web-01", exact: true }).click();
    await expect.poll(() => liveIndicator(alice).textContent(), { timeout: 15_000 }).toMatch(/Live connection: Live$/);

    // While the hub is down, requests fail and the socket closes: expected here, and nowhere else.
    alice.allowed.push(/^failed /, /^console: WebSocket connection/, /^5\d\d /);
    await hub.stop();
    await expect.poll(() => liveIndicator(alice).textContent(), { timeout: 15_000 }).toMatch(/Live connection: Reconnecting…$/);
    await hub.resume();
    await expect.poll(() => liveIndicator(alice).textContent(), { timeout: 30_000 }).toMatch(/Live connection: Live$/);
    // And the numbers move again: the agent found the hub too.
    const overview = page.getByRole("region", { name: "Current values" });
    const before = await overview.textContent();
    await expect.poll(() => overview.textContent(), { timeout: 15_000 }).not.toBe(before);
    alice.allowed.splice(-3);
    expect(alice.errors).toEqual([]);
  });

  it("a second user sees none of the first user's agents", async () => {
    bob = await openUser(browser, hub.url);
    const { page } = bob;
    await page.goto("/login");
    await page.getByRole("button", { name: "Create one" }).click();
    await page.getByLabel("Username").fill("bob");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("No agents yet").waitFor();
    await expect(page.getByRole("link", { name: "web-01" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Admin" }).count()).resolves.toBe(0);

    // The hub answers another user's agent exactly like one that does not exist.
    bob.allowed.push(/^404 (GET|POST) \/api\/v1\/(agents\/\d+|live\/tickets)/);
    await page.goto(`/agents/${agentId}`);
    await page.getByRole("heading", { name: "Agent not found" }).waitFor();
    await screenshotPage(page, "agent-not-found");
    expect(bob.errors).toEqual([]);
    expect(alice.errors).toEqual([]);
  });

  it("the second user, no administrator, is refused the admin page and has no Admin link", async () => {
    const { page } = bob!;
    await page.goto("/admin");
    await page.getByRole("heading", { name: "Administrators only" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Administration" }).count()).toBe(0);
    await screenshotPage(page, "admin-refused");
    expect(bob!.errors).toEqual([]);
  });

  it("signs in with the keyboard alone, with the focus visible, and opens and closes a dialog with it", async () => {
    const keyboard = await openUser(browser, hub.url);
    try {
      const { page } = keyboard;
      await page.goto("/login");
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      const username = page.getByLabel("Username");
      await tabTo(page, username);
      expect(await outlineOf(username)).not.toBeNull();
      await page.keyboard.type("alice");
      await page.keyboard.press("Tab");
      const password = page.getByLabel("Password");
      expect(await isFocused(password)).toBe(true);
      expect(await outlineOf(password)).not.toBeNull();
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Enter");
      await page.waitForURL("**/agents");
      await page.getByRole("link", { name: "web-01", exact: true }).waitFor();

      const newAgent = page.getByRole("button", { name: "New agent" });
      await tabTo(page, newAgent);
      expect(await outlineOf(newAgent)).not.toBeNull();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "New agent" });
      await dialog.waitFor();
      // The modal takes the focus, so typing goes into the form, not the page behind it.
      await expect.poll(() => dialog.evaluate((element) => element.contains(element.ownerDocument.activeElement))).toBe(true);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      // And gives it back where it was, so the next Tab goes on from there.
      await expect.poll(() => isFocused(newAgent)).toBe(true);
      await screenshotPage(page, "agents-keyboard-focus");
      expect(keyboard.errors).toEqual([]);
    } finally {
      await keyboard.context.close();
    }
  });

  it("shows the first user, the hub's administrator, both accounts on the admin page", async () => {
    const { page } = alice;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { name: "Administration", level: 1 }).waitFor();
    await page.getByRole("row").filter({ hasText: "alice" }).filter({ hasText: "Administrator" }).waitFor();
    await page.getByRole("row").filter({ hasText: "bob" }).filter({ hasText: "User" }).waitFor();
    await page.getByRole("button", { name: "Delete user bob" }).waitFor();
    // Nobody deletes their own account from here.
    expect(await page.getByRole("button", { name: "Delete user alice" }).count()).toBe(0);
    await screenshotPage(page, "admin");
    expect(alice.errors).toEqual([]);
  });
});

function liveIndicator(user: UserBrowser) {
  return user.page.getByRole("status").filter({ hasText: "Live connection:" });
}

/** What the hub sent to "Telegram": sendMessage calls with the hub's bot token in the path. */
function telegramMessages(): RecordedRequest[] {
  return telegram.requests.filter((request) => request.method === "POST" && /^\/bot\d+:[\w-]+\/sendMessage$/.test(request.path));
}

let aliceToken: string | undefined;

/** The first user's access token for the test's own API calls (15 minutes is longer than the whole run). */
async function aliceApiToken(): Promise<string> {
  aliceToken ??= await accessToken(hub.url, "alice", PASSWORD);
  return aliceToken;
}

/** A /proc/meminfo field in bytes (the file says kB and means KiB): the machine the agent runs on is this one. */
function meminfoBytes(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync("/proc/meminfo", "utf8"));
  if (!match) throw new Error(`/proc/meminfo has no ${field}`);
  return Number(match[1]) * 1024;
}

/** The interface names in /proc/net/dev. */
function netDevInterfaces(): string[] {
  return readFileSync("/proc/net/dev", "utf8")
    .split("\n")
    .slice(2)
    .map((line) => line.split(":")[0]!.trim())
    .filter(Boolean);
}

/** `23.5 GiB` is `bytes` within the rounding of its last shown digit. */
function expectBinaryBytes(shown: string, bytes: number): void {
  const match = /^(\d+(?:\.(\d+))?) (B|[KMGTPE]iB)$/.exec(shown);
  expect(match, shown).not.toBeNull();
  const [, number, fraction = "", unit] = match!;
  const power = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"].indexOf(unit!);
  expect(Math.abs(Number(number) - bytes / 1024 ** power), `${shown} for ${bytes} bytes`).toBeLessThanOrEqual(0.5 * 10 ** -fraction.length + 1e-9);
}

/** The badge's words for a hub answer, stated independently of the dashboard's code: `raw · 1 s`, `1m rollup`, `1m rollup · 15 min`. */
function expectedTierLabel(tier: string, interval: string): string {
  const match = /^(\d+)(s|m|h|d)$/.exec(interval);
  const width = match ? `${match[1]} ${{ s: "s", m: "min", h: "h", d: "d" }[match[2] as "s" | "m" | "h" | "d"]}` : interval;
  if (tier === "raw") return `raw · ${width}`;
  return interval === tier ? `${tier} rollup` : `${tier} rollup · ${width}`;
}

function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Presses Tab until `target` has the focus; fails after 20 presses (the page's whole tab order is shorter). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < 20; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`20 presses of Tab never reached ${String(target)}`);
}

/** The focused element's outline as drawn (`2px solid …`), or null when it has none: a focus the eye cannot find. */
function outlineOf(locator: Locator): Promise<string | null> {
  return locator.evaluate((element) => {
    const style = element.ownerDocument.defaultView!.getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : null;
  });
}
