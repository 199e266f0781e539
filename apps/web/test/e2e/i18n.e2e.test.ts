import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "../../../server/test/harness.ts";
import { id } from "../../src/i18n/id.ts";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot } from "./browser.ts";

const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");
const INDONESIAN_PHONE = { ...PHONE, locale: "id-ID" };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ BGR_MODE: "development" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Nothing wider than the phone: no sideways scrolling, no word running out of its box. */
async function expectFits(page: Page): Promise<void> {
  // Against the phone's width, not innerWidth: a mobile browser widens its layout viewport to fit what overflows.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
  const overflowing = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button, a.button, label.tier, .tier-name, .tier-price, h1, .credits, select")]
      .filter((element) => element.offsetParent !== null && element.scrollWidth > element.clientWidth + 1)
      .map((element) => element.textContent?.trim()),
  );
  expect(overflowing).toEqual([]);
}

/** The header keeps one row for the brand, balance, Settings, the language switch and Sign out (the nav below). */
async function expectOneHeaderRow(page: Page): Promise<void> {
  const middles = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        ".topbar .brand-mark, .topbar .credits, .topbar-account a, .topbar-account select, .topbar-account button",
      ),
    ].map((element) => {
      const box = element.getBoundingClientRect();
      return Math.round(box.top + box.height / 2);
    }),
  );
  expect(middles).toHaveLength(5);
  expect(Math.max(...middles) - Math.min(...middles)).toBeLessThanOrEqual(4);
}

describe("web app in Indonesian", () => {
  it("a browser that asks for id-ID gets the sign-in card in Indonesian, with the switch on it", async () => {
    const { context, page, errors } = await openPage(browser, INDONESIAN_PHONE);
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Masuk" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("id");
    await page.getByText("Pisahkan objek dari latar foto, satu per satu atau lima ratus sekaligus.").waitFor();
    await page.getByLabel("Kata sandi").waitFor();
    await page.getByRole("button", { name: "Lupa kata sandi?" }).waitFor();
    await page.getByRole("button", { name: "Masuk sebagai demo (100 kredit gratis)" }).waitFor();
    expect(await page.getByRole("combobox", { name: "Bahasa" }).inputValue()).toBe("id");
    await screenshot(page, "28-sign-in-id-phone");
    await expectFits(page);

    // The card's own switch: English at once, and it is remembered over a reload.
    await page.getByRole("combobox", { name: "Bahasa" }).selectOption("en");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("combobox", { name: "Language" }).inputValue()).toBe("en");

    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the single screen in Indonesian at phone width, and the header switch changes language without a reload", async () => {
    const token = await server.userWithCredits("pelanggan", 1500);
    const { context, page, errors } = await openPage(browser, INDONESIAN_PHONE, token);
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Hapus latar belakang", level: 1 }).waitFor();
    // Numbers in id-ID: a dot groups thousands.
    await page.getByTestId("balance").getByText("1.500 kredit", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Pilih foto" }).waitFor();
    const tiers = page.locator("label.tier");
    await tiers.filter({ hasText: "Dasar" }).locator(".tier-price", { hasText: "3 kredit" }).waitFor(); // prices come from the server
    expect(await tiers.locator(".tier-name").allTextContents()).toEqual(["Dasar", "Standar", "Profesional", "Industri"]);

    await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
    await tiers.filter({ hasText: "Dasar" }).click();
    const remove = page.getByRole("button", { name: "Hapus latar belakang · 3 kredit" });
    await remove.waitFor();
    await page.getByText("3 kredit ≈ Rp 1.050–1.500 (Rp 350–500 per kredit, tergantung paket).").waitFor();
    await screenshot(page, "29-single-picked-id-phone");
    await expectFits(page);
    await expectOneHeaderRow(page);
    const box = await remove.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844); // the task still fits the first screen in the longer language

    // The header's switch: the same page, the picked photo kept, now in English.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await page.getByRole("combobox", { name: "Bahasa" }).selectOption("en");
    await page.getByRole("heading", { name: "Remove a background", level: 1 }).waitFor();
    await page.getByTestId("balance").getByText("1,500 credits", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Remove background · 3 credits" }).waitFor();
    await page.getByText("gc-teddy.jpg", { exact: true }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await screenshot(page, "30-single-picked-en-after-switch-phone");
    await expectFits(page);
    await expectOneHeaderRow(page);

    // And back, then a removal worded in Indonesian.
    await page.getByRole("combobox", { name: "Language" }).selectOption("id");
    await page.getByRole("button", { name: "Hapus latar belakang · 3 kredit" }).click();
    await page.getByRole("heading", { name: "Latar belakang dihapus" }).waitFor({ timeout: 300_000 });
    await page.getByText(/^gc-teddy\.jpg · Dasar · 3 kredit terpakai · \d+,\d dtk$/).waitFor();
    await page.getByRole("button", { name: "Unduh PNG" }).waitFor();
    await page.getByTestId("balance").getByText("1.497 kredit", { exact: true }).waitFor();
    await screenshot(page, "31-single-result-id-phone");
    await expectFits(page);

    // History: statuses, tiers, the phone's row captions and the date, all in Indonesian.
    await page.getByRole("link", { name: "Riwayat" }).click();
    await page.getByRole("heading", { name: "Riwayat", level: 1 }).waitFor();
    const row = page.getByTestId("jobs-table").getByRole("row").filter({ hasText: "gc-teddy.jpg" });
    await row.getByText("Selesai", { exact: true }).waitFor();
    await row.getByText("Dasar", { exact: true }).waitFor();
    expect(await row.locator('td[data-label="Date"]').getAttribute("data-heading")).toBe("Tanggal");
    expect(await row.locator('td[data-label="Date"]').textContent()).toMatch(/^\d{1,2} \p{L}{3} \d{4}, \d{2}\.\d{2}$/u); // id-ID: "3 Des 2026, 06.52"
    await screenshot(page, "32-history-id-phone");
    await expectFits(page);

    await page.getByRole("link", { name: "Massal" }).click();
    await page.getByRole("heading", { name: "Hapus latar massal" }).waitFor();
    await page.getByRole("button", { name: "Pilih foto" }).waitFor();
    await screenshot(page, "33-batch-id-phone");
    await expectFits(page);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("words a subscriber's plan, quotas and tier coverage in Indonesian on desktop", async () => {
    const { subscriptions } = server.runtime.deps.services;
    const token = await server.userWithCredits("pelanggan-pro", 20);
    const { payment } = await subscriptions.subscribe("pelanggan-pro", "pro");
    await subscriptions.settle(payment!.paymentId, { status: "paid" });

    const { context, page, errors } = await openPage(browser, { ...DESKTOP, locale: "id-ID" }, token);
    await page.goto(server.url);
    const card = page.getByRole("region", { name: "Langganan" });
    await card.getByText("Paket Pro").waitFor();
    await card
      .getByText(/^sisa 200 dari 200$/)
      .first()
      .waitFor();
    await card.getByText(/^Direset dalam \d+ (jam|mnt)/).waitFor();
    const tiers = page.locator("label.tier");
    await tiers.filter({ hasText: "Standar" }).getByText("Ditanggung paket Pro (sisa 200 hari ini)").waitFor();
    await tiers.filter({ hasText: "Industri" }).getByText("Tidak termasuk paket Pro: bayar dengan kredit").waitFor();
    await page.getByRole("button", { name: "Hapus latar belakang (paket)" }).waitFor();
    await screenshot(page, "34-single-subscriber-id-desktop");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.viewport.width);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("words the server's refusal of a batch in Indonesian, not in the server's English (phone)", async () => {
    const token = await server.userWithCredits("penolakan", 100);
    const { context, page, errors } = await openPage(browser, INDONESIAN_PHONE, token);
    await page.goto(`${server.url}/batch`);
    // Passes the browser's checks but is not an image: only the server can tell, and it answers in English.
    const broken = { name: "rusak.jpg", mimeType: "image/jpeg", buffer: Buffer.from("this is not a JPEG at all") };
    const good = { name: "boneka.jpg", mimeType: "image/jpeg", buffer: await readFile(PHOTO) };
    await page.locator('input[type="file"]').first().setInputFiles([good, broken]);
    await page.getByRole("button", { name: "Mulai proses 2 gambar" }).click();
    await page.getByRole("alert").getByText(id.errorCodes.INVALID_FILES).waitFor();
    await page.getByRole("listitem").filter({ hasText: "rusak.jpg" }).getByText(id.errors.fileRefused).waitFor();
    const shown = await page.locator("main").innerText();
    expect(shown).not.toMatch(/nothing was charged|cannot be processed/);
    await screenshot(page, "29b-batch-refused-id-phone");
    await page.getByTestId("balance").getByText("100 kredit", { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
