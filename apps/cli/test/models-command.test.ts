import type { ModelInfo } from "@bgr/engine";
import { describe, expect, it } from "vitest";
import { formatModelsTable, formatTiersTable } from "../src/models-command.ts";

const local = (id: string, availability: ModelInfo["availability"], sizeBytes: number | null) =>
  ({
    definition: { id, description: `The ${id}`, inputSize: 1024, source: { kind: "file", path: "/m.onnx" } },
    availability,
    sizeBytes,
  }) as ModelInfo;
const pack = (id: string, availability: ModelInfo["availability"]) =>
  ({
    definition: {
      id,
      description: `Pack ${id}`,
      licence: "MIT",
      inputSize: 1024,
      source: { kind: "pack", url: "https://x", checksum: { algorithm: "md5", hex: "0" }, sizeBytes: 973_000_000 },
    },
    availability,
    sizeBytes: 973_000_000,
  }) as ModelInfo;
const tiers = [
  { tier: "standard", model: "big", choices: ["big"] },
  { tier: "industry", model: "big", choices: ["strong", "big"] },
];

describe("formatModelsTable", () => {
  it("aligns one row per model with licence, size, availability and the tiers that use it now", () => {
    expect(
      formatModelsTable([local("big", "ready", 88_188_479), local("s", "missing", null), pack("strong", "missing")], tiers).split("\n"),
    ).toEqual([
      "ID      LICENCE  SIZE     INPUT      AVAILABILITY  TIERS               DESCRIPTION",
      "big     -        88 MB    1024x1024  ready         standard, industry  The big",
      "s       -        -        1024x1024  missing       -                   The s",
      "strong  MIT      ~973 MB  1024x1024  missing       -                   Pack strong",
    ]);
  });
});

describe("formatTiersTable", () => {
  it("shows each tier's model now and its list, marking the missing ones", () => {
    expect(formatTiersTable(tiers, [local("big", "ready", 1), pack("strong", "missing")]).split("\n")).toEqual([
      "TIER      USES NOW  MODELS (BEST FIRST; THE FIRST INSTALLED ONE IS USED)",
      "standard  big       big",
      "industry  big       strong (missing), big",
    ]);
  });
});
