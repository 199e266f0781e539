/** Marks every pixel within `radius` (Chebyshev distance) of a set pixel. Separable, O(1) per pixel. */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) last = x;
      if (x - last <= radius) rows[row + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (mask[row + x]) last = x;
      if (last - x <= radius) rows[row + x] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x]) last = y;
      if (y - last <= radius) out[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x]) last = y;
      if (last - y <= radius) out[y * width + x] = 1;
    }
  }
  return out;
}

/** Keeps only pixels whose whole (2·radius+1)² neighbourhood is set (the image border counts as set). */
export function erode(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const inverse = Uint8Array.from(mask, (v) => (v ? 0 : 1));
  return Uint8Array.from(dilate(inverse, width, height, radius), (v) => (v ? 0 : 1));
}
