import { describe, expect, it } from "vitest";
import { sniffImageFormat } from "../src/image-format.ts";

describe("sniffImageFormat", () => {
  const bytes = (...parts: Array<string | number[]>) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
  const ftyp = (major: string, ...compatible: string[]) => {
    const body = bytes("ftyp", major, [0, 0, 0, 0], ...compatible);
    return Buffer.concat([Buffer.from([0, 0, 0, body.length + 4]), body]);
  };

  it("recognises a real PNG", () => {
    // A complete 1×1 PNG as an encoder writes it.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    expect(sniffImageFormat(png)).toBe("png");
  });

  it.each([
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xdb])],
    ["webp", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 ")],
    ["gif", bytes("GIF89a")],
    ["gif", bytes("GIF87a")],
    ["tiff", bytes([0x49, 0x49, 0x2a, 0x00])],
    ["tiff", bytes([0x4d, 0x4d, 0x00, 0x2a])],
    ["avif", ftyp("avif", "mif1", "miaf")],
    ["avif", ftyp("mif1", "avif")],
    ["heif", ftyp("heic", "mif1")],
  ])("recognises %s", (format, sample) => {
    expect(sniffImageFormat(sample)).toBe(format);
  });

  it.each([
    ["empty", bytes()],
    ["a truncated PNG signature", bytes([0x89, 0x50, 0x4e, 0x47])],
    ["SVG", bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ["HTML", bytes("<!doctype html>")],
    ["an MP4", ftyp("isom", "mp41")],
    ["RIFF audio", bytes("RIFF", [0, 0, 0, 0], "WAVE")],
  ])("refuses %s", (_case, sample) => {
    expect(sniffImageFormat(sample)).toBeNull();
  });
});
