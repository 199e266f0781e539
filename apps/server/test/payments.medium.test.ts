import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { INVOICE_CALLBACK_SIGNATURE_HEADER, issueAccessToken, signWebhookBody } from "@bgr/core";
import { creditLedger, payments, users } from "@bgr/db";
import { eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

const WEBHOOK_SECRET = "webhook-secret-for-the-payment-tests";
const CALLBACK_SECRET = "callback-secret-of-the-fake-gateway";
const GATEWAY_KEY = "xnd_test_key";

/** A real HTTP server on 127.0.0.1 playing an Indonesian invoice gateway (Xendit-shaped). */
interface FakeGateway {
  url: string;
  invoices: { id: string; external_id: string; amount: number; authorization: string | undefined }[];
  close(): Promise<void>;
}

async function startFakeGateway(): Promise<FakeGateway> {
  const invoices: FakeGateway["invoices"] = [];
  const server: Server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    if (request.method !== "POST" || request.url !== "/v2/invoices") return response.writeHead(404).end();
    const input = JSON.parse(body) as { external_id: string; amount: number; invoice_duration?: number };
    const id = `inv_${invoices.length + 1}`;
    invoices.push({ id, external_id: input.external_id, amount: input.amount, authorization: request.headers.authorization });
    const expiry = new Date(Date.now() + (input.invoice_duration ?? 86_400) * 1000).toISOString();
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id,
        external_id: input.external_id,
        status: "PENDING",
        amount: input.amount,
        invoice_url: `${url}/web/${id}`,
        expiry_date: expiry,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, invoices, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function call(server: TestServer, token: string | null, method: string, route: string, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.api}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

async function postWebhook(server: TestServer, raw: string, headers: Record<string, string>) {
  const response = await fetch(`${server.api}/payments/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function money(server: TestServer, userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const [ledger] = await db
    .select({ total: sum(creditLedger.delta) })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  const rows = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerSum: Number(ledger!.total ?? 0), rows };
}

describe("credit packs through the manual provider", () => {
  let server: TestServer;
  let clock = new Date("2026-03-01T03:00:00Z");
  beforeAll(async () => {
    server = await startTestServer({ PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET, PAYMENT_PENDING_HOURS: "24" }, undefined, {
      now: () => clock,
    });
  });
  afterAll(() => server?.close());

  it("lists the packs with Rupiah prices and the per-credit price", async () => {
    const token = await server.token("u-packs");
    const { status, body } = await call(server, token, "GET", "/credits/packs");
    expect(status).toBe(200);
    expect(body.data.packs.map((p: any) => [p.id, p.credits, p.priceLabel, p.pricePerCreditLabel])).toEqual([
      ["pack_100", 100, "Rp 50.000", "Rp 500"],
      ["pack_500", 500, "Rp 200.000", "Rp 400"],
      ["pack_2000", 2000, "Rp 700.000", "Rp 350"],
    ]);
    expect(body.data.creditCost).toBe("1 credit costs Rp 350–500, by pack size.");
  });

  it("refuses an unknown pack with 400 and writes nothing", async () => {
    const token = await server.token("u-bad-pack");
    const { status, body } = await call(server, token, "POST", "/credits/purchases", { pack: "pack_999" });
    expect(status).toBe(400);
    expect(body.error.message).toContain("pack_100");
    expect(await server.database.db.select().from(payments).where(eq(payments.userId, "u-bad-pack"))).toHaveLength(0);
  });

  it("an admin confirms a pending pack: credits land once, as a ledger row pointing at the payment", async () => {
    const token = await server.token("u-manual");
    const bought = await call(server, token, "POST", "/credits/purchases", { pack: "pack_500" });
    expect(bought.status).toBe(201);
    const payment = bought.body.data.payment;
    expect(payment).toMatchObject({ status: "pending", credits: 500, amount: 200_000, amountLabel: "Rp 200.000", provider: "manual" });
    expect(payment.nextStep).toContain("Pay Rp 200.000");
    expect((await money(server, "u-manual")).balance).toBe(0);

    // A user cannot confirm their own payment.
    const self = await call(server, token, "POST", `/admin/payments/${payment.paymentId}/settle`, { status: "paid" });
    expect(self.status).toBe(403);

    const admin = await issueAccessToken("admin-1", "admin", server.runtime.jwtSecret);
    const first = await call(server, admin, "POST", `/admin/payments/${payment.paymentId}/settle`, { status: "paid" });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ changed: true, payment: { status: "paid" } });
    const again = await call(server, admin, "POST", `/admin/payments/${payment.paymentId}/settle`, { status: "paid" });
    expect(again.body.data.changed).toBe(false);

    const after = await money(server, "u-manual");
    expect(after.balance).toBe(500);
    expect(after.ledgerSum).toBe(500);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ reason: "purchase", referenceType: "payment", referenceId: payment.paymentId, delta: 500 });

    const listed = await call(server, token, "GET", "/payments");
    expect(listed.body.data[0]).toMatchObject({
      paymentId: payment.paymentId,
      status: "paid",
      nextStep: "Paid: 500 credits were added to your balance.",
    });
  });

  it("gives a paid payment's owner its receipt (HTML, inline or as a file); pending and other users' payments get none", async () => {
    const token = await server.token("u-receipt");
    const bought = await call(server, token, "POST", "/credits/purchases", { pack: "pack_100" });
    const paymentId = bought.body.data.payment.paymentId as string;
    const receipt = (query = "", as = token) =>
      fetch(`${server.api}/payments/${paymentId}/receipt${query}`, { headers: { authorization: `Bearer ${as}` } });

    const early = await receipt();
    expect(early.status).toBe(409);
    expect(((await early.json()) as any).error.message).toMatch(/is pending: a receipt exists once it is paid\. Pay Rp 50\.000/);

    const admin = await issueAccessToken("admin-receipts", "admin", server.runtime.jwtSecret);
    expect((await call(server, admin, "POST", `/admin/payments/${paymentId}/settle`, { status: "paid" })).status).toBe(200);

    const inline = await receipt();
    expect(inline.status).toBe(200);
    expect(inline.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(inline.headers.get("content-disposition")).toBe(`inline; filename="receipt-${paymentId}.html"`);
    const html = await inline.text();
    expect(html).toContain(paymentId);
    expect(html).toContain("100 credits (credit pack)");
    expect(html).toContain("Rp 50.000");
    expect(html).toContain("(Asia/Jakarta)");
    expect((await receipt("?download=1")).headers.get("content-disposition")).toBe(`attachment; filename="receipt-${paymentId}.html"`);

    const stranger = await receipt("", await server.token("u-receipt-stranger"));
    expect(stranger.status).toBe(404);
  });

  it("the HMAC-signed webhook lands credits once; a replay lands nothing; a forged signature is 401", async () => {
    const token = await server.token("u-hook");
    const { body } = await call(server, token, "POST", "/credits/purchases", { pack: "pack_100" });
    const raw = JSON.stringify({ paymentId: body.data.payment.paymentId, status: "paid" });

    const forged = await postWebhook(server, raw, { "x-signature": signWebhookBody("not-the-secret-at-all", raw) });
    expect(forged.status).toBe(401);
    expect((await money(server, "u-hook")).balance).toBe(0);

    const first = await postWebhook(server, raw, { "x-signature": signWebhookBody(WEBHOOK_SECRET, raw) });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ status: "paid", changed: true });
    const replay = await postWebhook(server, raw, { "x-signature": signWebhookBody(WEBHOOK_SECRET, raw) });
    expect(replay.status).toBe(200);
    expect(replay.body.data.changed).toBe(false);
    const after = await money(server, "u-hook");
    expect(after).toMatchObject({ balance: 100, ledgerSum: 100 });
    expect(after.rows).toHaveLength(1);
  });

  it("a failed payment lands nothing and says what to do", async () => {
    const token = await server.token("u-fail");
    const { body } = await call(server, token, "POST", "/credits/purchases", { pack: "pack_100" });
    const raw = JSON.stringify({ paymentId: body.data.payment.paymentId, status: "failed", reason: "card declined" });
    expect((await postWebhook(server, raw, { "x-signature": signWebhookBody(WEBHOOK_SECRET, raw) })).status).toBe(200);
    const view = await call(server, token, "GET", `/payments/${body.data.payment.paymentId}`);
    expect(view.body.data.status).toBe("failed");
    expect(view.body.data.nextStep).toContain("card declined");
    expect((await money(server, "u-fail")).balance).toBe(0);
  });

  it("an unpaid pack expires after PAYMENT_PENDING_HOURS, and a late confirmation is refused", async () => {
    const token = await server.token("u-expire");
    const { body } = await call(server, token, "POST", "/credits/purchases", { pack: "pack_100" });
    const id = body.data.payment.paymentId;
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    const view = await call(server, token, "GET", `/payments/${id}`);
    expect(view.body.data.status).toBe("expired");
    const raw = JSON.stringify({ paymentId: id, status: "paid" });
    const late = await postWebhook(server, raw, { "x-signature": signWebhookBody(WEBHOOK_SECRET, raw) });
    expect(late.status).toBe(409);
    expect((await money(server, "u-expire")).balance).toBe(0);
  });

  it("an admin grants credits with a reason (a ledger row) and sees users and payments", async () => {
    await server.token("u-grant");
    await call(server, await server.token("u-grant"), "GET", "/payments");
    const admin = await issueAccessToken("admin-1", "admin", server.runtime.jwtSecret);
    const granted = await call(server, admin, "POST", "/admin/users/u-grant/credits", { amount: 40, reason: "support: failed upload" });
    expect(granted.status).toBe(200);
    expect(granted.body.data.creditBalance).toBe(40);
    const { rows } = await money(server, "u-grant");
    expect(rows[0]).toMatchObject({ reason: "grant", delta: 40 });
    expect(rows[0]!.note).toContain("support: failed upload");
    const noReason = await call(server, admin, "POST", "/admin/users/u-grant/credits", { amount: 40, reason: "   " });
    expect(noReason.status).toBe(400);
    const listUsers = await call(server, admin, "GET", "/admin/users");
    expect(listUsers.body.data.some((u: any) => u.userId === "u-grant" && u.creditBalance === 40)).toBe(true);
    expect((await call(server, admin, "GET", "/admin/payments")).body.data.length).toBeGreaterThan(0);
    expect((await call(server, await server.token("u-grant"), "GET", "/admin/users")).status).toBe(403);
  });
});

describe("credit packs through an invoice gateway (invoice URL, then a signed callback)", () => {
  let gateway: FakeGateway;
  let server: TestServer;
  beforeAll(async () => {
    gateway = await startFakeGateway();
    server = await startTestServer({
      PAYMENT_PROVIDER: "invoice",
      INVOICE_GATEWAY_URL: gateway.url,
      INVOICE_GATEWAY_API_KEY: GATEWAY_KEY,
      INVOICE_GATEWAY_CALLBACK_SECRET: CALLBACK_SECRET,
    });
  });
  afterAll(async () => {
    await server?.close();
    await gateway?.close();
  });

  function callback(payload: unknown, secret = CALLBACK_SECRET) {
    const raw = JSON.stringify(payload);
    return postWebhook(server, raw, { [INVOICE_CALLBACK_SIGNATURE_HEADER]: signWebhookBody(secret, raw) });
  }

  it("creates an invoice, shows its URL while pending, and lands the credits once on PAID", async () => {
    const token = await server.token("u-inv");
    const bought = await call(server, token, "POST", "/credits/purchases", { pack: "pack_2000" });
    expect(bought.status).toBe(201);
    const payment = bought.body.data.payment;
    const invoice = gateway.invoices.at(-1)!;
    expect(invoice).toMatchObject({
      external_id: payment.paymentId,
      amount: 700_000,
      authorization: `Basic ${Buffer.from(`${GATEWAY_KEY}:`).toString("base64")}`,
    });
    expect(payment).toMatchObject({ status: "pending", provider: "invoice", checkoutUrl: `${gateway.url}/web/${invoice.id}` });
    expect(payment.nextStep).toContain(payment.checkoutUrl);

    const forged = await callback(
      { id: invoice.id, external_id: payment.paymentId, status: "PAID", paid_amount: 700_000 },
      "a-forged-callback-secret",
    );
    expect(forged.status).toBe(401);
    const wrongAmount = await callback({ id: invoice.id, external_id: payment.paymentId, status: "PAID", paid_amount: 7_000 });
    expect(wrongAmount.status).toBe(409);
    expect((await money(server, "u-inv")).balance).toBe(0);

    const paid = await callback({ id: invoice.id, external_id: payment.paymentId, status: "PAID", paid_amount: 700_000 });
    expect(paid.status).toBe(200);
    const replay = await callback({ id: invoice.id, external_id: payment.paymentId, status: "PAID", paid_amount: 700_000 });
    expect(replay.body.data.changed).toBe(false);
    expect(await money(server, "u-inv")).toMatchObject({ balance: 2000, ledgerSum: 2000 });
    expect((await money(server, "u-inv")).rows).toHaveLength(1);
  });

  it("an EXPIRED callback (found by the gateway's reference) closes the payment with nothing landed", async () => {
    const token = await server.token("u-inv-exp");
    const { body } = await call(server, token, "POST", "/credits/purchases", { pack: "pack_100" });
    const invoice = gateway.invoices.at(-1)!;
    expect((await callback({ id: invoice.id, status: "EXPIRED" })).status).toBe(200);
    const view = await call(server, token, "GET", `/payments/${body.data.payment.paymentId}`);
    expect(view.body.data.status).toBe("expired");
    expect((await money(server, "u-inv-exp")).balance).toBe(0);
  });
});
