import { describe, expect, it } from "vitest";
import { subjectBox } from "../src/matte/subject-box.ts";

/** A width x height probability map that is `inside` over the rectangle and 0 elsewhere. */
function mapWithRect(width: number, height: number, rect: { x: number; y: number; width: number; height: number }, inside = 1) {
  const map = new Float32Array(width * height);
  for (let y = rect.y; y < rect.y + rect.height; y++) map.fill(inside, y * width + rect.x, y * width + rect.x + rect.width);
  return map;
}

describe("subjectBox", () => {
  const rect = { x: 5, y: 2, width: 5, height: 4 };

  it("finds a known rectangle", () => {
    expect(subjectBox(mapWithRect(20, 10, rect), 20, 10, 20, 10, 0.5, 0)).toEqual(rect);
  });

  it("scales the box from the map's resolution to the image's", () => {
    expect(subjectBox(mapWithRect(20, 10, rect), 20, 10, 200, 100, 0.5, 0)).toEqual({ x: 50, y: 20, width: 50, height: 40 });
  });

  it("grows the box by the margin, a fraction of its larger side, rounding outwards", () => {
    // pad = 0.1 * max(5, 4) = 0.5 px: x 5 -> floor(4.5) = 4, right 10 -> ceil(10.5) = 11, y 2 -> 1, bottom 6 -> 7.
    expect(subjectBox(mapWithRect(20, 10, rect), 20, 10, 20, 10, 0.5, 0.1)).toEqual({ x: 4, y: 1, width: 7, height: 6 });
  });

  it("clamps the margin at the image border", () => {
    const corner = { x: 0, y: 0, width: 4, height: 3 };
    expect(subjectBox(mapWithRect(20, 10, corner), 20, 10, 20, 10, 0.5, 0.5)).toEqual({ x: 0, y: 0, width: 6, height: 5 });
  });

  it("counts only probabilities strictly above the threshold", () => {
    const map = mapWithRect(20, 10, rect, 0.5);
    expect(subjectBox(map, 20, 10, 20, 10, 0.5, 0)).toBeNull();
    expect(subjectBox(map, 20, 10, 20, 10, 0.49, 0)).toEqual(rect);
  });

  it("returns null when there is no subject", () => {
    expect(subjectBox(new Float32Array(200), 20, 10, 20, 10)).toBeNull();
  });

  it("returns the whole frame when the subject fills it", () => {
    const full = new Float32Array(200).fill(1);
    expect(subjectBox(full, 20, 10, 20, 10, 0.5, 0)).toEqual({ x: 0, y: 0, width: 20, height: 10 });
  });
});
