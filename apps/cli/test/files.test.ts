import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignOutputNames, expandInputs, isImageFileName } from "../src/files.ts";

describe("assignOutputNames", () => {
  it("swaps the extension for the output format", () => {
    expect(assignOutputNames(["/in/photo.jpg", "/in/scan.tiff", "/in/noext"], "webp")).toEqual(["photo.webp", "scan.webp", "noext.webp"]);
  });

  it("numbers clashing names from 2, in input order", () => {
    expect(assignOutputNames(["/a/cat.jpg", "/b/cat.jpg", "/a/cat.png", "/a/dog.gif"], "png")).toEqual([
      "cat.png",
      "cat-2.png",
      "cat-3.png",
      "dog.png",
    ]);
  });

  it("treats names differing only in case as clashing", () => {
    expect(assignOutputNames(["/a/Cat.jpg", "/b/cat.JPG"], "png")).toEqual(["Cat.png", "cat-2.png"]);
  });

  it("never takes a name that another input maps to naturally", () => {
    expect(assignOutputNames(["/a/cat.jpg", "/b/cat.jpg", "/a/cat-2.jpg"], "png")).toEqual(["cat.png", "cat-3.png", "cat-2.png"]);
  });

  it("avoids names of inputs that live in the output directory", () => {
    expect(assignOutputNames(["/out/cat.png", "/out/cat.jpg"], "png", new Set(["cat.png", "cat.jpg"]))).toEqual(["cat-2.png", "cat-3.png"]);
  });
});

describe("isImageFileName", () => {
  it("accepts image extensions in any case and skips hidden files", () => {
    for (const name of ["a.jpg", "a.JPEG", "a.png", "a.webp", "a.avif", "a.tif", "a.TIFF", "a.gif"])
      expect(isImageFileName(name)).toBe(true);
    for (const name of ["a.txt", "a", "jpg", ".a.jpg", "a.jpg.bak"]) expect(isImageFileName(name)).toBe(false);
  });
});

describe("expandInputs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bgr-files-"));
    await mkdir(path.join(dir, "photos", "nested"), { recursive: true });
    await mkdir(path.join(dir, "empty"));
    for (const name of ["b.PNG", "a.jpg", "notes.txt", ".hidden.jpg", "nested/c.jpg"]) await writeFile(path.join(dir, "photos", name), "x");
    await writeFile(path.join(dir, "single.txt"), "x");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("lists a directory's images by name, takes named files as they are, and reports the rest", async () => {
    const result = await expandInputs(["photos", "single.txt", "photos/a.jpg", "missing.jpg", "empty"], dir);
    expect(result.files).toEqual([
      { path: path.join(dir, "photos", "a.jpg"), display: path.join("photos", "a.jpg") },
      { path: path.join(dir, "photos", "b.PNG"), display: path.join("photos", "b.PNG") },
      { path: path.join(dir, "single.txt"), display: "single.txt" },
    ]);
    expect(result.problems).toEqual([{ display: "missing.jpg", reason: "No such file or directory." }]);
    expect(result.emptyDirs).toEqual(["empty"]);
  });
});
