import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backgroundRemovalBatches,
  backgroundRemovalJobs,
  backgroundRemoverSubscriptions,
  backgroundRemoverSubscriptionUsage,
  creditLedger,
  users,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

/** The PostgreSQL error behind drizzle's wrapper (drizzle 0.45 wraps driver errors in `cause`). */
async function pgError(promise: Promise<unknown>): Promise<{ code?: string; constraint_name?: string }> {
  try {
    await promise;
  } catch (error) {
    const err = error as { code?: string; cause?: { code?: string } };
    return (err.code ? err : (err.cause ?? err)) as { code?: string; constraint_name?: string };
  }
  throw new Error("expected the statement to fail");
}

describe("schema constraints", () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase();
    await test.db.insert(users).values([{ id: "user-a", email: "a@example.com", creditBalance: 10 }, { id: "user-b" }]);
  });
  afterAll(async () => {
    await test?.close();
  });

  it("reject a negative credit balance (CHECK credit_balance >= 0)", async () => {
    const error = await pgError(
      test.db
        .update(users)
        .set({ creditBalance: sql`${users.creditBalance} - 11` })
        .where(eq(users.id, "user-a")),
    );
    expect(error).toMatchObject({ code: "23514", constraint_name: "users_credit_balance_check" });
    const [row] = await test.db.select().from(users).where(eq(users.id, "user-a"));
    expect(row?.creditBalance).toBe(10);
  });

  it("default a new user to role 'user' and balance 0", async () => {
    const [row] = await test.db.select().from(users).where(eq(users.id, "user-b"));
    expect(row).toMatchObject({ role: "user", creditBalance: 0, email: null });
    expect(row?.createdAt).toBeInstanceOf(Date);
  });

  it("reject a second ledger row with the same idempotency key", async () => {
    const entry = { userId: "user-a", delta: -3, reason: "removal" as const, balanceAfter: 7 };
    const [first] = await test.db
      .insert(creditLedger)
      .values({ ...entry, idempotencyKey: "charge:job_1" })
      .returning();
    expect(first?.id).toMatch(/^led_[0-9a-f]{32}$/);

    const error = await pgError(test.db.insert(creditLedger).values({ ...entry, idempotencyKey: "charge:job_1" }));
    expect(error).toMatchObject({ code: "23505", constraint_name: "credit_ledger_idempotency_key_unique" });

    // NULL keys never collide: entries without a key are unrestricted.
    await test.db.insert(creditLedger).values([entry, entry]);
  });

  it("reject a duplicate (subscription, date, tier) usage row — including the default tier", async () => {
    const [subscription] = await test.db
      .insert(backgroundRemoverSubscriptions)
      .values({
        userId: "user-a",
        plan: "pro",
        monthlyPrice: 299_000,
        dailyQuota: 200,
        professionalDailyQuota: 50,
        allowedTiers: ["basic", "standard", "professional"],
        subscribedAt: new Date(),
        currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000),
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
      })
      .returning();
    expect(subscription?.id).toMatch(/^sub_/);
    const usage = { subscriptionId: subscription!.id, userId: "user-a", date: "2025-01-15" };

    await test.db.insert(backgroundRemoverSubscriptionUsage).values(usage);
    const error = await pgError(test.db.insert(backgroundRemoverSubscriptionUsage).values(usage));
    expect(error).toMatchObject({
      code: "23505",
      constraint_name: "background_remover_subscription_usage_sub_date_tier_key",
    });

    await test.db.insert(backgroundRemoverSubscriptionUsage).values({ ...usage, tier: "professional" });
    const tierError = await pgError(test.db.insert(backgroundRemoverSubscriptionUsage).values({ ...usage, tier: "professional" }));
    expect(tierError.code).toBe("23505");

    // The upsert the quota service will use.
    await test.db
      .insert(backgroundRemoverSubscriptionUsage)
      .values({ ...usage, removalsCount: 1 })
      .onConflictDoUpdate({
        target: [
          backgroundRemoverSubscriptionUsage.subscriptionId,
          backgroundRemoverSubscriptionUsage.date,
          backgroundRemoverSubscriptionUsage.tier,
        ],
        set: { removalsCount: sql`${backgroundRemoverSubscriptionUsage.removalsCount} + 1` },
      });
    const rows = await test.db.select().from(backgroundRemoverSubscriptionUsage).where(eq(backgroundRemoverSubscriptionUsage.tier, "all"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ date: "2025-01-15", removalsCount: 1 });
  });

  it("reject values outside the enum lists", async () => {
    const error = await pgError(test.db.execute(sql`update users set role = 'superuser' where id = 'user-b'`));
    expect(error).toMatchObject({ code: "23514", constraint_name: "users_role_check" });
  });

  it("round-trip batches and jobs with generated ids, numeric and jsonb columns", async () => {
    const [batch] = await test.db
      .insert(backgroundRemovalBatches)
      .values({
        userId: "user-a",
        totalImages: 10,
        tier: "standard",
        baseCreditsPerImage: 8,
        baseTotal: 80,
        discountPercentage: 5,
        discountAmount: 4,
        finalTotal: 76,
        creditsPerImageAfterDiscount: 7.6,
      })
      .returning();
    expect(batch).toMatchObject({ status: "pending", processedImages: 0, creditsPerImageAfterDiscount: 7.6 });
    expect(batch?.id).toMatch(/^batch_/);

    const [job] = await test.db
      .insert(backgroundRemovalJobs)
      .values({
        userId: "user-a",
        batchId: batch!.id,
        originalFileName: "cat.jpg",
        originalFilePath: "uploads/cat.jpg",
        originalFileSize: 1234,
        tier: "standard",
        creditUsed: 8,
        pricingType: "credits",
        outputOptions: { format: "png", background: "#ffffff" },
      })
      .returning();
    expect(job).toMatchObject({ status: "pending", attempts: 0, queueJobId: null, refundedAt: null });
    expect(job?.outputOptions).toEqual({ format: "png", background: "#ffffff" });

    const items = await test.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.batchId, batch!.id));
    expect(items.map((item) => item.id)).toEqual([job!.id]);

    // Deleting a batch deletes its items (ON DELETE CASCADE, as in the spec).
    await test.db.delete(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batch!.id));
    expect(await test.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job!.id))).toEqual([]);
  });
});
