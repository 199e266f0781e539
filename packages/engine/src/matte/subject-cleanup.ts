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
  // 0: not visited, REGION: in a region, CLEARED: in a region being cleared. One byte a pixel, not
  // a label per pixel (48 MB at 12 MP): a dropped region is found again from its first pixel.
  const state = new Uint8Array(n);
  const fill = new FloodFill(width, height, state);
  const seeds: number[] = [];
  const areas: number[] = [];
  const peaks: number[] = [];
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0 || alpha[start]! < options.threshold) continue;
    let area = 0,
      peak = 0;
    fill.run(
      start,
      0,
      REGION,
      (j) => alpha[j]! >= options.threshold,
      (i) => {
        area++;
        if (alpha[i]! > peak) peak = alpha[i]!;
      },
    );
    seeds.push(start);
    areas.push(area);
    peaks.push(peak);
  }
  if (areas.length < 2) return alpha;
  const largest = Math.max(...areas);
  const drop = areas.map((area, id) => area < options.minShare * largest && peaks[id]! < options.keepAlpha);
  // Every REGION pixel 4-connected to a region's pixel belongs to that region.
  drop.forEach((dropped, id) => {
    if (dropped)
      fill.run(
        seeds[id]!,
        REGION,
        CLEARED,
        () => true,
        (i) => (alpha[i] = 0),
      );
  });
  return alpha;
}

const REGION = 1;
const CLEARED = 2;

/** Depth-first 4-connected flood fill over a state map, with a stack that grows as needed. */
class FloodFill {
  private stack = new Int32Array(1 << 16);

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly state: Uint8Array,
  ) {}

  /**
   * Visits every pixel reachable from `start` through pixels in state `from` that pass `accept`,
   * marking each `to` before `visit(i)` is called on it.
   */
  run(start: number, from: number, to: number, accept: (j: number) => boolean, visit: (i: number) => void): void {
    const { width, state } = this;
    const n = width * this.height;
    let top = 0;
    state[start] = to;
    this.stack[top++] = start;
    while (top > 0) {
      const i = this.stack[--top]!;
      visit(i);
      const x = i % width;
      if (x > 0) top = this.push(i - 1, from, to, accept, top);
      if (x < width - 1) top = this.push(i + 1, from, to, accept, top);
      if (i >= width) top = this.push(i - width, from, to, accept, top);
      if (i + width < n) top = this.push(i + width, from, to, accept, top);
    }
  }

  private push(j: number, from: number, to: number, accept: (j: number) => boolean, top: number): number {
    if (this.state[j] !== from || !accept(j)) return top;
    this.state[j] = to;
    if (top === this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[top] = j;
    return top + 1;
  }
}
