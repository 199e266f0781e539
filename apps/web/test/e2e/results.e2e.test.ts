import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, waitForBalance } from "./browser.ts";

// Results that last (#17): a removal has its own URL, which survives reload; another tier needs no upload.
const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");
const RESULT_URL = /\/results\/[^/]+$/;

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function seeResult(page: Page) {
  await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
  const result = page.getByRole("img", { name: "Result with the background removed" });
  await expect.poll(() => result.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(284);
}

describe("web app: a result's own page", () => {
  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`removes, lands on /results/<jobId>, and a reload still shows the result (${name})`, async () => {
      const { context, page, errors } = await openPage(browser, viewport, await server.userWithCredits(`reloader-${name}`, 20));
      await page.goto(server.url);
      await waitForBalance(page, 20);
      await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
      await page.locator("label.tier", { hasText: "Basic" }).click();
      await page.getByRole("button", { name: /^Remove background/ }).click();
      await seeResult(page);
      expect(page.url()).toMatch(RESULT_URL);
      const resultUrl = page.url();

      await page.reload();
      await seeResult(page);
      expect(page.url()).toBe(resultUrl);
      await page.getByText("gc-teddy.jpg · Basic · 3 credits used").waitFor();
      await screenshot(page, `20-result-reloaded-${name}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

      // Back from the result is the form again, and Forward the result, not a blank page.
      await page.goBack();
      await page.getByRole("heading", { name: "Remove a background" }).waitFor();
      await page.goForward();
      await seeResult(page);

      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("tries another tier without an upload, charged as a new removal, and history opens each result", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await server.userWithCredits("retier", 20));
    await page.goto(server.url);
    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await page.locator("label.tier", { hasText: "Basic" }).click();
    await page.getByRole("button", { name: /^Remove background/ }).click();
    await seeResult(page);
    const basicUrl = page.url();
    await waitForBalance(page, 17);

    const another = page.getByRole("region", { name: "Try another tier" });
    await another.locator("label.tier", { hasText: "Standard" }).click();
    const uploads: string[] = [];
    page.on("request", (request) => request.method() === "POST" && request.url().endsWith("/remove") && uploads.push(request.url()));
    await another.getByRole("button", { name: "Remove again at Standard · 8 credits" }).click();
    await page.getByText("gc-teddy.jpg · Standard · 8 credits used").waitFor({ timeout: 300_000 });
    await seeResult(page);
    expect(page.url()).toMatch(RESULT_URL);
    expect(page.url()).not.toBe(basicUrl);
    expect(uploads).toEqual([]);
    await waitForBalance(page, 9);
    await screenshot(page, "21-result-another-tier-desktop");

    await page.getByRole("link", { name: "History" }).click();
    const rows = page.getByTestId("jobs-table").getByRole("row").filter({ hasText: "gc-teddy.jpg" });
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasText: "Basic" }).getByRole("link", { name: "Open result" }).click();
    await seeResult(page);
    expect(page.url()).toBe(basicUrl);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a processing job's place in the queue and turns into the result when it finishes, without a reload", async () => {
    const token = await server.userWithCredits("poller", 10);
    const response = await fetch(`${server.api}/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: imageForm(await readFile(PHOTO), { tier: "basic" }),
    });
    const done = ((await response.json()) as any).data;
    // The same job as it looked mid-run (a reload during processing, or a row opened from History).
    const { sql } = server.database;
    await sql`update background_removal_jobs set status = 'processing' where id = ${done.jobId}`;

    const { context, page, errors } = await openPage(browser, PHONE, token);
    // The form, reloaded while the removal runs, leads back to it.
    await page.goto(server.url);
    await page.getByRole("link", { name: "Open its result page" }).click();
    expect(page.url()).toBe(`${server.url}/results/${done.jobId}`);
    await page.getByRole("heading", { name: "Removing the background" }).waitFor();
    await page.getByText(/next in line · at most about \d+ (second|minute)/).waitFor();
    await screenshot(page, "23-result-processing-phone");

    await sql`update background_removal_jobs set status = 'completed' where id = ${done.jobId}`;
    await seeResult(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so for a job that is not the user's", async () => {
    const { context, page } = await openPage(browser, PHONE, await server.userWithCredits("stranger", 0));
    await page.goto(`${server.url}/results/job_not_mine`);
    await page.getByRole("heading", { name: "Result not found" }).waitFor();
    await page.getByRole("alert").waitFor();
    await screenshot(page, "22-result-not-found-phone");
    await context.close();
  });
});
