import { describe, expect, it } from "vitest";
import { acceptedFiles, addFiles, checkFile, MAX_FILE_BYTES, type FileLike } from "../../src/lib/file-checks.ts";

const file = (name: string, size = 1000, type = "image/jpeg", lastModified = 1): FileLike => ({ name, size, type, lastModified });

describe("checkFile", () => {
  it("accepts the six image types, by MIME type or, without one, by extension", () => {
    for (const type of ["image/jpeg", "image/png", "image/webp", "image/avif", "image/tiff", "image/gif"])
      expect(checkFile(file("x", 10, type))).toBeNull();
    expect(checkFile(file("scan.TIFF", 10, ""))).toBeNull();
    expect(checkFile(file("photo.heic", 10, "image/heic"))).toMatch(/Not a supported image/);
    expect(checkFile(file("notes.txt", 10, "text/plain"))).toMatch(/Not a supported image/);
  });

  it("refuses empty files and files over 10 MB, saying the size", () => {
    expect(checkFile(file("a.jpg", 0))).toBe("The file is empty.");
    expect(checkFile(file("a.jpg", MAX_FILE_BYTES))).toBeNull();
    expect(checkFile(file("a.jpg", 12.5 * 1024 * 1024))).toBe("Too large (12.5 MB): the limit is 10.0 MB per image.");
  });
});

describe("addFiles", () => {
  it("marks duplicates of files already in the batch, and of files in the same drop", () => {
    const first = addFiles([], [file("a.jpg"), file("b.jpg"), file("a.jpg")]);
    expect(first.map((c) => c.reason)).toEqual([null, null, "Already in this batch."]);
    const second = addFiles(first, [file("b.jpg"), file("b.jpg", 1001)]);
    expect(second.slice(3).map((c) => c.reason)).toEqual(["Already in this batch.", null]);
    expect(acceptedFiles(second).map((f) => f.name)).toEqual(["a.jpg", "b.jpg", "b.jpg"]);
  });

  it("accepts at most 500 images and says why the rest are refused", () => {
    const many = Array.from({ length: 502 }, (_, i) => file(`p${i}.jpg`));
    const result = addFiles([], many);
    expect(acceptedFiles(result)).toHaveLength(500);
    expect(result[500]!.reason).toMatch(/Over the limit of 500 images/);
    // Removing a rejected file does not count against the limit; a bad file does not use a slot.
    const withBad = addFiles([], [file("bad.txt", 1, "text/plain"), ...many.slice(0, 500)]);
    expect(acceptedFiles(withBad)).toHaveLength(500);
  });

  it("gives every candidate its own id", () => {
    const result = addFiles([], [file("a.jpg"), file("a.jpg")]);
    expect(new Set(result.map((c) => c.id)).size).toBe(2);
  });
});
