import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, decodeRgba, startTestServer, type TestServer } from "@bgr/server/testing";
import { unzip } from "@bgr/testing";
import { DESKTOP, devToken, launchBrowser, openPage, PHONE, screenshot, waitForBalance } from "./browser.ts";

const BATCH_PHOTOS = ["gc-teddy.jpg", "gc-153093.jpg", "gc-189080.jpg"].map((name) => path.join(DEV_DATA, name));

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // RUN_WORKER: this process also works the batch queue, as the embedded default does.
  server = await startTestServer({ BGR_MODE: "development", RUN_WORKER: "true", BATCH_RATE_LIMIT_PER_HOUR: "100" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("web app: batch", () => {
  it("checks 500+ dropped files before upload, prices them with the volume discount, and keeps the list windowed", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await devToken(server));
    await page.goto(`${server.url}/batch`);
    await page.getByRole("heading", { name: "Batch removal" }).waitFor();
    await waitForBalance(page, 100);

    const photo = await readFile(BATCH_PHOTOS[0]!);
    const files = Array.from({ length: 501 }, (_, i) => ({
      name: `photo-${String(i + 1).padStart(3, "0")}.jpg`,
      mimeType: "image/jpeg",
      buffer: photo,
    }));
    files.push({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") });
    await page.locator('input[type="file"]').first().setInputFiles(files);

    await page.getByRole("status").filter({ hasText: "500 ready, 2 rejected" }).waitFor();
    const rendered = await page.getByRole("listitem").count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(30); // windowed: 502 files, a screenful of rows

    const quote = page.getByTestId("batch-quote");
    await quote.getByText("Volume discount 20 %").waitFor();
    expect(await quote.textContent()).toContain("3,200 credits"); // 500 × 8 = 4,000 − 20 %
    // Start is refused before any upload, and says why.
    const start = page.getByRole("button", { name: "Start batch of 500 images" });
    await page.getByText("Not enough credits: this batch needs 3200, you have 100. Buy credits or remove some images.").waitFor();
    expect(await start.isDisabled()).toBe(true);
    expect(await start.getAttribute("aria-describedby")).toBe("batch-start-blocker");
    await screenshot(page, "12-batch-500-files-desktop");

    // The rejected files, with their reasons, are at the end of the list.
    await page.getByRole("list", { name: "Files in this batch" }).evaluate((list) => (list.scrollTop = list.scrollHeight));
    await page.getByText("Over the limit of 500 images per batch", { exact: false }).waitFor();
    await page.getByText("Not a supported image", { exact: false }).waitFor();
    await screenshot(page, "13-batch-rejections-desktop");

    await page.getByRole("button", { name: "Remove rejected" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^500 ready/ })
      .waitFor();
    await page.getByRole("button", { name: "Clear all" }).click();
    await page.getByRole("button", { name: "Choose images" }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the server's reason on each file it refuses (400), and charges nothing", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await devToken(server));
    await page.goto(`${server.url}/batch`);
    await waitForBalance(page, 100);
    // Passes the browser's checks (name, type, size) but is not an image: only the server can tell.
    const broken = { name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.from("this is not a JPEG at all") };
    const good = { name: "gc-teddy.jpg", mimeType: "image/jpeg", buffer: await readFile(BATCH_PHOTOS[0]!) };
    await page.locator('input[type="file"]').first().setInputFiles([good, broken]);
    await page.getByRole("status").filter({ hasText: "2 ready" }).waitFor();
    await page.getByRole("button", { name: "Start batch of 2 images" }).click();

    await page.getByRole("alert").filter({ hasText: "nothing was charged" }).waitFor();
    const row = page.getByRole("listitem").filter({ hasText: "broken.jpg" });
    await row.locator(".file-reason").waitFor();
    await page.getByRole("status").filter({ hasText: "1 ready, 1 rejected" }).waitFor();
    await waitForBalance(page, 100);
    await screenshot(page, "14-batch-refused-file-desktop");

    expect(errors).toEqual([]);
    await context.close();
  });

  // Needs POST /batch, GET /batch/:id and the ZIP (apps/server/src/routes/batch.routes.ts).
  it("runs a 3-image batch to 100 %, shows the results and downloads a ZIP holding 3 PNGs", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await devToken(server));
    await page.goto(server.url);
    await page.getByRole("link", { name: "Batch" }).click();
    await page.locator('input[type="file"]').first().setInputFiles(BATCH_PHOTOS);
    await page.getByRole("status").filter({ hasText: "3 ready" }).waitFor();
    await page.locator("label.tier", { hasText: "Basic" }).click();
    await page.getByTestId("batch-quote").locator(".quote-total").getByText("9 credits", { exact: true }).waitFor(); // 3 × 3, no discount
    await screenshot(page, "15-batch-ready-desktop");

    await page.getByRole("button", { name: "Start batch of 3 images" }).click();
    await page.waitForURL(/\/batches\/[^/]+$/);
    // Named after its first file and the count (no name was typed).
    await page.getByRole("heading", { name: /^gc-teddy\.jpg and 2 more/ }).waitFor();
    await page.getByText(/^Batch of 3 images · Basic/).waitFor();
    await waitForBalance(page, 91);
    await screenshot(page, "16-batch-running-desktop"); // whatever stage it is at: for looking, not asserting

    const stats = page.getByTestId("batch-stats");
    await stats.getByText("100 %", { exact: true }).waitFor({ timeout: 540_000 });
    await page.getByRole("link", { name: /Download ZIP/ }).waitFor({ timeout: 120_000 });
    expect(await stats.textContent()).toMatch(/Processed3Failed0/);
    const gallery = page.getByRole("list", { name: "Results" });
    await expect.poll(() => gallery.getByRole("img").count()).toBe(3);
    await screenshot(page, "17-batch-done-desktop");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download ZIP/ }).click()]);
    const entries = Object.keys(await unzip(await readFile((await download.path())!)));
    expect(entries.filter((name) => name.toLowerCase().endsWith(".png"))).toHaveLength(3);

    await page.getByRole("link", { name: "History" }).click();
    await page.getByTestId("batches-table").getByText("Completed").waitFor();
    await page.getByTestId("batches-table").getByText("gc-teddy.jpg and 2 more").waitFor();
    await screenshot(page, "18-history-batches-desktop");

    // The same batch page on a phone.
    const phone = await openPage(browser, PHONE, await devToken(server));
    await phone.page.goto(`${server.url}/history`);
    await phone.page.getByTestId("batches-table").getByRole("link", { name: "View" }).first().click();
    await phone.page.getByTestId("batch-stats").getByText("100 %", { exact: true }).waitFor();
    await screenshot(phone.page, "19-batch-done-phone");
    expect(phone.errors).toEqual([]);
    await phone.context.close();

    expect(errors).toEqual([]);
    await context.close();
  });

  it("applies a colour background, a crop and JPG to every item, and the ZIP holds JPGs at the plain price (desktop)", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await server.userWithCredits("batch-options", 100));
    await page.goto(`${server.url}/batch`);
    await waitForBalance(page, 100);
    await page.locator('input[type="file"]').first().setInputFiles(BATCH_PHOTOS.slice(0, 2));
    await page.getByRole("status").filter({ hasText: "2 ready" }).waitFor();
    await page.locator("label.tier", { hasText: "Basic" }).click();
    const every = page.getByRole("group", { name: "Every result" });
    await choose(every, "Colour");
    await every.getByRole("radio", { name: "Sky" }).locator("xpath=..").click();
    await every.getByRole("checkbox", { name: "Crop to the subject" }).check();
    await choose(every, "JPG");
    // Options cost nothing: 2 × 3 credits, as without them.
    await page.getByTestId("batch-quote").locator(".quote-total").getByText("6 credits", { exact: true }).waitFor();
    await screenshot(page, "20-batch-options-desktop");

    await page.getByRole("button", { name: "Start batch of 2 images" }).click();
    await page.waitForURL(/\/batches\/[^/]+$/);
    await waitForBalance(page, 94);
    await page.getByTestId("batch-stats").getByText("100 %", { exact: true }).waitFor({ timeout: 540_000 });
    await page.getByRole("link", { name: /Download ZIP/ }).waitFor({ timeout: 120_000 });
    await screenshot(page, "21-batch-options-done-desktop");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download ZIP/ }).click()]);
    const entries = await unzip(await readFile((await download.path())!));
    expect(Object.keys(entries).sort()).toEqual(["removed-gc-153093.jpg", "removed-gc-teddy.jpg"]);
    const { width, height } = await decodeRgba(await readFile(BATCH_PHOTOS[0]!));
    for (const bytes of Object.values(entries)) {
      const result = await decodeRgba(bytes);
      // On the sky colour (#cfe8ff, give or take JPEG), opaque, and cropped.
      const [r, g, b, a] = result.data.subarray(0, 4);
      expect([Math.abs(r! - 0xcf) < 8, Math.abs(g! - 0xe8) < 8, Math.abs(b! - 0xff) < 8, a]).toEqual([true, true, true, 255]);
      if (result.width === width) expect(result.height).toBeLessThanOrEqual(height);
    }
    const teddy = await decodeRgba(entries["removed-gc-teddy.jpg"]!);
    expect(teddy.width * teddy.height).toBeLessThan(width * height);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("asks for the background image before an image-background batch can start (phone)", async () => {
    const { context, page, errors } = await openPage(browser, PHONE, await server.userWithCredits("batch-options-phone", 100));
    await page.goto(`${server.url}/batch`);
    await waitForBalance(page, 100);
    await page.locator('input[type="file"]').first().setInputFiles(BATCH_PHOTOS.slice(0, 2));
    await page.getByRole("status").filter({ hasText: "2 ready" }).waitFor();
    const every = page.getByRole("group", { name: "Every result" });
    await choose(every, "Image");
    const start = page.getByRole("button", { name: "Start batch of 2 images" });
    await page.getByText("Choose the background image for every result, or pick another background.").waitFor();
    expect(await start.isDisabled()).toBe(true);
    await every
      .getByTestId("background-file")
      .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
    await page
      .getByRole("alert")
      .getByText(/could not be read as an image/)
      .waitFor();
    expect(await start.isDisabled()).toBe(true);
    const png = await readFile(path.join(DEV_DATA, "gc-153093.jpg"));
    await every.getByTestId("background-file").setInputFiles({ name: "beach.jpg", mimeType: "image/jpeg", buffer: png });
    await every.getByText("Background: beach.jpg").waitFor();
    await start.and(page.locator(":enabled")).waitFor();
    await every.scrollIntoViewIfNeeded();
    await screenshot(page, "22-batch-options-image-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Picks a segmented option: its radio is hidden, so the label around it is what a person taps. */
function choose(scope: Locator, option: string) {
  return scope.getByRole("radio", { name: option, exact: true }).locator("xpath=..").click();
}
