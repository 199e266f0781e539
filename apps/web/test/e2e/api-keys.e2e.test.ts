import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, waitForBalance } from "./browser.ts";

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

/** What a user's own code would do with the key: a plain HTTP request, outside the browser. */
function callWithKey(key: string, path: string) {
  return fetch(`${server.api}${path}`, { headers: { authorization: `Bearer ${key}` } });
}

describe("web app: a user creates an API key, uses it over HTTP and revokes it", () => {
  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`on ${name}`, async () => {
      const { context, page, errors } = await openPage(browser, device);
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      await page.goto(server.url);
      await page.getByRole("button", { name: "Create an account" }).click();
      await page.getByLabel("Email").fill(`keys-${name}@example.com`);
      await page.getByLabel("Password").fill("a long enough password");
      await page.getByRole("button", { name: "Create account" }).click();
      await waitForBalance(page, 0);

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
      await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
      await page.getByText("No keys yet.").waitFor();
      // The scope choices are the domain's vocabulary, removal ticked by default.
      await expect.poll(() => page.getByRole("checkbox").count()).toBe(3);
      expect(await page.getByRole("checkbox", { name: /^Removal/ }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: /^Billing/ }).isChecked()).toBe(false);
      await page.getByLabel("Name").fill(`shop backend ${name}`);
      await screenshot(page, `30-keys-create-${name}`);
      await page.getByRole("button", { name: "Create key" }).click();

      const secret = page.getByTestId("new-key");
      await secret.waitFor();
      const key = (await secret.textContent())!.trim();
      expect(key).toMatch(/^bgr_/);
      await page.getByRole("button", { name: "Copy", exact: true }).click();
      await page.getByRole("button", { name: "Copied" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
      await screenshot(page, `31-keys-created-${name}`);

      // The key works for what its scope allows, and only that.
      const allowed = await callWithKey(key, "/jobs");
      expect(allowed.status).toBe(200);
      const outOfScope = await callWithKey(key, "/api-keys");
      expect(outOfScope.status).toBe(403);
      expect(((await outOfScope.json()) as { error: { code: string } }).error.code).toBe("INSUFFICIENT_SCOPE");

      await page.getByRole("button", { name: "Done, I have saved it" }).click();
      await expect.poll(() => secret.count()).toBe(0); // never shown again
      await page.reload();
      const row = page.getByTestId("key-row").filter({ hasText: `shop backend ${name}` });
      await row.waitFor();
      const prefix = (await row.locator("code").textContent())!.replace("…", "");
      expect(prefix.length).toBeGreaterThan(4);
      expect(key.startsWith(prefix)).toBe(true);
      await row.getByText("removal", { exact: true }).waitFor();
      expect(await row.locator('td[data-label="Last used"]').textContent()).not.toContain("Never");
      expect(await page.content()).not.toContain(key);

      await row.getByRole("button", { name: `Revoke shop backend ${name}` }).click();
      const confirm = page.getByRole("group", { name: `Confirm revoking shop backend ${name}` });
      await confirm.waitFor();
      await screenshot(page, `32-keys-confirm-revoke-${name}`);
      await confirm.getByRole("button", { name: "Yes, revoke" }).click();
      await row.getByText("Revoked", { exact: true }).waitFor();
      await expect.poll(() => confirm.count()).toBe(0);
      await screenshot(page, `33-keys-revoked-${name}`);

      const afterRevoke = await callWithKey(key, "/jobs");
      expect(afterRevoke.status).toBe(401);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe("web app: a user turns off the mail for completed batches", () => {
  it("in Settings, on phone; the choice is saved on the server", async () => {
    const { context, page, errors } = await openPage(browser, PHONE);
    await page.goto(server.url);
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill("quiet@example.com");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await waitForBalance(page, 0);

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Email notifications" }).waitFor();
    const completed = page.getByRole("checkbox", { name: /^Batch completed/ });
    const failed = page.getByRole("checkbox", { name: /^Batch failed/ });
    await expect.poll(() => completed.isChecked()).toBe(true);
    await completed.uncheck();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Email notifications" }).waitFor();
    // Batch completed and failed, payment received, plan renews or ends, plan ended.
    await expect.poll(() => page.getByRole("checkbox").count()).toBe(5);
    expect(await completed.isChecked()).toBe(false);
    expect(await failed.isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: /^Payment received/ }).isChecked()).toBe(true);
    await screenshot(page, "34-settings-notifications-phone");
    expect(errors).toEqual([]);
    await context.close();
  });
});
