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

/** Clears the dropped regions of `alpha` in place and returns it. */
export function cleanSubject(alpha: Float32Array, width: number, height: number, options: CleanupOptions): Float32Array {
  const n = width * height;
  // 0: not visited, REGION: in a region, CLEARED: in a region to clear. One byte a pixel, not a
  // label per pixel (48 MB at 12 MP): a dropped region is found again from its first pixel.
  const fill = new RegionFill(alpha, width, height);
  const seeds: number[] = [];
  const areas: number[] = [];
  const peaks: number[] = [];
  for (let start = 0; start < n; start++) {
    if (fill.state[start] !== 0 || alpha[start]! < options.threshold) continue;
    seeds.push(start);
    areas.push(fill.run(start, 0, REGION, options.threshold));
    peaks.push(fill.peak);
  }
  if (areas.length < 2) return alpha;
  const largest = Math.max(...areas);
  const drop = areas.map((area, id) => area < options.minShare * largest && peaks[id]! < options.keepAlpha);
  if (!drop.some(Boolean)) return alpha;
  // Every REGION pixel 4-connected to a region's pixel belongs to that region.
  for (let id = 0; id < drop.length; id++) if (drop[id]) fill.run(seeds[id]!, REGION, CLEARED, -Infinity);
  for (let i = 0; i < n; i++) if (fill.state[i] === CLEARED) alpha[i] = 0;
  return alpha;
}

const REGION = 1;
const CLEARED = 2;

/** Depth-first 4-connected flood fill over a state map, with a stack that grows as needed. */
class RegionFill {
  readonly state: Uint8Array;
  /** Highest alpha of the last region filled. */
  peak = 0;
  private stack = new Int32Array(1 << 16);

  constructor(
    private readonly alpha: Float32Array,
    private readonly width: number,
    private readonly height: number,
  ) {
    this.state = new Uint8Array(width * height);
  }

  /**
   * Moves every pixel reachable from `start` through pixels in state `from` with alpha at least
   * `threshold` to state `to`. Returns how many there were.
   */
  run(start: number, from: number, to: number, threshold: number): number {
    const { alpha, width, state } = this;
    const n = width * this.height;
    let stack = this.stack;
    let top = 0,
      area = 0,
      peak = 0;
    state[start] = to;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top]!;
      area++;
      if (alpha[i]! > peak) peak = alpha[i]!;
      // Room for the four neighbours before any is pushed.
      if (top + 4 > stack.length) {
        const grown = new Int32Array(stack.length * 2);
        grown.set(stack);
        stack = this.stack = grown;
      }
      const x = i % width;
      let j = i - 1;
      if (x > 0 && state[j] === from && alpha[j]! >= threshold) {
        state[j] = to;
        stack[top++] = j;
      }
      j = i + 1;
      if (x < width - 1 && state[j] === from && alpha[j]! >= threshold) {
        state[j] = to;
        stack[top++] = j;
      }
      j = i - width;
      if (j >= 0 && state[j] === from && alpha[j]! >= threshold) {
        state[j] = to;
        stack[top++] = j;
      }
      j = i + width;
      if (j < n && state[j] === from && alpha[j]! >= threshold) {
        state[j] = to;
        stack[top++] = j;
      }
    }
    this.peak = peak;
    return area;
  }
}
