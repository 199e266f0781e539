/** What a brush stroke does to the matte: take the subject away, or bring the photo back. */
export type BrushMode = "erase" | "restore";

/** A rectangle of pixels that changed, for redrawing only that part. */
export interface DirtyRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Undo steps kept; older strokes can no longer be undone (a 12 MP matte is 12 MB a step). */
export const UNDO_LIMIT = 30;

/**
 * The matte being edited (one byte of alpha a pixel) with stroke-wise undo and redo. Brush stamps
 * are soft by one pixel at the rim so painted edges are not jagged. No DOM: the canvas view draws it.
 */
export class MatteEdit {
  private readonly undoStack: Uint8ClampedArray[] = [];
  private readonly redoStack: Uint8ClampedArray[] = [];
  private savedAt: Uint8ClampedArray;

  constructor(
    readonly alpha: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {
    this.savedAt = alpha.slice();
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Whether the matte differs from what was last saved (or loaded). */
  get changed(): boolean {
    const { alpha, savedAt } = this;
    for (let i = 0; i < alpha.length; i++) if (alpha[i] !== savedAt[i]) return true;
    return false;
  }

  /** Starts a stroke: what it changes is undone as one step. */
  beginStroke(): void {
    this.undoStack.push(this.alpha.slice());
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  /** Paints a round brush of `radius` px from one point to the next (a dot when they are the same). */
  paint(from: { x: number; y: number }, to: { x: number; y: number }, radius: number, mode: BrushMode): DirtyRect | null {
    const distance = Math.hypot(to.x - from.x, to.y - from.y);
    const steps = Math.max(1, Math.ceil(distance / Math.max(1, radius / 3)));
    let dirty: DirtyRect | null = null;
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      dirty = union(dirty, this.stamp(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t, radius, mode));
    }
    return dirty;
  }

  undo(): boolean {
    const previous = this.undoStack.pop();
    if (!previous) return false;
    this.redoStack.push(this.alpha.slice());
    this.alpha.set(previous);
    return true;
  }

  redo(): boolean {
    const next = this.redoStack.pop();
    if (!next) return false;
    this.undoStack.push(this.alpha.slice());
    this.alpha.set(next);
    return true;
  }

  /** The current matte becomes the saved state (after a successful save). */
  markSaved(): void {
    this.savedAt = this.alpha.slice();
  }

  private stamp(cx: number, cy: number, radius: number, mode: BrushMode): DirtyRect | null {
    const x0 = Math.max(0, Math.floor(cx - radius - 1)),
      x1 = Math.min(this.width - 1, Math.ceil(cx + radius + 1));
    const y0 = Math.max(0, Math.floor(cy - radius - 1)),
      y1 = Math.min(this.height - 1, Math.ceil(cy + radius + 1));
    if (x1 < x0 || y1 < y0) return null;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        // 1 inside, 0 outside, a one-pixel ramp at the rim.
        const coverage = Math.min(1, Math.max(0, radius - Math.hypot(x + 0.5 - cx, y + 0.5 - cy) + 0.5));
        if (coverage === 0) continue;
        const i = y * this.width + x;
        const a = this.alpha[i]!;
        this.alpha[i] = mode === "erase" ? Math.min(a, Math.round(255 * (1 - coverage))) : Math.max(a, Math.round(255 * coverage));
      }
    }
    return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  }
}

function union(a: DirtyRect | null, b: DirtyRect | null): DirtyRect | null {
  if (!a || !b) return a ?? b;
  const x = Math.min(a.x, b.x),
    y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
