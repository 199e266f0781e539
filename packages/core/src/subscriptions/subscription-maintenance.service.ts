import { backgroundRemoverSubscriptions as subscriptions, payments } from "@bgr/db";
import { DEFAULT_SUBSCRIPTION_GRACE_DAYS, graceEndsAt, isDomainError, RENEWAL_REMINDER_DAYS } from "@bgr/domain";
import { and, eq, gte, inArray, lt, lte, or } from "drizzle-orm";
import { lockUser } from "../users/user-lock.ts";
import { collectPayment, expireOverduePayments, type PaymentBook } from "./payment-settlement.ts";
import type { PaymentProvider } from "./payment-provider.ts";

const DAY_MS = 86_400_000;

export interface SubscriptionMaintenanceDeps extends PaymentBook {
  provider: PaymentProvider;
  /** SUBSCRIPTION_GRACE_DAYS: access kept after a renewal is not (yet) paid. */
  graceDays?: number;
  /** Subscriptions handled per renewDue call; the next scheduled run takes the rest. */
  batchSize?: number;
}

export interface RenewalRun {
  /** Renewal payments created by this call. */
  attempted: number;
  paid: number;
  pending: number;
  failed: number;
}

/**
 * The scheduled side of subscriptions, as plain methods for whatever scheduler runs them (pg-boss
 * schedules in the worker). Each takes `now` explicitly, is idempotent, and is safe to run at the same
 * time in several processes: state changes are conditional updates under row locks, and a renewal
 * payment has a per-period idempotency key, so two runs never charge one period twice.
 */
export class SubscriptionMaintenance {
  private readonly graceDays: number;

  constructor(private readonly deps: SubscriptionMaintenanceDeps) {
    this.graceDays = deps.graceDays ?? DEFAULT_SUBSCRIPTION_GRACE_DAYS;
  }

  /**
   * Ends access that has run out: cancelled and grace-period subscriptions past `expiresAt`, and active
   * ones that will not renew. An active subscription that does renew is left to renewDue, which moves
   * it to grace_period first, so a late scheduler never expires someone who was about to be charged.
   */
  async expireDue(now: Date): Promise<{ expired: string[] }> {
    return this.deps.db.transaction(async (tx) => {
      const rows = await tx
        .update(subscriptions)
        .set({ status: "expired", nextBillingDate: null, updatedAt: now })
        .where(
          and(
            lte(subscriptions.expiresAt, now),
            or(
              inArray(subscriptions.status, ["cancelled", "grace_period"]),
              and(eq(subscriptions.status, "active"), eq(subscriptions.autoRenew, false)),
            ),
          ),
        )
        .returning({ id: subscriptions.id, periodEnd: subscriptions.currentPeriodEnd });
      // The "plan ended" mail commits with the change it tells of.
      await this.deps.queue.enqueue(
        tx,
        "notificationMail",
        rows.map((row) => ({ kind: "subscription_expired" as const, subscriptionId: row.id, periodEnd: row.periodEnd.toISOString() })),
      );
      return { expired: rows.map((row) => row.id) };
    });
  }

  /**
   * Queues the "renews or ends soon" mail for plans whose period ends between RENEWAL_REMINDER_DAYS
   * and RENEWAL_REMINDER_DAYS + 1 days from now, so the user has at least that long to act. Run daily,
   * each period falls in one run's window; the mail's key (subscription + period end) stops a repeated
   * run from mailing twice.
   */
  async remindDue(now: Date): Promise<{ reminded: string[] }> {
    const from = new Date(now.getTime() + RENEWAL_REMINDER_DAYS * DAY_MS);
    const until = new Date(now.getTime() + (RENEWAL_REMINDER_DAYS + 1) * DAY_MS);
    return this.deps.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: subscriptions.id, periodEnd: subscriptions.currentPeriodEnd })
        .from(subscriptions)
        .where(and(inArray(subscriptions.status, ["active", "cancelled"]), gte(subscriptions.currentPeriodEnd, from), lt(subscriptions.currentPeriodEnd, until)));
      await this.deps.queue.enqueue(
        tx,
        "notificationMail",
        rows.map((row) => ({ kind: "subscription_renewing" as const, subscriptionId: row.id, periodEnd: row.periodEnd.toISOString() })),
      );
      return { reminded: rows.map((row) => row.id) };
    });
  }

  /**
   * Closes pending payments (packs, plans, renewals) whose deadline has passed, so the payer sees
   * "expired" and what to do, not an endless "waiting". settlePayment decides and records it.
   */
  async expirePayments(now: Date): Promise<{ expired: number }> {
    return { expired: await expireOverduePayments(this.deps, now, { limit: this.deps.batchSize ?? 500 }) };
  }

  /**
   * Bills the next period of every auto-renewing subscription whose billing date has come: a renewal
   * payment through the provider, and grace_period (access until the grace ends) while it is unpaid.
   * A gateway that settles at once makes it active again for the next period here; the built-in
   * provider leaves it pending until an operator or the webhook confirms it.
   */
  async renewDue(now: Date): Promise<RenewalRun> {
    const { db, provider } = this.deps;
    const due = await db
      .select({ id: subscriptions.id, userId: subscriptions.userId })
      .from(subscriptions)
      .where(and(eq(subscriptions.status, "active"), eq(subscriptions.autoRenew, true), lte(subscriptions.nextBillingDate, now)))
      .orderBy(subscriptions.nextBillingDate)
      .limit(this.deps.batchSize ?? 500);

    const run: RenewalRun = { attempted: 0, paid: 0, pending: 0, failed: 0 };
    for (const candidate of due) {
      const payment = await db.transaction(async (tx) => {
        await lockUser(tx, candidate.userId);
        const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, candidate.id)).for("update");
        // Another process (or a cancel) may have got here first.
        if (!row || row.status !== "active" || !row.autoRenew || !row.nextBillingDate || row.nextBillingDate > now) return null;
        const [created] = await tx
          .insert(payments)
          .values({
            userId: row.userId,
            subscriptionId: row.id,
            plan: row.plan,
            purpose: "renewal",
            amount: row.monthlyPrice,
            currency: row.currency,
            provider: provider.name,
            status: "pending",
            idempotencyKey: `renewal:${row.id}:${row.currentPeriodEnd.toISOString()}`,
            createdAt: now,
          })
          .onConflictDoNothing({ target: payments.idempotencyKey })
          .returning();
        if (!created) return null;
        await tx
          .update(subscriptions)
          .set({ status: "grace_period", expiresAt: graceEndsAt(row.currentPeriodEnd, now, this.graceDays), updatedAt: now })
          .where(eq(subscriptions.id, row.id));
        return created;
      });
      if (!payment) continue;
      run.attempted += 1;
      try {
        const collected = await collectPayment(this.deps, provider, payment, () => now);
        const status = collected.payment.status;
        run[status === "paid" || status === "pending" ? status : "failed"] += 1;
      } catch (error) {
        // The provider failed: the payment is recorded failed and the subscription stays in grace.
        if (!isDomainError(error, "BUSY")) throw error;
        run.failed += 1;
      }
    }
    return run;
  }
}
