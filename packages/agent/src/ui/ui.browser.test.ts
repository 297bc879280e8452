/**
 * The settings page in headless Chromium against a real hub: status, settings with the token's
 * Show toggle, validation naming the field, Test connection, Save, Start and samples being sent;
 * keyboard use of the tabs; screenshots of both tabs, light and dark (to packages/agent/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAgent, signUp, startTestHub, waitFor, type TestHub } from "../../../server/src/test-support/test-hub.js";
import { startSettingsServer, type SettingsServer } from "./server.js";

/** Debian's chromium package; CI installs it (.ci/run). CHROMIUM_PATH points elsewhere (e.g. on macOS). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The committed screenshots are refreshed only on request (`UPDATE_SCREENSHOTS=1`); other runs write them to a temp dir. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL("../../screenshots/", import.meta.url))
  : mkdtempSync(path.join(tmpdir(), "statusmonitor-ui-shots-"));

let hub: TestHub;
let token: string;
let browser: Browser;
let dir: string;
let ui: SettingsServer | undefined;
let context: BrowserContext | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Never skipped: a missing browser is a failure with the way to fix it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH. .ci/run installs it in CI.`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM });
  hub = await startTestHub();
  token = (await createAgent(await signUp(hub.url, "browser-owner"), "browser-agent")).token;
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await hub?.close();
});
afterEach(async () => {
  // The page polls every second: close it before its server, or it reports the refused connections.
  await context?.close();
  context = undefined;
  await ui?.close();
  ui = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openUi(colorScheme: "light" | "dark" = "light"): Promise<Page> {
  dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-ui-browser-"));
  ui = await startSettingsServer({ configPath: path.join(dir, "agent.json"), flags: { BUFFER_DIR: path.join(dir, "buffer") }, env: {}, port: 0, log: () => undefined });
  context = await browser.newContext({ viewport: { width: 880, height: 1000 }, colorScheme });
  const page = await context.newPage();
  // Any script error or CSP violation (a console error) fails the test at its end; the 400s the test provokes on purpose do not.
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/^Failed to load resource: the server responded with a status of 400/.test(msg.text())) pageErrors.push(msg.text());
  });
  await page.goto(ui.url);
  return page;
}

const statusTab = (page: Page) => page.getByRole("tab", { name: "Status" });
const settingsTab = (page: Page) => page.getByRole("tab", { name: "Settings" });
const badge = (page: Page) => page.locator("#badge");

async function samplesSent(page: Page): Promise<number> {
  return Number((await page.locator("#sent").textContent())!.replace(/\D/g, ""));
}

describe("the settings page in Chromium", () => {
  it("configures, tests, saves and starts the agent, which then sends samples", async () => {
    pageErrors.length = 0;
    const page = await openUi();

    // Status first: stopped, nothing to show yet, Start enabled and Stop not.
    await expect.poll(() => badge(page).textContent()).toBe("Stopped");
    expect(await statusTab(page).getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("button", { name: "Start agent" }).isEnabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Stop agent" }).isEnabled()).toBe(false);
    expect(await page.getByText("Start the agent to see this machine's current metrics.").isVisible()).toBe(true);

    // Start without settings: the original's message, and the page goes to Settings.
    await page.getByRole("button", { name: "Start agent" }).click();
    await expect.poll(() => settingsTab(page).getAttribute("aria-selected")).toBe("true");
    expect(await page.locator("#panel-status").isHidden()).toBe(true);

    // Settings: every input has its label.
    const hubUrl = page.getByLabel("Hub URL");
    const tokenInput = page.getByLabel("Agent token");
    const interval = page.getByLabel("Collection interval");
    const show = page.getByLabel("Show");
    expect(await tokenInput.getAttribute("type")).toBe("password");
    await hubUrl.fill(hub.url);
    await tokenInput.fill(token);
    await show.check();
    expect(await tokenInput.getAttribute("type")).toBe("text");
    expect(await tokenInput.inputValue()).toBe(token);
    await show.uncheck();
    expect(await tokenInput.getAttribute("type")).toBe("password");

    // A bad interval is named at its field, and nothing is saved.
    await interval.fill("99");
    await page.getByRole("button", { name: "Save settings" }).click();
    const intervalError = page.locator("#interval-error");
    await expect.poll(() => intervalError.textContent()).toMatch(/^Interval: must be a whole number of seconds from 1 to 60/);
    expect(await interval.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#settings-message").textContent()).toBe("Not savedCheck the highlighted field: Collection interval.");
    expect(existsSync(path.join(dir, "agent.json"))).toBe(false);

    await interval.fill("1");
    // Test connection with the fields as they are: a wrong token first, then the right one.
    const testResult = page.locator("#test-result");
    await tokenInput.fill("sm_wrong_token_0000000000");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => testResult.textContent(), { timeout: 15_000 }).toContain("Invalid agent token. Please check your token.");
    await tokenInput.fill(token);
    expect(await testResult.isHidden()).toBe(true);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => testResult.textContent(), { timeout: 15_000 }).toContain("Connection successful");

    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => page.locator("#settings-message").textContent()).toContain("Your settings have been saved successfully.");
    expect(await interval.getAttribute("aria-invalid")).toBeNull();
    expect(await intervalError.isHidden()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, "settings-light.png"), fullPage: true });

    // After a reload the page only has the masked token, until Show asks for the real one.
    await page.goto(`${ui!.url}#settings`);
    await expect.poll(() => tokenInput.inputValue()).toMatch(/^.{4}….{4}$/);
    expect(await tokenInput.inputValue()).not.toBe(token);
    await show.check();
    await expect.poll(() => tokenInput.inputValue()).toBe(token);

    // Start from the Status tab and watch samples go out.
    await statusTab(page).click();
    await page.getByRole("button", { name: "Start agent" }).click();
    await expect.poll(() => badge(page).textContent()).toBe("Running");
    const first = await waitFor(() => samplesSent(page), "a first sample sent", 15_000);
    await waitFor(async () => (await samplesSent(page)) > first, "samples sent to increase", 15_000);
    await expect.poll(() => page.locator("#cpu").textContent(), { timeout: 15_000 }).toMatch(/^\d+\.\d %$/);
    expect(await page.locator("#mem").textContent()).toMatch(/^\d+\.\d %$/);
    // Each bar is as long as the figure beside it says (read in one go, between two polls). Code run in the
    // page is a string: the tests compile without the DOM's types.
    const bars = await page.evaluate<{ shown: number; drawn: number }[]>(`
      [...document.querySelectorAll("#metrics .metric")].map((row) => {
        const track = row.querySelector(".bar");
        return { shown: parseFloat(row.querySelector(".value").textContent), drawn: (100 * track.firstElementChild.getBoundingClientRect().width) / track.getBoundingClientRect().width };
      })`);
    expect(bars.length).toBeGreaterThanOrEqual(3);
    for (const bar of bars) expect(Math.abs(bar.drawn - bar.shown), JSON.stringify(bar)).toBeLessThan(1);
    expect(await page.locator("#disks .metric").count()).toBeGreaterThan(0);
    expect(await page.locator("#net-sent").textContent()).toMatch(/B$/);
    expect(await page.locator("#status-message").isHidden()).toBe(true);
    expect(await page.getByRole("button", { name: "Start agent" }).isEnabled()).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, "status-light.png"), fullPage: true });

    await page.getByRole("button", { name: "Stop agent" }).click();
    await expect.poll(() => badge(page).textContent()).toBe("Stopped");
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("works from the keyboard and looks right in dark mode", async () => {
    pageErrors.length = 0;
    const page = await openUi("dark");
    await expect.poll(() => badge(page).textContent()).toBe("Stopped");
    await statusTab(page).focus();
    await page.keyboard.press("ArrowRight");
    expect(await settingsTab(page).getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("tab-settings");
    // The focused control is visibly outlined.
    expect(await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).toBe("solid");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("hub-url");

    await page.getByLabel("Hub URL").fill(hub.url);
    await page.getByLabel("Agent token").fill(token);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => page.locator("#settings-message").textContent()).toContain("saved");
    await page.screenshot({ path: path.join(SCREENSHOTS, "settings-dark.png"), fullPage: true });

    await page.keyboard.press("Shift+Tab");
    await settingsTab(page).focus();
    await page.keyboard.press("ArrowLeft");
    expect(await statusTab(page).getAttribute("aria-selected")).toBe("true");
    await page.getByRole("button", { name: "Start agent" }).click();
    await waitFor(async () => (await samplesSent(page)) >= 2, "two samples sent", 15_000);
    await expect.poll(() => page.locator("#cpu").textContent(), { timeout: 15_000 }).toMatch(/%$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "status-dark.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
