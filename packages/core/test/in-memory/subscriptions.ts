import type { Subscription } from "@bgr/db";
import type { QuotaCaps, TierName } from "@bgr/domain";
import type { QuotaRepository } from "../../src/subscriptions/quota.repository.ts";
import type { SubscriptionRepository } from "../../src/subscriptions/subscription.repository.ts";
import { copy, repository, type Snapshotting } from "./database.ts";

/** An active pro subscription (3 removals a day, 1 of them professional) running to 2026-12-20, unless overridden. */
export function subscriptionRow(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: "sub_1",
    userId: "usr_1",
    plan: "pro",
    status: "active",
    monthlyPrice: 99_000,
    currency: "IDR",
    dailyQuota: 3,
    professionalDailyQuota: 1,
    allowedTiers: ["basic", "standard", "professional"],
    subscribedAt: new Date("2026-11-20T00:00:00Z"),
    currentPeriodEnd: new Date("2026-12-20T00:00:00Z"),
    nextBillingDate: null,
    lastPaymentId: null,
    autoRenew: true,
    cancelledAt: null,
    cancelReason: null,
    expiresAt: new Date("2026-12-20T00:00:00Z"),
    createdAt: new Date("2026-11-20T00:00:00Z"),
    updatedAt: new Date("2026-11-20T00:00:00Z"),
    ...overrides,
  };
}

interface DayCounts {
  removals: number;
  basic: number;
  standard: number;
  professional: number;
}

/** Subscriptions and the daily usage counters, in memory. */
export class InMemorySubscriptions implements Snapshotting {
  subscriptions = new Map<string, Subscription>();
  /** `${subscriptionId}|${date}` → the day's counters. */
  usage = new Map<string, DayCounts>();

  snapshot() {
    return copy({ subscriptions: this.subscriptions, usage: this.usage });
  }

  restore(state: unknown) {
    ({ subscriptions: this.subscriptions, usage: this.usage } = copy(state as ReturnType<InMemorySubscriptions["snapshot"]>));
  }

  counts(subscriptionId: string, date: string): DayCounts {
    return this.usage.get(`${subscriptionId}|${date}`) ?? { removals: 0, basic: 0, standard: 0, professional: 0 };
  }

  subscription(id: string): Subscription {
    const row = this.subscriptions.get(id);
    if (!row) throw new Error(`no subscription ${id}`);
    return row;
  }

  private byUser(userId: string): Subscription | null {
    return [...this.subscriptions.values()].find((row) => row.userId === userId) ?? null;
  }

  readonly subscriptionRepository: SubscriptionRepository = repository<SubscriptionRepository>("subscriptionRepository", {
    findByUser: async (_executor, userId) => this.byUser(userId),
    lockByUser: async (_tx, userId) => this.byUser(userId),
    lock: async (_tx, subscriptionId) => this.subscriptions.get(subscriptionId) ?? null,
    insert: async (_executor, draft) => {
      const row = subscriptionRow({ ...(draft as Partial<Subscription>), id: draft.id ?? `sub_${this.subscriptions.size + 1}` });
      this.subscriptions.set(row.id, row);
      return row;
    },
    update: async (_executor, subscriptionId, changes) => {
      const row = { ...this.subscription(subscriptionId), ...(changes as Partial<Subscription>) };
      this.subscriptions.set(subscriptionId, row);
      return row;
    },
    lockExpiringBy: async (_tx, statuses, now) =>
      [...this.subscriptions.values()].filter((row) => row.expiresAt <= now && statuses.includes(row.status)),
  });

  readonly quotaRepository: QuotaRepository = repository<QuotaRepository>("quotaRepository", {
    usageOn: async (_executor, subscriptionId, date) => {
      const { removals, professional } = this.counts(subscriptionId, date);
      return { removals, professional };
    },
    countUse: async (_executor, day, tier, caps: QuotaCaps) => {
      const counts = this.counts(day.subscriptionId, day.date);
      if (counts.removals >= caps.removals || (caps.professional !== null && counts.professional >= caps.professional)) return false;
      this.usage.set(`${day.subscriptionId}|${day.date}`, { ...counts, removals: counts.removals + 1, ...bump(counts, tier, +1) });
      return true;
    },
    uncountUse: async (_executor, subscriptionId, date, tier) => {
      const counts = this.counts(subscriptionId, date);
      const column = tierColumn(tier);
      if (counts.removals === 0 || (column && counts[column] === 0)) return;
      this.usage.set(`${subscriptionId}|${date}`, { ...counts, removals: counts.removals - 1, ...bump(counts, tier, -1) });
    },
  });
}

function tierColumn(tier: TierName): "basic" | "standard" | "professional" | null {
  return tier === "industry" ? null : tier;
}

function bump(counts: DayCounts, tier: TierName, by: number): Partial<DayCounts> {
  const column = tierColumn(tier);
  return column ? { [column]: counts[column] + by } : {};
}
