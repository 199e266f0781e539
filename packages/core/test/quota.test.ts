import type { Subscription } from "@bgr/db";
import { priceSingle } from "@bgr/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { createQuotaService, type QuotaService } from "../src/subscriptions/quota.ts";
import { removalRow } from "./in-memory/batches.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { InMemoryRemovals } from "./in-memory/removals.ts";
import { InMemorySubscriptions, subscriptionRow } from "./in-memory/subscriptions.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";

const subscription = (overrides: Partial<Subscription> = {}) => subscriptionRow({ userId: USER, ...overrides });

describe("the quota service over in-memory repositories", () => {
  let store: InMemorySubscriptions;
  let removals: InMemoryRemovals;
  let quota: QuotaService;
  const db = () => inMemoryDatabase(store, removals);
  const use = (tier: "basic" | "standard" | "professional" | "industry", timeZone = "UTC", now = NOW) =>
    db().transaction((tx) => quota.useQuotaOrDecideCredits(tx, { userId: USER, tier, now, timeZone }));

  beforeEach(() => {
    store = new InMemorySubscriptions();
    removals = new InMemoryRemovals();
    store.subscriptions.set("sub_1", subscription());
    quota = createQuotaService({
      quota: store.quotaRepository,
      subscriptions: store.subscriptionRepository,
      removals: removals.repository,
    });
  });

  it("lets the subscription pay until the day's quota is used, then charges credits with the reason", async () => {
    expect(await use("basic")).toEqual({ pay: "subscription" });
    expect(await use("standard")).toEqual({ pay: "subscription" });
    expect(await use("basic")).toEqual({ pay: "subscription" });
    expect(await use("basic")).toEqual({ pay: "credits", credits: priceSingle("basic"), reason: "quota_exhausted" });
    expect(store.counts("sub_1", "2026-12-04")).toEqual({ removals: 3, basic: 2, standard: 1, professional: 0 });
  });

  it("caps professional removals separately inside the daily quota", async () => {
    expect(await use("professional")).toEqual({ pay: "subscription" });
    expect(await use("professional")).toMatchObject({ pay: "credits", reason: "quota_exhausted" });
    expect(await use("basic")).toEqual({ pay: "subscription" });
    expect(store.counts("sub_1", "2026-12-04")).toMatchObject({ removals: 2, professional: 1 });
  });

  it("charges credits, counting nothing, for a tier outside the plan or without an active subscription", async () => {
    expect(await use("industry")).toEqual({ pay: "credits", credits: priceSingle("industry"), reason: "tier_not_in_plan" });
    store.subscriptions.set("sub_1", subscription({ status: "expired" }));
    expect(await use("basic")).toMatchObject({ pay: "credits", reason: "subscription_inactive" });
    store.subscriptions.clear();
    expect(await use("basic")).toMatchObject({ pay: "credits", reason: "no_subscription" });
    expect(store.usage.size).toBe(0);
  });

  it("counts into the quota day of QUOTA_TIMEZONE: 20:00 UTC is already tomorrow in Jakarta", async () => {
    const evening = new Date("2026-12-04T20:00:00Z");
    await use("basic", "Asia/Jakarta", evening);
    expect(store.counts("sub_1", "2026-12-05").removals).toBe(1);
    expect(store.counts("sub_1", "2026-12-04").removals).toBe(0);
  });

  it("decideSingle answers what use would decide without counting", async () => {
    const { decision, day } = await quota.decideSingle(db(), { userId: USER, tier: "professional", now: NOW, timeZone: "UTC" });
    expect(decision).toEqual({ pay: "subscription" });
    expect(day).toBe("2026-12-04");
    expect(store.usage.size).toBe(0);
  });

  it("gives a failed removal's use back once, into the day it was counted in", async () => {
    const created = new Date("2026-12-03T23:30:00Z");
    await use("professional", "UTC", created);
    removals.rows.set(
      "job_1",
      removalRow({ id: "job_1", userId: USER, tier: "professional", pricingType: "subscription", createdAt: created }),
    );
    const job = { id: "job_1", userId: USER, tier: "professional" as const };

    const giveBack = () => db().transaction((tx) => quota.returnQuota(tx, job, NOW, "UTC"));
    expect(await giveBack()).toBe(true);
    expect(await giveBack()).toBe(false);
    expect(store.counts("sub_1", "2026-12-03")).toMatchObject({ removals: 0, professional: 0 });
    expect(removals.rows.get("job_1")?.refundedAt).toEqual(NOW);
  });
});
