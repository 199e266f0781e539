import { afterEach, describe, expect, it } from "vitest";
import { en } from "../../src/i18n/en.ts";
import { i18n, locale, preferredLanguage } from "../../src/i18n/i18n.ts";
import { id } from "../../src/i18n/id.ts";
import type { Resource } from "../../src/i18n/resource.ts";
import { batchFigures } from "../../src/lib/batch-figures.ts";
import { planCoverage } from "../../src/lib/coverage.ts";
import { describeError } from "../../src/lib/describe-error.ts";
import { checkFile } from "../../src/lib/file-checks.ts";
import { creditCostLine, formatBytes, formatCredits, formatDateTime, formatRupiah, formatWait } from "../../src/lib/format.ts";
import { tierLabel } from "../../src/lib/tiers.ts";

/** Every leaf of a resource as "a.b.c" → its text. */
function leaves(resource: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(resource)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value as object, path)) out.set(k, v);
  }
  return out;
}

/** The {{placeholders}} and <tags> of one text, sorted, so both languages can be compared. */
function slots(text: string): string[] {
  const placeholders = [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => `{{${m[1]}}}`);
  const tags = [...text.matchAll(/<\/?(\w+)\s*\/?>/g)].map((m) => `<${m[1]}>`);
  return [...placeholders, ...tags].sort();
}

describe("resources", () => {
  const english = leaves(en);
  const indonesian = leaves(id);

  it("have exactly the same keys in English and Indonesian", () => {
    expect([...indonesian.keys()].sort()).toEqual([...english.keys()].sort());
    expect(english.size).toBeGreaterThan(300);
  });

  it("have the same {{placeholders}} and <tags> for each key", () => {
    const mismatched = [...english]
      .filter(([key, text]) => slots(text).join() !== slots(indonesian.get(key) ?? "").join())
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it("are held to the English shape by the type checker (typecheck runs over this file)", () => {
    // @ts-expect-error a language that lacks a key is refused
    const missing: Resource = { ...id, language: { label: "Bahasa", en: "English" } };
    // @ts-expect-error a language with a key English does not have is refused
    const extra = { ...id, language: { ...id.language, jv: "Jawa" } } satisfies Resource;
    expect([missing, extra]).toHaveLength(2);
  });

  it("leave no Indonesian text empty", () => {
    expect([...indonesian].filter(([, text]) => text.trim() === "").map(([key]) => key)).toEqual([]);
  });

  it("the slot check itself tells a dropped placeholder and a renamed tag apart from a match", () => {
    expect(slots("{{a}} of <b>{{c}}</b>")).toEqual(slots("<b>{{c}}</b> dari {{a}}"));
    expect(slots("{{a}} of {{c}}")).not.toEqual(slots("{{a}} dari"));
    expect(slots("<b>x</b>")).not.toEqual(slots("<strong>x</strong>"));
  });
});

describe("preferredLanguage", () => {
  it("takes a saved choice first, then the first browser language we have, else English", () => {
    expect(preferredLanguage("en", ["id-ID"])).toBe("en");
    expect(preferredLanguage(null, ["id-ID", "en-US"])).toBe("id");
    expect(preferredLanguage(null, ["id"])).toBe("id");
    expect(preferredLanguage(null, ["en-GB", "id"])).toBe("en");
    expect(preferredLanguage(null, ["jv-ID", "id-ID"])).toBe("id");
    expect(preferredLanguage("fr", ["de-DE"])).toBe("en");
    expect(preferredLanguage(null, [])).toBe("en");
  });
});

describe("Indonesian", () => {
  afterEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("writes numbers and dates in id-ID, and money stays rupiah in both languages", async () => {
    expect(formatCredits(3200)).toBe("3,200 credits");
    expect(formatRupiah(99_000)).toBe("Rp 99.000");
    await i18n.changeLanguage("id");
    expect(locale()).toBe("id-ID");
    expect(formatCredits(3200)).toBe("3.200 kredit");
    expect(formatCredits(1)).toBe("1 kredit");
    expect(formatCredits(7.25)).toBe("7,25 kredit");
    expect(formatBytes(12.5 * 1024 * 1024)).toBe("12,5 MB");
    expect(formatWait(3900)).toBe("1 jam 5 mnt");
    expect(formatRupiah(99_000)).toBe("Rp 99.000");
    expect(creditCostLine(8)).toBe("8 kredit ≈ Rp 2.800–4.000 (Rp 350–500 per kredit, tergantung paket).");
    expect(formatDateTime("2025-01-16T09:30:00Z")).toBe(
      new Date("2025-01-16T09:30:00Z").toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" }),
    );
    expect(formatDateTime("2025-01-16T09:30:00Z")).toContain("Jan 2025");
  });

  it("words the helpers' messages in Indonesian, with the numbers in place", async () => {
    await i18n.changeLanguage("id");
    expect(
      describeError({
        status: 402,
        code: "INSUFFICIENT_CREDITS",
        message: "x",
        details: { required: 1200, available: 500 },
        retryAfterSeconds: null,
      }),
    ).toBe("Kredit tidak cukup: perlu 1.200, Anda punya 500. Isi ulang kredit atau pilih tingkat yang lebih murah.");
    expect(checkFile({ name: "a.jpg", size: 0, type: "image/jpeg", lastModified: 1 })).toBe("Berkas ini kosong.");
    expect(tierLabel("professional")).toBe("Profesional");
    expect(
      planCoverage({ hasSubscription: true, plan: "pro", allowedTiers: ["basic"], quotas: { daily: { remaining: 1500 } } }, "basic").note,
    ).toBe("Ditanggung paket Pro (sisa 1.500 hari ini)");
    expect(
      batchFigures({
        progress: { totalImages: 5, processedImages: 2, failedImages: 0, cancelledImages: 3, percentage: 40 },
        pricing: { totalCredits: 40, refundedCredits: 24, netCredits: 16 },
      }),
    ).toEqual({ progressLine: "2 dari 5 selesai · 3 dibatalkan", creditsLine: "16 kredit (24 kredit dikembalikan)" });
  });
});
