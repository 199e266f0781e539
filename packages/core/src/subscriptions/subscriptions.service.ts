import type { Payment, Subscription } from "@bgr/db";
import {
  DomainError,
  isPlanName,
  PLAN_NAMES,
  PLANS,
  quotaDay,
  subscriptionIsActive,
  subscriptionView,
  type PendingPaymentView,
  type PlanName,
  type SubscriptionView,
} from "@bgr/domain";
import { userRepository, type UserRepository } from "../users/user.repository.ts";
import {
  paymentSettlement,
  paymentView,
  type PaymentBook,
  type PaymentOutcome,
  type PaymentSettlement,
  type SettledPayment,
} from "./payment-settlement.ts";
import type { PaymentProvider, WebhookHeaders } from "./payment-provider.ts";
import { paymentRepository, type PaymentRepository } from "../payments/payment.repository.ts";
import { quotaRepository, type QuotaRepository } from "./quota.repository.ts";
import { subscriptionRepository, type SubscriptionRepository } from "./subscription.repository.ts";

export interface SubscriptionServiceDeps extends PaymentBook {
  provider: PaymentProvider;
  now: () => Date;
  /** QUOTA_TIMEZONE: where the quota day (and `resetsAt`) is counted. */
  quotaTimeZone: string;
  /** Default: the drizzle repositories and settlement (unit tests pass in-memory ones). */
  repositories?: SubscriptionServiceRepositories;
}

/**
 * What a SubscriptionService reads and changes: the user's subscription row (under the user's lock),
 * its payments and their settlement, and the day's usage counters it shows.
 */
export interface SubscriptionServiceRepositories {
  subscriptions: SubscriptionRepository;
  payments: PaymentRepository;
  quota: Pick<QuotaRepository, "usageOn">;
  users: Pick<UserRepository, "lock">;
  settlement: PaymentSettlement;
}

const drizzleRepositories: SubscriptionServiceRepositories = {
  subscriptions: subscriptionRepository,
  payments: paymentRepository,
  quota: quotaRepository,
  users: userRepository,
  settlement: paymentSettlement,
};

/** What POST /subscription answers. */
export interface SubscribeResult {
  /** The payment to complete; null when nothing is owed (a cancelled plan was resumed). */
  payment: (PendingPaymentView & { status: Payment["status"] }) | null;
  /** What the user should do next. */
  instructions: string;
  subscription: SubscriptionView;
}

/**
 * A user's plan: reading it (spec 3.2.4), subscribing through the payment provider, cancelling, and
 * payment outcomes from the provider's webhook or an operator. Quota use is not here: see quota.ts.
 */
export class SubscriptionService {
  private readonly repositories: SubscriptionServiceRepositories;

  constructor(private readonly deps: SubscriptionServiceDeps) {
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  async get(userId: string): Promise<SubscriptionView> {
    const { db, now, quotaTimeZone } = this.deps;
    const { subscriptions, quota, settlement } = this.repositories;
    const at = now();
    const row = await subscriptions.findByUser(db, userId);
    if (!row)
      return subscriptionView({
        subscription: null,
        usageToday: { removals: 0, professional: 0 },
        pendingPayment: null,
        now: at,
        timeZone: quotaTimeZone,
      });
    const [usageToday, pendingPayment] = await Promise.all([
      quota.usageOn(db, row.id, quotaDay(at, quotaTimeZone).date),
      settlement.pendingPaymentOf(db, row.id),
    ]);
    return subscriptionView({ subscription: row, usageToday, pendingPayment, now: at, timeZone: quotaTimeZone });
  }

  /**
   * Starts a subscription to `plan`: the row is `pending` (no access) until its payment is confirmed.
   * Asking again while a payment is pending returns the same payment; a cancelled plan that still runs
   * is resumed without a new payment.
   */
  async subscribe(userId: string, planName: string): Promise<SubscribeResult> {
    const { db, provider, now } = this.deps;
    const { subscriptions, payments, users, settlement } = this.repositories;
    if (!isPlanName(planName)) {
      throw new DomainError(
        "INVALID_OPTIONS",
        `Unknown plan "${planName}". Choose one of: ${PLAN_NAMES.join(", ")} (GET /subscription lists them with prices).`,
      );
    }
    const plan = PLANS[planName];
    const at = now();

    const started = await db.transaction(async (tx) => {
      await users.lock(tx, userId);
      const row = await subscriptions.lockByUser(tx, userId);

      if (row && subscriptionIsActive(row, at)) {
        if (row.status === "cancelled" && row.plan === planName) {
          await subscriptions.update(tx, row.id, {
            status: "active",
            autoRenew: true,
            cancelledAt: null,
            cancelReason: null,
            nextBillingDate: row.currentPeriodEnd,
            updatedAt: at,
          });
          return { kind: "resumed" as const };
        }
        throw alreadySubscribed(row, planName);
      }

      if (row?.status === "pending") {
        const [waiting] = await payments.pendingOf(tx, row.id, "subscribe");
        if (waiting && row.plan === planName) return { kind: "existing" as const, payment: waiting };
        // Asked for another plan before paying: the old request is void, so a late payment for it is refused.
        await payments.failPendingOf(tx, row.id, at, `replaced by a request for the ${planName} plan`);
      }

      const terms = {
        plan: plan.name,
        status: "pending" as const,
        monthlyPrice: plan.monthlyPrice,
        currency: plan.currency,
        dailyQuota: plan.dailyQuota,
        professionalDailyQuota: plan.professionalDailyQuota,
        allowedTiers: [...plan.allowedTiers],
        // Placeholders until the payment is confirmed (settlePayment sets the real period); expiresAt = now means no access.
        subscribedAt: at,
        currentPeriodEnd: at,
        expiresAt: at,
        nextBillingDate: null,
        autoRenew: true,
        cancelledAt: null,
        cancelReason: null,
        updatedAt: at,
      };
      const subscription = row
        ? await subscriptions.update(tx, row.id, terms)
        : await subscriptions.insert(tx, { userId, ...terms, createdAt: at });
      const payment = await payments.insert(tx, {
        userId,
        subscriptionId: subscription.id,
        plan: plan.name,
        purpose: "subscribe",
        amount: plan.monthlyPrice,
        currency: plan.currency,
        provider: provider.name,
        status: "pending",
        createdAt: at,
      });
      return { kind: "new" as const, payment };
    });

    if (started.kind === "resumed") {
      return {
        payment: null,
        instructions: "Your subscription was resumed: it renews automatically again.",
        subscription: await this.get(userId),
      };
    }
    const collected =
      started.kind === "new"
        ? await settlement.collectPayment(this.deps, provider, started.payment, now)
        : { payment: started.payment, instructions: null };
    return {
      payment: { ...paymentView(collected.payment), status: collected.payment.status },
      instructions: instructionsFor(collected.payment, collected.instructions),
      subscription: await this.get(userId),
    };
  }

  /**
   * Stops renewal. Access stays until the paid period ends (spec: cancelling is not a refund). A
   * subscription in its grace period has no paid period left, so access ends now; a pending one is
   * withdrawn and its payment voided.
   */
  async cancel(userId: string, reason: string | null = null): Promise<SubscriptionView> {
    const { db, now } = this.deps;
    const { subscriptions, payments, users } = this.repositories;
    const at = now();
    await db.transaction(async (tx) => {
      await users.lock(tx, userId);
      const row = await subscriptions.lockByUser(tx, userId);
      const cancellable = row && (row.status === "pending" || (row.status !== "cancelled" && subscriptionIsActive(row, at)));
      if (!cancellable) {
        if (row?.status === "cancelled" && subscriptionIsActive(row, at)) return; // already cancelled: nothing to do
        throw new DomainError("NOT_FOUND", "You have no subscription to cancel. GET /subscription shows your plan, if any.");
      }
      const paidUntil = row.status === "grace_period" ? row.currentPeriodEnd : row.expiresAt;
      await subscriptions.update(tx, row.id, {
        status: "cancelled",
        autoRenew: false,
        cancelledAt: at,
        cancelReason: reason,
        nextBillingDate: null,
        expiresAt: paidUntil.getTime() < row.expiresAt.getTime() ? paidUntil : row.expiresAt,
        updatedAt: at,
      });
      await payments.failPendingOf(tx, row.id, at, "subscription cancelled by the user");
    });
    return this.get(userId);
  }

  /** An operator (admin CLI) or the provider's webhook reports a payment's outcome. */
  async settle(paymentId: string, outcome: PaymentOutcome): Promise<SettledPayment> {
    return this.repositories.settlement.settlePayment(this.deps, paymentId, outcome, this.deps.now());
  }

  /** POST /subscription/webhook: the provider authenticates the call; then the outcome is settled. */
  async handleWebhook(
    rawBody: Uint8Array,
    headers: WebhookHeaders,
  ): Promise<{ paymentId: string; status: Payment["status"]; changed: boolean }> {
    return this.repositories.settlement.settleFromWebhook(this.deps, this.deps.provider, rawBody, headers, this.deps.now());
  }
}

function alreadySubscribed(row: Subscription, wanted: PlanName): DomainError {
  const until = row.expiresAt.toISOString().slice(0, 10);
  if (row.status === "grace_period") {
    return new DomainError(
      "CONFLICT",
      `Your ${row.plan} plan's renewal is not paid yet: complete the payment shown as pendingPayment in GET /subscription before ${until} to keep it.`,
    );
  }
  if (row.plan === wanted) {
    return new DomainError(
      "CONFLICT",
      `You already have the ${row.plan} plan (${row.status}, until ${until}). Nothing to do; it renews automatically unless you cancel it.`,
    );
  }
  return new DomainError(
    "CONFLICT",
    `You have the ${row.plan} plan until ${until}. To move to ${wanted}, cancel it (DELETE /subscription) and subscribe to ${wanted} once it has ended.`,
  );
}

function instructionsFor(payment: Payment, fromProvider: string | null): string {
  if (payment.status === "paid") return "Payment received: your subscription is active.";
  if (payment.status === "failed" || payment.status === "expired")
    return `The payment ${payment.status === "failed" ? "failed" : "expired"} (${payment.failureReason ?? "no reason given"}). Try again with POST /subscription.`;
  return (
    fromProvider ??
    `Complete payment ${payment.id}${payment.checkoutUrl ? ` at ${payment.checkoutUrl}` : ""}; the subscription starts once it is confirmed.`
  );
}
