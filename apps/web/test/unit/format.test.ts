import { describe, expect, it } from "vitest";
import { planCoverage } from "../../src/lib/coverage.ts";
import { formatBytes, formatCredits, formatRemaining, formatWait, remainingMs, resultFileName } from "../../src/lib/format.ts";
import { parseRoute } from "../../src/lib/route.ts";

describe("formatting", () => {
  it("formats sizes, credits and waits", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(35_784)).toBe("35 KB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10.0 MB");
    expect(formatCredits(1)).toBe("1 credit");
    expect(formatCredits(3200)).toBe("3,200 credits");
    expect(formatCredits(7.2)).toBe("7.2 credits");
    expect(formatWait(1)).toBe("1 second");
    expect(formatWait(90)).toBe("2 minutes");
    expect(formatWait(3900)).toBe("1 hour 5 min");
    expect(resultFileName("holiday.photo.jpg", "webp")).toBe("holiday.photo-no-bg.webp");
  });

  it("estimates the time left from the pace so far, else the server's estimate", () => {
    const now = Date.parse("2025-01-01T00:01:00Z");
    expect(remainingMs({ estimatedCompletionAt: null, startedAt: "2025-01-01T00:00:00Z", done: 2, total: 6, now })).toBe(120_000);
    expect(remainingMs({ estimatedCompletionAt: "2025-01-01T00:03:00Z", startedAt: null, done: 0, total: 6, now })).toBe(120_000);
    expect(remainingMs({ estimatedCompletionAt: null, startedAt: null, done: 0, total: 6, now })).toBeNull();
    expect(formatRemaining(120_000)).toBe("about 2 minutes left");
    expect(formatRemaining(null)).toBe("estimating…");
  });
});

describe("planCoverage", () => {
  const pro = {
    hasSubscription: true as const,
    plan: "pro",
    status: "active",
    pricing: { monthlyPrice: 299000, currency: "IDR" },
    quotas: {
      daily: { limit: 200, used: 47, remaining: 153, resetsAt: "2025-01-16T00:00:00Z" },
      professionalTier: { limit: 50, used: 50, remaining: 0 },
    },
    allowedTiers: ["basic" as const, "standard" as const, "professional" as const],
    billing: { nextBillingDate: null, subscribedAt: "2025-01-15T00:00:00Z" },
  };

  it("says which tiers the plan pays for today", () => {
    expect(planCoverage(pro, "standard")).toEqual({ covered: true, note: "Covered by your Pro plan (153 left today)" });
    expect(planCoverage(pro, "professional").covered).toBe(false);
    expect(planCoverage(pro, "industry").note).toBe("Not in your Pro plan: paid with credits");
    expect(planCoverage(null, "basic")).toEqual({ covered: false, note: "Paid with credits" });
  });
});

describe("parseRoute", () => {
  it("maps paths to screens", () => {
    expect(parseRoute("/")).toEqual({ view: "single" });
    expect(parseRoute("/batch")).toEqual({ view: "batch" });
    expect(parseRoute("/keys")).toEqual({ view: "keys" });
    expect(parseRoute("/settings")).toEqual({ view: "settings" });
    expect(parseRoute("/batches/batch_1")).toEqual({ view: "batch-detail", batchId: "batch_1" });
    expect(parseRoute("/history", "?page=3")).toEqual({ view: "history", page: 3 });
    expect(parseRoute("/history", "?page=x")).toEqual({ view: "history", page: 1 });
    expect(parseRoute("/results/job_1")).toEqual({ view: "result", jobId: "job_1" });
    expect(parseRoute("/nowhere")).toEqual({ view: "single" });
  });
});

describe("money on screen", () => {
  it("shows rupiah as Rp 99.000 through the shared formatter", async () => {
    const { formatRupiah } = await import("../../src/lib/format.ts");
    expect(formatRupiah(99_000)).toBe("Rp 99.000");
  });
});
