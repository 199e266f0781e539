import type { ModelInfo } from "@bgr/engine";
import { describe, expect, it } from "vitest";
import { formatModelsTable } from "../src/models-command.ts";

const model = (id: string, description: string, availability: ModelInfo["availability"]) =>
  ({ definition: { id, description, inputSize: 1024 }, availability }) as ModelInfo;

describe("formatModelsTable", () => {
  it("aligns one row per model under a header", () => {
    const table = formatModelsTable([model("big", "A big model", "ready"), model("s", "Small", "missing")], (id) => (id === "big" ? ["standard", "industry"] : []));
    expect(table.split("\n")).toEqual([
      "ID   DESCRIPTION  INPUT      AVAILABILITY  TIERS",
      "big  A big model  1024x1024  ready         standard, industry",
      "s    Small        1024x1024  missing       -",
    ]);
  });
});
