import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, devToken, launchBrowser, openPage, PHONE, screenshot, waitForBalance } from "./browser.ts";

const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let server: TestServer;
let browser: Browser;
/** A shop's image host on this machine (trusted through IMAGE_URL_PRIVATE_HOSTS, as an intranet one would be). */
let imageHost: http.Server;
let imageHostUrl: string;

beforeAll(async () => {
  const photo = await readFile(PHOTO);
  imageHost = http.createServer((req, res) => {
    if (req.url === "/products/teddy.jpg") return res.writeHead(200, { "content-type": "image/jpeg" }).end(photo);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageHost.listen(0, "127.0.0.1", resolve));
  imageHostUrl = `http://localhost:${(imageHost.address() as AddressInfo).port}`;
  server = await startTestServer({ BGR_MODE: "development", IMAGE_URL_PRIVATE_HOSTS: "localhost" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => imageHost?.close(resolve));
});

describe("web app: single removal", () => {
  it("signs in as demo, removes a background, shows the result, and the balance drops by the tier's price", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP);
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "01-sign-in-desktop");

    await page.getByRole("button", { name: /Sign in as demo/ }).click();
    await waitForBalance(page, 100);
    await page.getByRole("heading", { name: "Remove a background" }).waitFor();
    await page.locator(".tier-price", { hasText: "3 credits" }).waitFor(); // prices come from the server
    await screenshot(page, "02-single-start-desktop");

    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await page.locator("label.tier", { hasText: "Basic" }).click();
    await page.getByRole("button", { name: "Remove background · 3 credits" }).waitFor();
    await screenshot(page, "03-single-picked-desktop");

    await page.getByRole("button", { name: /^Remove background/ }).click();
    await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
    await waitForBalance(page, 97);
    const result = page.getByRole("img", { name: "Result with the background removed" });
    await expect.poll(() => result.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(284);
    await screenshot(page, "04-single-result-desktop");

    // Keyboard: the comparison slider moves with the arrow keys.
    const slider = page.getByRole("slider", { name: /Compare/ });
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    expect(await slider.inputValue()).toBe("49");

    await page.locator(".segmented label", { hasText: /^Colour$/ }).click();
    await page.locator("label.swatch", { hasText: "Sky" }).click();
    await screenshot(page, "05-single-result-colour-desktop");

    const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download PNG" }).click()]);
    expect(png.suggestedFilename()).toBe("gc-teddy-no-bg.png");
    expect((await readFile((await png.path())!)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    await page.locator(".segmented label", { hasText: /^WebP$/ }).click();
    const [webp] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download WebP" }).click()]);
    expect(webp.suggestedFilename()).toBe("gc-teddy-no-bg.webp");
    const webpBytes = await readFile((await webp.path())!);
    expect(webpBytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(webpBytes.subarray(8, 12).toString("latin1")).toBe("WEBP");

    await page.getByRole("link", { name: "History" }).click();
    const row = page.getByTestId("jobs-table").getByRole("row").filter({ hasText: "gc-teddy.jpg" });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain("Completed");
    expect(text).toContain("Basic");
    expect(text).toContain("3 credits");
    await screenshot(page, "06-history-desktop");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes a pasted image, and refuses at once a file the browser cannot read as an image", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await devToken(server));
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Remove a background" }).waitFor();
    await page.getByText("Drop an image here, or paste one").waitFor();

    // A screenshot on the clipboard, pasted with Ctrl+V: the browser names it image.png.
    const png = (await readFile(PHOTO)).toString("base64");
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], "image.png", { type: "image/jpeg" }));
      document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, png);
    await page.getByText(/^pasted-\d+\.jpeg$/).waitFor();
    await page
      .getByRole("button", { name: /^Remove background/ })
      .and(page.locator(":enabled"))
      .waitFor();

    // Named and typed like a JPEG, but not one: refused before any upload, with the reason.
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: "holiday.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not really a photo") });
    await page.getByRole("alert").filter({ hasText: "could not be read as an image" }).waitFor();
    expect(await page.getByRole("button", { name: /^Remove background/ }).isDisabled()).toBe(true);
    await screenshot(page, "07b-unreadable-file-desktop");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("removes the background of an image given by its address, fetched by the server", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP, await server.userWithCredits("by-address", 20));
    await page.goto(server.url);
    await waitForBalance(page, 20);
    await page.getByLabel("Or use an image address").fill("teddy.jpg");
    await page.getByRole("button", { name: "Use this address" }).click();
    await page.getByRole("alert").filter({ hasText: "starts with http:// or https://" }).waitFor();

    await page.getByLabel("Or use an image address").fill(`${imageHostUrl}/products/teddy.jpg`);
    await page.getByRole("button", { name: "Use this address" }).click();
    await page.getByText("Image from an address").waitFor();
    await page.locator("label.tier", { hasText: "Basic" }).click();
    await screenshot(page, "07c-image-address-desktop");
    await page.getByRole("button", { name: "Remove background · 3 credits" }).click();
    await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
    await page.getByText("teddy.jpg · Basic · 3 credits used").waitFor();
    await waitForBalance(page, 17);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells a user without credits what is missing, in words (402)", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP);
    await page.goto(server.url);
    // Paste a token: the path for people whose platform gave them one (folded under the email sign-in).
    await page.getByText("Use a platform token or API key").click();
    await page.getByLabel("Access token or API key").fill(await server.token("no-credits"));
    await page.getByRole("button", { name: "Sign in with token" }).click();
    await waitForBalance(page, 0);

    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await page.locator("label.tier", { hasText: "Professional" }).click();
    await page.getByRole("button", { name: /^Remove background/ }).click();
    const alert = page.getByRole("alert").filter({ hasText: /not enough credits/i });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not enough credits: this needs 15, you have 0/i);
    // The way out is on the screen: Buy credits brings the packs into view.
    await alert.getByRole("button", { name: "Buy credits" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("buy-credits");
    await screenshot(page, "07-not-enough-credits-desktop");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a subscriber's plan and quotas, and a covered removal leaves the credits alone", async () => {
    const { subscriptions, users } = server.runtime.deps.services;
    await users.grant("subscriber", 20);
    const { payment } = await subscriptions.subscribe("subscriber", "pro");
    await subscriptions.settle(payment!.paymentId, { status: "paid" });

    const { context, page, errors } = await openPage(browser, DESKTOP, await server.token("subscriber"));
    await page.goto(server.url);
    await waitForBalance(page, 20);
    const card = page.getByRole("region", { name: "Subscription" });
    await card.getByText("Pro plan").waitFor();
    expect(await card.textContent()).toMatch(/200 of 200 left/);
    await page
      .locator("label.tier", { hasText: "Standard" })
      .getByText(/Covered by your Pro plan/)
      .waitFor();
    await page.locator("label.tier", { hasText: "Industry" }).getByText("Not in your Pro plan: paid with credits").waitFor();

    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await page.locator("label.tier", { hasText: "Standard" }).click();
    await page.getByRole("button", { name: "Remove background (plan)" }).click();
    await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
    await page.getByText("covered by your plan", { exact: false }).first().waitFor();
    await card.getByText(/199 of 200 left/).waitFor();
    await waitForBalance(page, 20);
    await screenshot(page, "08-subscriber-result-desktop");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone screen and can be used from the keyboard", async () => {
    const signedOut = await openPage(browser, PHONE);
    await signedOut.page.goto(server.url);
    await signedOut.page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(signedOut.page, "09-sign-in-phone");
    await signedOut.context.close();

    const { context, page, errors } = await openPage(browser, PHONE, await devToken(server));
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Remove a background" }).waitFor();
    // On a fresh page the first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    // Touch wording, and the task before the account cards: picker, tier and Remove on the first screen.
    await page.getByRole("button", { name: "Choose a photo" }).waitFor();
    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await page.locator("label.tier", { hasText: "Basic" }).click();
    await screenshot(page, "10-single-picked-phone");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const remove = await page.getByRole("button", { name: /^Remove background/ }).boundingBox();
    expect(remove!.y + remove!.height).toBeLessThanOrEqual(844);
    await page.getByRole("button", { name: /^Remove background/ }).click();
    await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
    await screenshot(page, "11-single-result-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // Enter on a focused nav link changes the screen.
    await page.getByRole("link", { name: "History" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "History" }).waitFor();
    await page.getByTestId("jobs-table").waitFor();
    await screenshot(page, "12-history-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // Reloading a deep link is served by the SPA fallback.
    await page.reload();
    await page.getByRole("heading", { name: "History" }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });
});
