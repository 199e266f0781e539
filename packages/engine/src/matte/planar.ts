import type { PlanarRgb } from "./guided-filter.ts";

/** Interleaved 8-bit RGB(A) to planar RGB in 0..1. */
export function toPlanar(pixels: Uint8Array, width: number, height: number, channels: 3 | 4): PlanarRgb {
  const n = width * height;
  const r = new Float32Array(n),
    g = new Float32Array(n),
    b = new Float32Array(n);
  const k = 1 / 255;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    r[i] = pixels[j]! * k;
    g[i] = pixels[j + 1]! * k;
    b[i] = pixels[j + 2]! * k;
  }
  return { r, g, b, width, height };
}

/** Mirrors a square-or-not interleaved RGB image left to right. */
export function mirrorRgb(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const s = row + x * 3,
        d = row + (width - 1 - x) * 3;
      out[d] = rgb[s]!;
      out[d + 1] = rgb[s + 1]!;
      out[d + 2] = rgb[s + 2]!;
    }
  }
  return out;
}

/** Mirrors a single-channel plane left to right, in place. */
export function mirrorPlaneInPlace(plane: Float32Array, width: number, height: number): Float32Array {
  for (let y = 0; y < height; y++) plane.subarray(y * width, (y + 1) * width).reverse();
  return plane;
}
