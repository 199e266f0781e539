import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium (installed by .ci/run); browsers are never downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve(import.meta.dirname, "../screenshots");

export const DESKTOP = { viewport: { width: 1280, height: 860 } };
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page whose uncaught errors fail the test that reads `errors`; optionally already signed in. The
 * browser asks for English (en-US) unless `locale` says otherwise.
 */
export async function openPage(
  browser: Browser,
  options: (typeof DESKTOP | typeof PHONE) & { locale?: string },
  token?: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const { locale = "en-US", ...device } = options;
  const context = await browser.newContext({ ...device, acceptDownloads: true, locale, timezoneId: "UTC" });
  if (token) await context.addInitScript((value) => localStorage.setItem("bgr.session.token", value), token);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let transitions and lazy images settle so the picture shows what a person would see.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.evaluate(() => window.scrollTo(0, 0)); // a sticky header is drawn where the page was scrolled to
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

/** The balance in the header, e.g. "97 credits", once it equals `expected`. */
export async function waitForBalance(page: Page, credits: number, timeout = 60_000): Promise<void> {
  const text = `${credits.toLocaleString("en-US")} ${credits === 1 ? "credit" : "credits"}`;
  await page.getByTestId("balance").getByText(text, { exact: true }).waitFor({ timeout });
}

/** A token for the demo account, through the server's dev sign-in (as the page's button does). */
export async function devToken(server: { api: string }): Promise<string> {
  const response = await fetch(`${server.api}/dev/sign-in`, { method: "POST" });
  if (response.status !== 200) throw new Error(`dev sign-in answered ${response.status}`);
  return ((await response.json()) as { data: { token: string } }).data.token;
}

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the app's CSP (script-src 'self') rightly refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe.run();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations;
}
