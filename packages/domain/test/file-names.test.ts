import { describe, expect, it } from "vitest";
import { capFileName, FILE_NAME_LIMITS, hasControlCharacters, storedFileName } from "../src/file-names.ts";

describe("storedFileName", () => {
  it("keeps short names as they are, minus any path", () => {
    expect(storedFileName("cat.jpg")).toBe("cat.jpg");
    expect(storedFileName("../../etc/passwd.png")).toBe("passwd.png");
    expect(storedFileName("C:\\photos\\dog.webp")).toBe("dog.webp");
  });

  it("caps a 300-character name at 120 characters, keeping the extension", () => {
    const name = storedFileName(`${"a".repeat(300)}.jpeg`);
    expect([...name].length).toBe(FILE_NAME_LIMITS.maxChars);
    expect(name.endsWith(".jpeg")).toBe(true);
  });

  it("caps multi-byte names by bytes too, never splitting a character", () => {
    const name = storedFileName(`${"😀".repeat(200)}.png`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(FILE_NAME_LIMITS.maxBytes);
    expect(name).toMatch(/^(😀)+\.png$/u);
  });

  it("removes control characters and falls back when nothing is left", () => {
    expect(storedFileName("a\u0000b.png")).toBe("ab.png");
    expect(storedFileName("\u0000")).toBe("image");
    expect(hasControlCharacters("a\u0000b")).toBe(true);
    expect(hasControlCharacters("ü é.png")).toBe(false);
  });

  it("treats a long dotted tail as part of the name, not as an extension", () => {
    const name = capFileName(`x.${"b".repeat(200)}`);
    expect([...name].length).toBe(FILE_NAME_LIMITS.maxChars);
  });
});
