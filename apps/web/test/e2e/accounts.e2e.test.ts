import { readFile } from "node:fs/promises";

import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, waitForBalance } from "./browser.ts";

const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ SIGNUP_MODE: "open" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function confirmAsAdmin(paymentId: string) {
  const admin = await server.token("admin-web", "admin");
  const response = await fetch(`${server.api}/admin/payments/${paymentId}/settle`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({ status: "paid" }),
  });
  expect(response.status).toBe(200);
}

describe("web app: a new user signs up, buys credits and removes a background", () => {
  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`on ${name}`, async () => {
      const { context, page, errors } = await openPage(browser, device);
      await page.goto(server.url);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByRole("button", { name: "Create an account" }).click();
      await page.getByRole("heading", { name: "Create an account" }).waitFor();
      await page.getByLabel("Email").fill(`new-${name}@example.com`);
      await page.getByLabel("Password").fill("a long enough password");
      await screenshot(page, `20-sign-up-${name}`);
      await page.getByRole("button", { name: "Create account" }).click();
      await waitForBalance(page, 0);

      await page.getByRole("heading", { name: "Buy credits" }).waitFor();
      await page.getByText("Rp 50.000", { exact: true }).waitFor();
      await page.getByText("1 credit costs Rp 350–500, by pack size.").waitFor();
      await page.getByRole("button", { name: "Buy 100 credits for Rp 50.000" }).click();
      const pending = page.getByTestId("payment").first();
      await pending.getByText("Waiting for payment").waitFor();
      await page.getByRole("heading", { name: "Buy credits" }).scrollIntoViewIfNeeded();
      await screenshot(page, `21-payment-pending-${name}`);

      const paymentId = /payment (pay_\w+)/.exec((await pending.textContent()) ?? "")![1]!;
      await confirmAsAdmin(paymentId);
      // No reload: the pending payment is polled and the balance follows.
      await waitForBalance(page, 100);
      await pending.getByText("Paid", { exact: true }).waitFor();
      await screenshot(page, `22-payment-paid-${name}`);
      // The paid pack's receipt: a page to keep, with the amount in Rupiah.
      const [receipt] = await Promise.all([
        page.waitForEvent("download"),
        pending.getByRole("button", { name: "Download receipt" }).click(),
      ]);
      expect(receipt.suggestedFilename()).toBe(`receipt-${paymentId}.html`);
      const html = await readFile((await receipt.path())!, "utf8");
      expect(html).toContain("100 credits (credit pack)");
      expect(html).toContain("Rp 50.000");

      await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
      await page.locator("label.tier", { hasText: "Basic" }).click();
      await page.getByText("3 credits ≈ Rp 1.050–1.500").waitFor();
      await page.getByRole("button", { name: /^Remove background/ }).click();
      await page.getByRole("heading", { name: "Background removed" }).waitFor({ timeout: 300_000 });
      await waitForBalance(page, 97);
      await screenshot(page, `23-removed-${name}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe("web app: a user buys a plan, cancels and resumes it", () => {
  it("subscribes, the admin confirms, the quota card shows today's use and the reset; cancel and resume", async () => {
    const { context, page, errors } = await openPage(browser, DESKTOP);
    await page.goto(server.url);
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill("planner@example.com");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await waitForBalance(page, 0);

    await page.getByText("Plans from Rp 99.000 a month").click();
    await page.getByRole("button", { name: "Subscribe to Starter" }).click();
    const waiting = page.getByTestId("plan-payment");
    await waiting.getByText(/Rp 99\.000 for the Starter plan is waiting for payment/).waitFor();
    await screenshot(page, "24-plan-pending-desktop");

    const paymentId = /payment (pay_\w+)/.exec((await waiting.textContent()) ?? "")![1]!;
    await confirmAsAdmin(paymentId);
    await page.getByText("Starter plan").waitFor(); // polled, no reload
    await page.getByText("50 of 50 left").waitFor();
    await page.getByText(/^Resets in/).waitFor();
    await screenshot(page, "25-plan-active-desktop");

    await page.getByRole("button", { name: "Cancel renewal" }).click();
    await page.getByRole("button", { name: "Resume Starter" }).waitFor();
    await page.locator(".status-cancelled").waitFor();
    await page.getByRole("button", { name: "Resume Starter" }).click();
    await page.getByRole("button", { name: "Cancel renewal" }).waitFor();
    await page.locator(".status-active").waitFor();
    await screenshot(page, "26-plan-resumed-desktop");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("web app: a user who forgot the password", () => {
  it("asks for a reset, opens the mail's link, chooses a new password and signs in with it; the link works once", async () => {
    const email = "forgetful@example.com";
    const signUp = await fetch(`${server.api}/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "the first password" }),
    });
    expect(signUp.status).toBe(201);
    const outbox = server.runtime.deps.outbox!.sent;
    const before = outbox.length;

    const { context, page, errors } = await openPage(browser, PHONE);
    await page.goto(server.url);
    await page.getByRole("button", { name: "Forgot password?" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").filter({ hasText: "a reset link is on its way" }).waitFor();
    expect(outbox.length).toBe(before + 1);
    const link = /(https?:\/\/\S+\/reset-password\?token=[\w-]+)/.exec(outbox.at(-1)!.text)![1]!;

    // The mail's link points at the configured app URL; here the app is served by the test server.
    const resetPath = new URL(link).pathname + new URL(link).search;
    await page.goto(`${server.url}${resetPath}`);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password").fill("the second password");
    await screenshot(page, "27-new-password-phone");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password is changed" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("the second password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitForBalance(page, 0);

    // Used once: the same link now says so, in words.
    const again = await openPage(browser, DESKTOP);
    await again.page.goto(`${server.url}${resetPath}`);
    await again.page.getByLabel("New password").fill("a third password!");
    await again.page.getByRole("button", { name: "Save new password" }).click();
    await again.page.getByRole("alert").filter({ hasText: "invalid, used or expired" }).waitFor();
    await again.context.close();

    expect(errors).toEqual([]);
    await context.close();
  });
});
