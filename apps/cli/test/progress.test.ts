import { describe, expect, it } from "vitest";
import { formatBar, formatDuration, formatOutcome } from "../src/progress.ts";

describe("formatBar", () => {
  it("shows count, current file, rate and ETA", () => {
    expect(formatBar({ done: 12, total: 40, current: "photo.jpg", secondsPerImage: 1.2 }, 100)).toBe(
      "[######--------------] 12/40  photo.jpg  1.2s/img  ETA 34s",
    );
  });

  it("leaves out the rate before the first image and the ETA at the end", () => {
    expect(formatBar({ done: 0, total: 3, current: "a.jpg", secondsPerImage: null }, 80)).toBe("[--------------------] 0/3  a.jpg");
    expect(formatBar({ done: 3, total: 3, current: "c.jpg", secondsPerImage: 2 }, 80)).toBe("[####################] 3/3  c.jpg");
  });

  it("shortens a long path from the left to fit the terminal", () => {
    const line = formatBar({ done: 1, total: 2, current: "some/very/long/directory/name/photo.jpg", secondsPerImage: 2 }, 60);
    expect(line.length).toBeLessThan(60);
    expect(line).toContain("…");
    expect(line).toContain("photo.jpg");
  });
});

describe("formatDuration", () => {
  it("picks a readable unit", () => {
    expect(formatDuration(0.42)).toBe("0.4s");
    expect(formatDuration(3.25)).toBe("3.3s");
    expect(formatDuration(34.4)).toBe("34s");
    expect(formatDuration(125)).toBe("2m05s");
    expect(formatDuration(3720)).toBe("1h02m");
  });
});

describe("formatOutcome", () => {
  it("names the file in both success and failure lines", () => {
    expect(formatOutcome(0, 2, "in/a.jpg", { ok: true, outputName: "a.png", width: 10, height: 20, seconds: 1.5 })).toBe(
      "[1/2] in/a.jpg -> a.png (10x20, 1.5s)",
    );
    expect(formatOutcome(1, 2, "in/bad.png", { ok: false, reason: "Not an image." })).toBe("error: in/bad.png: Not an image.");
  });
});
