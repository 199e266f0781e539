/**
 * Subject cleanup: removes specks and ghosts apart from the subject. Each connected region of
 * visible alpha (≥ `threshold`) smaller than `minShare` of the largest one, and whose strongest
 * pixel never reaches `keepAlpha`, is cleared. A second real subject (large, or confidently opaque
 * somewhere) is kept.
 */
export interface CleanupOptions {
  /** Alpha that counts as visible; regions are 4-connected above it. */
  threshold: number;
  minShare: number;
  keepAlpha: number;
}

export function cleanSubject(alpha: Float32Array, width: number, height: number, options: CleanupOptions): Float32Array {
  const n = width * height;
  const label = new Int32Array(n).fill(-1);
  const areas: number[] = [];
  const peaks: number[] = [];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (label[start] !== -1 || alpha[start]! < options.threshold) continue;
    const id = areas.length;
    let area = 0,
      peak = 0,
      top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const i = stack[--top]!;
      area++;
      if (alpha[i]! > peak) peak = alpha[i]!;
      const x = i % width;
      const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
      for (const j of neighbours) {
        if (j < 0 || j >= n || label[j] !== -1 || alpha[j]! < options.threshold) continue;
        label[j] = id;
        stack[top++] = j;
      }
    }
    areas.push(area);
    peaks.push(peak);
  }
  if (areas.length < 2) return alpha;
  const largest = Math.max(...areas);
  const drop = areas.map((area, id) => area < options.minShare * largest && peaks[id]! < options.keepAlpha);
  if (!drop.some(Boolean)) return alpha;
  const out = Float32Array.from(alpha);
  for (let i = 0; i < n; i++) if (label[i]! >= 0 && drop[label[i]!]) out[i] = 0;
  return out;
}
