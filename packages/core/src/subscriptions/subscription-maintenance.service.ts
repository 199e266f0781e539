import {
  accessHasRunOut,
  DEFAULT_SUBSCRIPTION_GRACE_DAYS,
  EXPIRABLE_STATUSES,
  graceEndsAt,
  isDomainError,
  renewalReminderWindow,
} from "@bgr/domain";
import { paymentRepository, type PaymentRepository } from "../payments/payment.repository.ts";
import { userRepository, type UserRepository } from "../users/user.repository.ts";
import { paymentSettlement, type PaymentBook, type PaymentSettlement } from "./payment-settlement.ts";
import type { PaymentProvider } from "./payment-provider.ts";
import { subscriptionRepository, type SubscriptionRepository } from "./subscription.repository.ts";

export interface SubscriptionMaintenanceDeps extends PaymentBook {
  provider: PaymentProvider;
  /** SUBSCRIPTION_GRACE_DAYS: access kept after a renewal is not (yet) paid. */
  graceDays?: number;
  /** Subscriptions handled per renewDue call; the next scheduled run takes the rest. */
  batchSize?: number;
  /** Default: the drizzle repositories and settlement (unit tests pass in-memory ones). */
  repositories?: SubscriptionMaintenanceRepositories;
}

/** What the upkeep reads and changes: subscription rows (under the owner's lock), renewal payments and their settlement. */
export interface SubscriptionMaintenanceRepositories {
  subscriptions: SubscriptionRepository;
  payments: PaymentRepository;
  users: Pick<UserRepository, "lock">;
  settlement: PaymentSettlement;
}

const drizzleRepositories: SubscriptionMaintenanceRepositories = {
  subscriptions: subscriptionRepository,
  payments: paymentRepository,
  users: userRepository,
  settlement: paymentSettlement,
};

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
export class SubscriptionMaintenanceService {
  private readonly graceDays: number;
  private readonly repositories: SubscriptionMaintenanceRepositories;

  constructor(private readonly deps: SubscriptionMaintenanceDeps) {
    this.graceDays = deps.graceDays ?? DEFAULT_SUBSCRIPTION_GRACE_DAYS;
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  /**
   * Ends access that has run out (domain's accessHasRunOut: an active subscription that renews is
   * left to renewDue). The rows are locked first, so two runs never expire (and mail) one twice.
   */
  async expireDue(now: Date): Promise<{ expired: string[] }> {
    const { subscriptions } = this.repositories;
    return this.deps.db.transaction(async (tx) => {
      const candidates = await subscriptions.lockExpiringBy(tx, EXPIRABLE_STATUSES, now);
      const rows = candidates.filter((row) => accessHasRunOut(row, now));
      for (const row of rows) await subscriptions.update(tx, row.id, { status: "expired", nextBillingDate: null, updatedAt: now });
      // The "plan ended" mail commits with the change it tells of.
      await this.deps.queue.enqueue(
        tx,
        "notificationMail",
        rows.map((row) => ({
          kind: "subscription_expired" as const,
          subscriptionId: row.id,
          periodEnd: row.currentPeriodEnd.toISOString(),
        })),
      );
      return { expired: rows.map((row) => row.id) };
    });
  }

  /**
   * Queues the "renews or ends soon" mail for plans whose period ends in domain's
   * renewalReminderWindow; the mail's key (subscription + period end) stops a repeated run from
   * mailing twice.
   */
  async remindDue(now: Date): Promise<{ reminded: string[] }> {
    const { from, until } = renewalReminderWindow(now);
    return this.deps.db.transaction(async (tx) => {
      const rows = await this.repositories.subscriptions.periodsEndingBetween(tx, ["active", "cancelled"], from, until);
      await this.deps.queue.enqueue(
        tx,
        "notificationMail",
        rows.map((row) => ({
          kind: "subscription_renewing" as const,
          subscriptionId: row.id,
          periodEnd: row.currentPeriodEnd.toISOString(),
        })),
      );
      return { reminded: rows.map((row) => row.id) };
    });
  }

  /**
   * Closes pending payments (packs, plans, renewals) whose deadline has passed, so the payer sees
   * "expired" and what to do, not an endless "waiting". settlePayment decides and records it.
   */
  async expirePayments(now: Date): Promise<{ expired: number }> {
    return { expired: await this.repositories.settlement.expireOverduePayments(this.deps, now, { limit: this.deps.batchSize ?? 500 }) };
  }

  /**
   * Bills the next period of every auto-renewing subscription whose billing date has come: a renewal
   * payment through the provider, and grace_period (access until the grace ends) while it is unpaid.
   * A gateway that settles at once makes it active again for the next period here; the built-in
   * provider leaves it pending until an operator or the webhook confirms it.
   */
  async renewDue(now: Date): Promise<RenewalRun> {
    const { db, provider } = this.deps;
    const { subscriptions, payments, users, settlement } = this.repositories;
    const due = await subscriptions.dueForBilling(db, now, this.deps.batchSize ?? 500);

    const run: RenewalRun = { attempted: 0, paid: 0, pending: 0, failed: 0 };
    for (const candidate of due) {
      const payment = await db.transaction(async (tx) => {
        await users.lock(tx, candidate.userId);
        const row = await subscriptions.lock(tx, candidate.id);
        // Another process (or a cancel) may have got here first.
        if (!row || row.status !== "active" || !row.autoRenew || !row.nextBillingDate || row.nextBillingDate > now) return null;
        const created = await payments.insertOnce(tx, {
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
        });
        if (!created) return null;
        await subscriptions.update(tx, row.id, {
          status: "grace_period",
          expiresAt: graceEndsAt(row.currentPeriodEnd, now, this.graceDays),
          updatedAt: now,
        });
        return created;
      });
      if (!payment) continue;
      run.attempted += 1;
      try {
        const collected = await settlement.collectPayment(this.deps, provider, payment, () => now);
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
