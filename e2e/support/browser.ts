/** Debian's Chromium driven by playwright-core for the e2e test: launch, pages that record script errors, and screenshots in light, dark and phone width. */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium package; .ci/run installs it. CHROMIUM_PATH points elsewhere (e.g. on macOS). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The flags DESIGN.md lists for tests: no sandbox (root in CI), no GPU, and nothing that phones home. */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const SCREENSHOT_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  // Never skipped: a missing browser is a failure that says how to fix it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH. .ci/run installs it in CI.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A browser profile of its own (cookies, storage): one per user of the scenario. */
export interface UserBrowser {
  context: BrowserContext;
  page: Page;
  /**
   * Script errors, console errors and HTTP answers ≥ 400, as `"<status> <METHOD> <path>"` or
   * `"console: …"`, which fail the test; except those matching `allowed`, which a step extends while it
   * provokes some on purpose (a hub restart, an expired token, another user's agent).
   */
  errors: string[];
  allowed: RegExp[];
}

/**
 * Signed out, the page's first refresh is refused: that 401 is how the dashboard learns it must show
 * sign-in. And a request the page itself cancels (leaving a page, an aborted query) is no failure.
 */
const ALWAYS_ALLOWED = [/^401 POST \/api\/v1\/auth\/refresh$/, /^failed [A-Z]+ \S+: net::ERR_ABORTED$/];

export async function openUser(browser: Browser, baseURL: string): Promise<UserBrowser> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, colorScheme: "light", timezoneId: "Europe/Berlin", locale: "en-GB" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const user: UserBrowser = { context, page, errors: [], allowed: [...ALWAYS_ALLOWED] };
  const record = (line: string) => {
    if (!user.allowed.some((pattern) => pattern.test(line))) user.errors.push(line);
  };
  page.on("pageerror", (error) => record(`page error: ${error.message}`));
  page.on("console", (message) => {
    // The browser logs every refused request here too; those are judged by their answers below.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) record(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) record(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on("requestfailed", (request) => record(`failed ${request.method()} ${new URL(request.url()).pathname}: ${request.failure()?.errorText}`));
  return user;
}

/** Resolves after the browser has painted twice, so a screenshot shows what a re-theme or resize rendered. */
export async function afterPaint(page: Page): Promise<void> {
  // A function, not a string: the dashboard's CSP (script-src 'self') refuses string evaluation inside the page.
  await page.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
    return new Promise<void>((resolve) => raf(() => raf(resolve)));
  });
}

/**
 * Saves `<name>-light.png`, `<name>-dark.png` and `<name>-phone.png` (390 px wide, light) of the page as
 * it is now, following the system theme (the dashboard's default), and leaves it light at desktop width.
 * The whole page, from its top (a sticky header would otherwise sit mid-picture); with a dialog open,
 * only the viewport, where the dialog and its backdrop are.
 */
export async function screenshotPage(page: Page, name: string, options: { dialog?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shot = async (variant: string) => {
    if (!options.dialog) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await afterPaint(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${variant}.png`, fullPage: !options.dialog, animations: "disabled", caret: "hide" });
  };
  await page.emulateMedia({ colorScheme: "light" });
  await page.locator("html:not(.dark)").waitFor({ state: "attached" });
  await shot("light");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.locator("html.dark").waitFor({ state: "attached" });
  await shot("dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.locator("html:not(.dark)").waitFor({ state: "attached" });
  await page.setViewportSize(PHONE);
  await shot("phone");
  await page.setViewportSize(DESKTOP);
  await afterPaint(page);
}
