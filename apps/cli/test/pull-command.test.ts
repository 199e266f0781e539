import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../src/args.ts";
import { formatBytes, formatDownloadBar } from "../src/pull-command.ts";

describe("parseCommand: models pull", () => {
  it("reads the pack id, a mirror URL and a checksum (sha256 by default, md5: prefixed)", () => {
    expect(parseCommand(["models", "pull", "birefnet-general"])).toEqual({
      kind: "pull",
      id: "birefnet-general",
      url: undefined,
      checksum: undefined,
      cacheDir: undefined,
    });
    const hex = "ab".repeat(32);
    expect(
      parseCommand([
        "models",
        "pull",
        "ben2-base",
        "--url",
        "https://mirror.example/ben2.onnx",
        "--sha256",
        hex.toUpperCase(),
        "--cache-dir",
        "c",
      ]),
    ).toEqual({
      kind: "pull",
      id: "ben2-base",
      url: "https://mirror.example/ben2.onnx",
      checksum: { algorithm: "sha256", hex },
      cacheDir: "c",
    });
    expect(parseCommand(["models", "pull", "ben2-base", "--sha256", `md5:${"c".repeat(32)}`])).toMatchObject({
      checksum: { algorithm: "md5", hex: "c".repeat(32) },
    });
  });

  it.each([
    [["models", "pull"], /Name the model pack to pull: one of birefnet-general, /],
    [["models", "pull", "a", "b"], /takes one model id/],
    [["models", "pull", "bria-rmbg"], /"bria-rmbg" is not a model pack/],
    [["models", "pull", "ben2-base", "--url", "ftp://x"], /--url must be an http\(s\) URL/],
    [["models", "pull", "ben2-base", "--threads", "2"], /--threads does not apply to "models pull"/],
    [["models", "list"], /"models" takes no arguments but "pull <id>"/],
    [["remove", "x.jpg", "--url", "http://x"], /--url does not apply to "remove"/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe("formatDownloadBar", () => {
  it("shows the share done, the amounts, the rate and the time left", () => {
    expect(formatDownloadBar({ bytes: 340e6, totalBytes: 973e6, bytesPerSecond: 11.2e6 }, 100)).toBe(
      "[#######-------------] 34%  340 MB / 973 MB  11 MB/s  ETA 57s",
    );
  });

  it("copes with an unknown size and a narrow terminal", () => {
    expect(formatDownloadBar({ bytes: 5e6, totalBytes: null, bytesPerSecond: null }, 80)).toBe("[downloading]  5.0 MB");
    expect(formatDownloadBar({ bytes: 1, totalBytes: 2, bytesPerSecond: null }, 12)).toHaveLength(11);
  });
});

describe("formatBytes", () => {
  it.each([
    [512, "512 B"],
    [850_000, "850 kB"],
    [5_400_000, "5.4 MB"],
    [973_000_000, "973 MB"],
    [1_250_000_000, "1.25 GB"],
  ])("%d → %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
