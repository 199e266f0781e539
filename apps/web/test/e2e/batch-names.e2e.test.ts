import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot } from "./browser.ts";

// Readable batch names (#17): the name typed at the start, or the first file and how many more.
const PHOTOS = ["gc-teddy.jpg", "gc-153093.jpg"].map((name) => path.join(DEV_DATA, name));

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

describe("web app: batch names", () => {
  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`names a batch as typed, or after its first file, in the batch page and History (${name})`, async () => {
      const { context, page, errors } = await openPage(browser, device, await server.userWithCredits(`namer-${name}`, 50));
      await page.goto(`${server.url}/batch`);
      await page.locator('input[type="file"]').first().setInputFiles(PHOTOS);
      await page.getByRole("status").filter({ hasText: "2 ready" }).waitFor();
      const field = page.getByRole("textbox", { name: "Batch name (optional)" });
      expect(await field.getAttribute("placeholder")).toBe("gc-teddy.jpg and 1 more");
      await field.fill("  Summer   shoes ");
      await page.locator("label.tier", { hasText: "Basic" }).click();
      await screenshot(page, `36-batch-name-${name}`);
      await page.getByRole("button", { name: "Start batch of 2 images" }).click();
      await page.waitForURL(/\/batches\/[^/]+$/);
      await page.getByRole("heading", { name: /^Summer shoes/ }).waitFor();

      // A second batch, left unnamed.
      await page.goto(`${server.url}/batch`);
      await page.locator('input[type="file"]').first().setInputFiles(PHOTOS);
      await page.locator("label.tier", { hasText: "Basic" }).click();
      await page.getByRole("button", { name: "Start batch of 2 images" }).click();
      await page.getByRole("heading", { name: /^gc-teddy\.jpg and 1 more/ }).waitFor();

      await page.goto(`${server.url}/history`);
      const table = page.getByTestId("batches-table");
      await table.getByText("Summer shoes", { exact: true }).waitFor();
      await table.getByText("gc-teddy.jpg and 1 more", { exact: true }).waitFor();
      await screenshot(page, `37-history-batch-names-${name}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("refuses a name over 80 characters, saying how long it may be", async () => {
    const token = await server.userWithCredits("long-namer", 50);
    const form = new FormData();
    form.set("tier", "basic");
    form.set("name", "x".repeat(81));
    for (const file of PHOTOS) form.append("images", new Blob([new Uint8Array(await readFile(file))]), path.basename(file));
    const response = await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toBe("The batch name is 81 characters long; shorten it to 80 or fewer.");
  });
});
