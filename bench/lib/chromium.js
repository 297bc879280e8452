/** Debian's Chromium through playwright-core for the web benchmark, with the flags DESIGN.md gives for tests, and results a page reports on its console. */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: sudo apt-get install -y chromium, or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return { browser, version: browser.version() };
}

/**
 * Resolves with the JSON a page logs as `bench:<name> {…}` (the bench page reports this way: the
 * dashboard's CSP forbids the string evaluation a polling wait would need); rejects when the page
 * reports `bench:error {message}` or throws, or after `timeoutMs`.
 */
export function consoleResult(page, name, timeoutMs) {
  return new Promise((resolve, reject) => {
    const prefix = `bench:${name} `;
    const done = () => {
      clearTimeout(timer);
      page.off("console", onMessage);
      page.off("pageerror", onError);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the page to report ${name}`));
    }, timeoutMs);
    function onMessage(message) {
      const text = message.text();
      if (text.startsWith("bench:error ")) {
        done();
        reject(new Error(`the bench page failed: ${JSON.parse(text.slice("bench:error ".length)).message}`));
      } else if (text.startsWith(prefix)) {
        done();
        resolve(JSON.parse(text.slice(prefix.length)));
      }
    }
    function onError(error) {
      done();
      reject(new Error(`the bench page threw: ${error.message}`));
    }
    page.on("console", onMessage);
    page.on("pageerror", onError);
  });
}
