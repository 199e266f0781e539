import type { Subscription } from "@bgr/db";
import type { QuotaCaps, TierName } from "@bgr/domain";
import type { RemovalRepository } from "../../src/removal/removal.repository.ts";
import type { QuotaRepository } from "../../src/subscriptions/quota.repository.ts";
import type { SubscriptionRepository } from "../../src/subscriptions/subscription.repository.ts";
import { copy, repository, type Snapshotting } from "./database.ts";

interface DayCounts {
  removals: number;
  basic: number;
  standard: number;
  professional: number;
}

/** Subscriptions, the daily usage counters and the removals' quota-refund claims, in memory. */
export class InMemorySubscriptions implements Snapshotting {
  subscriptions = new Map<string, Subscription>();
  /** `${subscriptionId}|${date}` → the day's counters. */
  usage = new Map<string, DayCounts>();
  /** Subscription-paid removals: id → when created, and whether their quota was given back. */
  removals = new Map<string, { createdAt: Date; refundedAt: Date | null }>();

  snapshot() {
    return copy({ subscriptions: this.subscriptions, usage: this.usage, removals: this.removals });
  }

  restore(state: unknown) {
    ({
      subscriptions: this.subscriptions,
      usage: this.usage,
      removals: this.removals,
    } = copy(state as ReturnType<InMemorySubscriptions["snapshot"]>));
  }

  counts(subscriptionId: string, date: string): DayCounts {
    return this.usage.get(`${subscriptionId}|${date}`) ?? { removals: 0, basic: 0, standard: 0, professional: 0 };
  }

  readonly subscriptionRepository: SubscriptionRepository = repository<SubscriptionRepository>("subscriptionRepository", {
    findByUser: async (_executor, userId) => [...this.subscriptions.values()].find((row) => row.userId === userId) ?? null,
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

  readonly removalRepository: RemovalRepository = repository<RemovalRepository>("removalRepository", {
    claimQuotaRefund: async (_executor, jobId, at) => {
      const row = this.removals.get(jobId);
      if (!row || row.refundedAt) return null;
      row.refundedAt = at;
      return { createdAt: row.createdAt };
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
