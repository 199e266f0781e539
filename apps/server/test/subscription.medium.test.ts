import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { signWebhookBody } from "@bgr/core";
import { backgroundRemovalJobs, backgroundRemoverSubscriptionUsage, backgroundRemoverSubscriptions, creditLedger, users } from "@bgr/db";
import { quotaDay } from "@bgr/domain";
import { and, eq, sum } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

const WEBHOOK_SECRET = "webhook-secret-for-the-service-tests";
const TIME_ZONE = "Asia/Jakarta"; // UTC+7, no DST: the quota day turns at 17:00Z
let clock = new Date("2025-01-15T03:00:00Z");
let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  server = await startTestServer({ PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET, QUOTA_TIMEZONE: TIME_ZONE }, undefined, { now: () => clock });
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
});
afterAll(() => server?.close());

/** A subscription paid at the current clock (setup through the service; behaviour under test goes through HTTP). */
async function subscribed(userId: string, plan: "starter" | "pro", credits = 0): Promise<string> {
  const token = await server.userWithCredits(userId, credits);
  const { subscriptions } = server.runtime.deps.services;
  const { payment } = await subscriptions.subscribe(userId, plan);
  await subscriptions.settle(payment!.paymentId, { status: "paid" });
  return token;
}

/** Today's usage row already at these counts, as if the user had removed that many earlier today. */
async function usedToday(userId: string, counts: { removalsCount: number; basicCount?: number; professionalCount?: number }) {
  const { db } = server.database;
  const [sub] = await db.select().from(backgroundRemoverSubscriptions).where(eq(backgroundRemoverSubscriptions.userId, userId));
  await db
    .insert(backgroundRemoverSubscriptionUsage)
    .values({ subscriptionId: sub!.id, userId, date: quotaDay(clock, TIME_ZONE).date, tier: "all", ...counts });
}

async function usageRows(userId: string) {
  const { db } = server.database;
  return db
    .select({
      date: backgroundRemoverSubscriptionUsage.date,
      removals: backgroundRemoverSubscriptionUsage.removalsCount,
      basic: backgroundRemoverSubscriptionUsage.basicCount,
      professional: backgroundRemoverSubscriptionUsage.professionalCount,
    })
    .from(backgroundRemoverSubscriptionUsage)
    .where(eq(backgroundRemoverSubscriptionUsage.userId, userId))
    .orderBy(backgroundRemoverSubscriptionUsage.date);
}

async function api(token: string | null, method: string, route: string, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.api}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

async function remove(token: string, tier: string, image: Uint8Array = photo) {
  const response = await fetch(`${server.api}/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: imageForm(image, { tier }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function webhook(payload: unknown, signature?: string) {
  const raw = JSON.stringify(payload);
  const response = await fetch(`${server.api}/subscription/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": signature ?? signWebhookBody(WEBHOOK_SECRET, raw) },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function balanceAndLedgerSum(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const [ledger] = await db
    .select({ total: sum(creditLedger.delta) })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerSum: Number(ledger!.total ?? 0) };
}

describe("GET/POST/DELETE /subscription and the payment webhook", () => {
  it("lists the plans when there is no subscription", async () => {
    const token = await server.userWithCredits("nosub", 0);
    const { status, body } = await api(token, "GET", "/subscription");
    expect(status).toBe(200);
    expect(body).toEqual({
      success: true,
      data: {
        hasSubscription: false,
        availablePlans: [
          { name: "starter", price: 99000, dailyQuota: 50, allowedTiers: ["basic", "standard"] },
          { name: "pro", price: 299000, dailyQuota: 200, allowedTiers: ["basic", "standard", "professional"], professionalQuota: 50 },
        ],
        pendingPayment: null,
      },
    });
    expect((await api(null, "GET", "/subscription")).status).toBe(401);
  });

  it("subscribes through a pending payment that a signed webhook confirms, once", async () => {
    const token = await server.userWithCredits("paula", 10);
    const created = await api(token, "POST", "/subscription", { plan: "starter" });
    expect(created.status).toBe(201);
    const payment = created.body.data.payment;
    expect(payment).toMatchObject({
      status: "pending",
      plan: "starter",
      amount: 99000,
      currency: "IDR",
      provider: "manual",
      purpose: "subscribe",
    });
    expect(created.body.data.subscription).toMatchObject({ hasSubscription: false, pendingPayment: { paymentId: payment.paymentId } });

    // Pending pays for nothing: this removal is paid with credits.
    const beforePaying = await remove(token, "basic");
    expect(beforePaying.body.data).toMatchObject({ pricingType: "credits", creditsUsed: 3 });

    // No user auth on the webhook; the signature decides.
    const forged = await webhook({ paymentId: payment.paymentId, status: "paid" }, signWebhookBody("another-secret-entirely", "{}"));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("UNAUTHORIZED");
    expect((await api(token, "GET", "/subscription")).body.data.hasSubscription).toBe(false);

    const confirmed = await webhook({ paymentId: payment.paymentId, status: "paid" });
    expect(confirmed).toMatchObject({
      status: 200,
      body: { success: true, data: { paymentId: payment.paymentId, status: "paid", changed: true } },
    });
    const replayed = await webhook({ paymentId: payment.paymentId, status: "paid" });
    expect(replayed.body.data.changed).toBe(false);

    const { body } = await api(token, "GET", "/subscription");
    expect(body.data).toMatchObject({
      hasSubscription: true,
      plan: "starter",
      status: "active",
      pricing: { monthlyPrice: 99000, currency: "IDR" },
      quotas: { daily: { limit: 50, used: 0, remaining: 50, resetsAt: "2025-01-15T17:00:00.000Z" } },
      allowedTiers: ["basic", "standard"],
      billing: { subscribedAt: clock.toISOString(), nextBillingDate: "2025-02-15T03:00:00.000Z", autoRenew: true },
    });
    expect(body.data.quotas.professionalTier).toBeUndefined();

    const afterPaying = await remove(token, "basic");
    expect(afterPaying.body.data).toMatchObject({ pricingType: "subscription", creditsUsed: 0 });
    expect((await api(token, "GET", "/subscription")).body.data.quotas.daily).toMatchObject({ used: 1, remaining: 49 });
    expect(await balanceAndLedgerSum("paula")).toEqual({ balance: 7, ledgerSum: 7 });

    const again = await api(token, "POST", "/subscription", { plan: "pro" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT" });
    expect(again.body.error.message).toContain("DELETE /subscription");
  });

  it("answers 400 for an unknown plan and 404 for an unknown payment", async () => {
    const token = await server.userWithCredits("quinn", 0);
    const bad = await api(token, "POST", "/subscription", { plan: "gold" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("starter, pro");
    expect((await webhook({ paymentId: "pay_missing", status: "paid" })).status).toBe(404);
    expect((await webhook({ nonsense: true })).status).toBe(400);
  });

  it("cancels: renewal stops, the plan keeps paying until the period ends", async () => {
    const token = await subscribed("carla", "starter");
    const { status, body } = await api(token, "DELETE", "/subscription");
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      hasSubscription: true,
      status: "cancelled",
      billing: { autoRenew: false, nextBillingDate: null, expiresAt: "2025-02-15T03:00:00.000Z" },
    });
    expect((await remove(token, "basic")).body.data).toMatchObject({ pricingType: "subscription", creditsUsed: 0 });
    expect((await api(await server.userWithCredits("nobody", 0), "DELETE", "/subscription")).status).toBe(404);
  });
});

describe("quota under concurrency", () => {
  it("50 concurrent removals with 10 left today: exactly 10 use the plan, 20 pay credits, 20 get 402", async () => {
    const token = await subscribed("racer", "starter", 60); // credits for 20 basic removals
    await usedToday("racer", { removalsCount: 40, basicCount: 40 });
    const results = await Promise.all(Array.from({ length: 50 }, () => remove(token, "basic")));
    const ok = results.filter((r) => r.status === 200).map((r) => r.body.data);
    const bySubscription = ok.filter((job) => job.pricingType === "subscription");
    const byCredits = ok.filter((job) => job.pricingType === "credits");
    console.info(
      `quota race: ${bySubscription.length} × subscription, ${byCredits.length} × credits, ${results.filter((r) => r.status === 402).length} × 402`,
    );
    expect(bySubscription).toHaveLength(10);
    expect(bySubscription.every((job) => job.creditsUsed === 0)).toBe(true);
    expect(byCredits).toHaveLength(20);
    expect(byCredits.every((job) => job.creditsUsed === 3)).toBe(true);
    expect(results.filter((r) => r.status === 402)).toHaveLength(20);
    expect(results.find((r) => r.status === 402)!.body.error).toMatchObject({
      code: "INSUFFICIENT_CREDITS",
      details: { required: 3, available: 0 },
    });

    expect(await usageRows("racer")).toEqual([{ date: "2025-01-15", removals: 50, basic: 50, professional: 0 }]);
    expect(await balanceAndLedgerSum("racer")).toEqual({ balance: 0, ledgerSum: 0 });
    const { db } = server.database;
    const jobs = await db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.userId, "racer"));
    expect(jobs.filter((job) => job.pricingType === "subscription")).toHaveLength(10);
  });
});

describe("what the plan covers", () => {
  it("pro: professional stops using the plan after 50 a day; industry always pays credits", async () => {
    const token = await subscribed("petra", "pro", 100);
    await usedToday("petra", { removalsCount: 49, professionalCount: 49 });
    const fiftieth = await remove(token, "professional");
    expect(fiftieth.body.data).toMatchObject({ pricingType: "subscription", creditsUsed: 0 });
    const fiftyFirst = await remove(token, "professional");
    expect(fiftyFirst.body.data).toMatchObject({ pricingType: "credits", creditsUsed: 15 });
    // The daily quota (200) still has room for other tiers.
    expect((await remove(token, "basic")).body.data).toMatchObject({ pricingType: "subscription", creditsUsed: 0 });
    expect((await remove(token, "industry")).body.data).toMatchObject({ pricingType: "credits", creditsUsed: 25 });
    const view = (await api(token, "GET", "/subscription")).body.data;
    expect(view.quotas).toMatchObject({
      daily: { limit: 200, used: 51, remaining: 149 },
      professionalTier: { limit: 50, used: 50, remaining: 0 },
    });
    expect(await balanceAndLedgerSum("petra")).toEqual({ balance: 60, ledgerSum: 60 });
  });

  it("starter: a tier outside the plan pays credits and uses no quota", async () => {
    const token = await subscribed("sam", "starter", 20);
    expect((await remove(token, "professional")).body.data).toMatchObject({ pricingType: "credits", creditsUsed: 15 });
    expect(await usageRows("sam")).toEqual([]);
  });

  it("gives the quota back, exactly once, when a plan-paid removal fails", async () => {
    const token = await subscribed("fay", "starter");
    await usedToday("fay", { removalsCount: 5, basicCount: 5 });
    const truncated = (await sharp(photo).jpeg().toBuffer()).subarray(0, 6000);
    const { status, body } = await remove(token, "basic", truncated);
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_IMAGE");
    expect(await usageRows("fay")).toEqual([{ date: "2025-01-15", removals: 5, basic: 5, professional: 0 }]);
    const { db } = server.database;
    const [job] = await db
      .select()
      .from(backgroundRemovalJobs)
      .where(and(eq(backgroundRemovalJobs.userId, "fay"), eq(backgroundRemovalJobs.status, "failed")));
    expect(job).toMatchObject({ pricingType: "subscription", creditUsed: 0 });
    expect(job!.refundedAt).not.toBeNull();
    // A retried failure handler (redelivery, a second worker) gives nothing more back.
    await server.runtime.settlement.failAndRefund(job!, new Error("retry"));
    expect(await usageRows("fay")).toEqual([{ date: "2025-01-15", removals: 5, basic: 5, professional: 0 }]);
    expect(await balanceAndLedgerSum("fay")).toEqual({ balance: 0, ledgerSum: 0 });
  });
});

describe("the quota day", () => {
  it("resets at midnight in QUOTA_TIMEZONE", async () => {
    clock = new Date("2025-01-15T16:59:00Z"); // 23:59 in Jakarta
    try {
      const token = await subscribed("nina", "starter", 3);
      await usedToday("nina", { removalsCount: 50, basicCount: 50 });
      expect((await api(token, "GET", "/subscription")).body.data.quotas.daily).toEqual({
        limit: 50,
        used: 50,
        remaining: 0,
        resetsAt: "2025-01-15T17:00:00.000Z",
      });
      expect((await remove(token, "basic")).body.data).toMatchObject({ pricingType: "credits", creditsUsed: 3 });

      clock = new Date("2025-01-15T17:00:00Z"); // 00:00 on the 16th in Jakarta
      expect((await remove(token, "basic")).body.data).toMatchObject({ pricingType: "subscription", creditsUsed: 0 });
      expect((await api(token, "GET", "/subscription")).body.data.quotas.daily).toEqual({
        limit: 50,
        used: 1,
        remaining: 49,
        resetsAt: "2025-01-16T17:00:00.000Z",
      });
      expect(await usageRows("nina")).toEqual([
        { date: "2025-01-15", removals: 50, basic: 50, professional: 0 },
        { date: "2025-01-16", removals: 1, basic: 1, professional: 0 },
      ]);
    } finally {
      clock = new Date("2025-01-15T03:00:00Z");
    }
  });
});

describe("tRPC and the admin CLI", () => {
  it("serves subscription.get/subscribe/cancel with the same rules", async () => {
    const token = await server.userWithCredits("tara", 0);
    const auth = { authorization: `Bearer ${token}` };
    const trpc = async (procedure: string, input?: unknown) => {
      const response = await fetch(`${server.url}/api/trpc/${procedure}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(input ?? {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    expect((await fetch(`${server.url}/api/trpc/subscription.get`)).status).toBe(401);
    const subscribedBody = await trpc("subscription.subscribe", { plan: "pro" });
    expect(subscribedBody.body.result.data.payment).toMatchObject({ status: "pending", plan: "pro", amount: 299000 });
    await server.runtime.deps.services.subscriptions.settle(subscribedBody.body.result.data.payment.paymentId, { status: "paid" });
    const got = (await (await fetch(`${server.url}/api/trpc/subscription.get`, { headers: auth })).json()) as any;
    expect(got.result.data).toMatchObject({ hasSubscription: true, plan: "pro", status: "active" });
    const conflict = await trpc("subscription.subscribe", { plan: "starter" });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.data.domainCode).toBe("CONFLICT");
    expect((await trpc("subscription.cancel", { reason: "testing" })).body.result.data).toMatchObject({ status: "cancelled" });
  });

  it("confirms a pending payment with `pnpm admin confirm-payment`", async () => {
    const token = await server.userWithCredits("olga", 0);
    const { body } = await api(token, "POST", "/subscription", { plan: "pro" });
    const paymentId = body.data.payment.paymentId as string;
    const admin = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ["--conditions=@bgr/source", "--import", "tsx", path.join(import.meta.dirname, "../src/admin.ts"), ...args],
        {
          env: { ...process.env, ...server.env },
        },
      );
    const first = await admin("confirm-payment", paymentId);
    expect(first.stdout).toContain(`payment ${paymentId}`);
    expect(first.stdout).toContain("paid");
    expect(first.stdout).toMatch(/subscription pro active until/);
    expect((await admin("confirm-payment", paymentId)).stdout).toContain("already");
    expect((await api(token, "GET", "/subscription")).body.data).toMatchObject({ hasSubscription: true, plan: "pro", status: "active" });
  });
});
