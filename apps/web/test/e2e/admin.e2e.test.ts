import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, screenshot, waitForBalance } from "./browser.ts";

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

async function api(token: string, route: string, body?: unknown) {
  const response = await fetch(`${server.api}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as any;
}

describe("web app: administration", () => {
  it("an admin confirms a pending pack and grants credits with a reason; the buyer's balance follows; a user sees no admin screen", async () => {
    await server.runtime.deps.services.users.ensure("shopper");
    const buyer = await server.token("shopper");
    const bought = await api(buyer, "/credits/purchases", { pack: "pack_100" });
    const paymentId: string = bought.data.payment.paymentId;

    await server.runtime.deps.services.users.ensure("boss", "admin");
    const { context, page, errors } = await openPage(browser, DESKTOP, await server.token("boss", "admin"));
    await page.goto(`${server.url}/settings`);
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("heading", { name: "Administration", level: 1 }).waitFor();
    const row = page.getByTestId("admin-payments").getByRole("row").filter({ hasText: paymentId });
    await row.getByText("Rp 50.000").waitFor();
    await screenshot(page, "40-admin-desktop");
    await row.getByRole("button", { name: `Confirm payment ${paymentId} as paid` }).click();
    await page.getByText("No payment is waiting.").waitFor();
    expect((await api(buyer, "/me")).data.creditBalance).toBe(100);

    const user = page.getByTestId("admin-users").getByRole("row").filter({ hasText: "shopper" });
    await user.getByText("100 credits").waitFor();
    const grant = user.getByRole("form", { name: "Grant credits to shopper" });
    await grant.getByLabel("Credits").fill("25");
    await grant.getByLabel("Reason").fill("goodwill after an outage");
    await grant.getByRole("button", { name: "Grant" }).click();
    await user.getByText("125 credits").waitFor();
    const ledger = await server.database.sql`select reason, delta, note from credit_ledger where user_id = 'shopper' order by created_at`;
    expect(ledger.map((r: any) => [r.reason, r.delta])).toEqual([
      ["purchase", 100],
      ["grant", 25],
    ]);
    expect(String(ledger[1]!.note)).toContain("goodwill after an outage");
    await screenshot(page, "41-admin-granted-desktop");
    expect(errors).toEqual([]);
    await context.close();

    // An ordinary user: no link on Settings, and /admin shows the server's refusal.
    const plain = await openPage(browser, DESKTOP, buyer);
    await plain.page.goto(`${server.url}/settings`);
    await waitForBalance(plain.page, 125);
    expect(await plain.page.getByRole("link", { name: "Administration" }).count()).toBe(0);
    await plain.page.goto(`${server.url}/admin`);
    await plain.page.getByRole("alert").filter({ hasText: "Only an admin can do this" }).first().waitFor();
    await plain.context.close();
  });
});
