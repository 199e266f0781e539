import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "../../src/i18n/i18n.ts";
import { batchName } from "../../src/lib/batch-name.ts";

const batch = { batchId: "b-1", name: null, firstFileName: "boneka.jpg", totalImages: 3 };

describe("batchName", () => {
  afterEach(() => i18n.changeLanguage("en"));

  it("prefers the owner's name, then the first file and how many more", async () => {
    await i18n.changeLanguage("en");
    expect(batchName({ ...batch, name: "Katalog" })).toBe("Katalog");
    expect(batchName(batch)).toBe("boneka.jpg and 2 more");
    await i18n.changeLanguage("id");
    expect(batchName(batch)).toBe("boneka.jpg dan 2 lainnya");
  });

  it("names a one-image batch after its file alone, and a batch without files by its id", async () => {
    await i18n.changeLanguage("id");
    expect(batchName({ ...batch, totalImages: 1 })).toBe("boneka.jpg");
    expect(batchName({ ...batch, firstFileName: null })).toBe("b-1");
  });
});
