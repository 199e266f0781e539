import { describe, expect, it } from "vitest";
import { normaliseCrop, parseBackground, parseCommand, UsageError } from "../src/args.ts";

const remove = (...extra: string[]) => parseCommand(["remove", "a.jpg", "--tier", "basic", "--out", "out", ...extra]);

describe("parseCommand", () => {
  it("asks for help with no arguments, --help, -h or `help`", () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"], ["remove", "--help"]]) {
      expect(parseCommand(argv)).toEqual({ kind: "help" });
    }
  });

  it("parses a minimal remove with defaults", () => {
    expect(remove()).toEqual({
      kind: "remove",
      inputs: ["a.jpg"],
      outDir: "out",
      options: { tier: "basic", format: "png", background: "transparent", result: "cutout", crop: false },
      engine: { cacheDir: undefined, modelDirs: [], threads: undefined },
    });
  });

  it("parses every remove option, in any order", () => {
    const command = parseCommand([
      "--tier=industry",
      "remove",
      "a.jpg",
      "dir",
      "-o",
      "out",
      "-f",
      "webp",
      "--background",
      "FFF",
      "--result",
      "mask",
      "--crop",
      "12",
      "--threads",
      "2",
      "--models-dir",
      "m1",
      "--models-dir",
      "m2",
      "--cache-dir",
      "c",
    ]);
    expect(command).toEqual({
      kind: "remove",
      inputs: ["a.jpg", "dir"],
      outDir: "out",
      options: { tier: "industry", format: "webp", background: "#fff", result: "mask", crop: { marginPx: 12 } },
      engine: { cacheDir: "c", modelDirs: ["m1", "m2"], threads: 2 },
    });
  });

  it("takes a bare --crop as a zero margin, also before a file name", () => {
    expect(remove("--crop")).toMatchObject({ options: { crop: { marginPx: 0 } } });
    expect(parseCommand(["remove", "--crop", "b.jpg", "-t", "basic", "-o", "out"])).toMatchObject({
      inputs: ["b.jpg"],
      options: { crop: { marginPx: 0 } },
    });
    expect(remove("--crop=7")).toMatchObject({ options: { crop: { marginPx: 7 } } });
  });

  it("allows jpg with a background colour, or for a mask", () => {
    expect(remove("--format", "jpg", "--background", "#000000")).toMatchObject({ options: { format: "jpg", background: "#000000" } });
    expect(remove("--format", "jpg", "--result", "mask")).toMatchObject({ options: { format: "jpg", result: "mask" } });
  });

  it("parses models with engine options", () => {
    expect(parseCommand(["models", "--cache-dir", "c", "--models-dir", "m"])).toEqual({
      kind: "models",
      engine: { cacheDir: "c", modelDirs: ["m"], threads: undefined },
    });
  });

  it.each([
    [["frobnicate"], /Unknown command "frobnicate"/],
    [["remove", "--tier", "basic", "--out", "o"], /at least one image/],
    [["remove", "a.jpg", "--out", "o"], /--tier is required/],
    [["remove", "a.jpg", "--tier", "ultra", "--out", "o"], /Unknown tier "ultra"/],
    [["remove", "a.jpg", "--tier", "basic"], /--out is required/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--format", "gif"], /--format must be one of png, webp, jpg/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--format", "jpg"], /JPEG has no transparency/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--result", "matte"], /--result must be one of cutout, mask/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--background", "red"], /--background must be/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--threads", "0"], /--threads must be at least 1/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--threads", "two"], /--threads must be a whole number/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--crop=-3"], /--crop must be a whole number/],
    [["remove", "a.jpg", "-t", "basic", "-o", "o", "--bogus"], /^Unknown option '--bogus'$/],
    [["remove", "a.jpg", "-t", "basic", "--out"], /argument missing/],
    [["models", "--tier", "basic"], /--tier does not apply to "models"/],
    [["models", "extra"], /takes no arguments/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrowError(UsageError);
    expect(() => parseCommand(argv)).toThrowError(message);
  });
});

describe("normaliseCrop", () => {
  it("gives a bare --crop an explicit zero unless a whole number follows", () => {
    expect(normaliseCrop(["--crop", "5", "a.jpg"])).toEqual(["--crop", "5", "a.jpg"]);
    expect(normaliseCrop(["--crop", "a.jpg"])).toEqual(["--crop=0", "a.jpg"]);
    expect(normaliseCrop(["a.jpg", "--crop"])).toEqual(["a.jpg", "--crop=0"]);
  });
});

describe("parseBackground", () => {
  it("normalises hex colours and keeps transparent", () => {
    expect(parseBackground("transparent")).toBe("transparent");
    expect(parseBackground("#ABCDEF")).toBe("#abcdef");
    expect(parseBackground("abc")).toBe("#abc");
    expect(() => parseBackground("#abcd")).toThrowError(UsageError);
  });
});
