import { describe, expect, it } from "vitest";
import { MatteEdit, UNDO_LIMIT } from "../../src/features/results/matte-edit.ts";

function opaque(width = 40, height = 20): MatteEdit {
  return new MatteEdit(new Uint8ClampedArray(width * height).fill(255), width, height);
}
const at = (edit: MatteEdit, x: number, y: number) => edit.alpha[y * edit.width + x];

describe("MatteEdit", () => {
  it("erases along a stroke, softly at the rim, and reports the changed rectangle", () => {
    const edit = opaque();
    edit.beginStroke();
    const dirty = edit.paint({ x: 5, y: 10.3 }, { x: 30, y: 10.3 }, 3, "erase");
    expect([at(edit, 5, 10), at(edit, 18, 10), at(edit, 30, 10)]).toEqual([0, 0, 0]);
    // Far from the stroke nothing changed; at its rim (row 13's centre is about 3.2 px from the stamps) the matte is partly kept.
    expect(at(edit, 18, 1)).toBe(255);
    expect(at(edit, 18, 13)).toBeGreaterThan(150);
    expect(at(edit, 18, 13)).toBeLessThan(230);
    expect(dirty).toEqual({ x: 1, y: 6, width: 34, height: 10 });
    expect(edit.changed).toBe(true);
  });

  it("restores what was erased, and undoes and redoes whole strokes", () => {
    const edit = opaque();
    edit.beginStroke();
    edit.paint({ x: 10, y: 10 }, { x: 10, y: 10 }, 4, "erase");
    edit.beginStroke();
    edit.paint({ x: 10, y: 10 }, { x: 10, y: 10 }, 2, "restore");
    expect([at(edit, 10, 10), at(edit, 12, 10)]).toEqual([255, 0]);

    expect(edit.undo()).toBe(true);
    expect(at(edit, 10, 10)).toBe(0);
    expect(edit.undo()).toBe(true);
    expect(at(edit, 10, 10)).toBe(255);
    expect([edit.canUndo, edit.changed]).toEqual([false, false]);
    expect(edit.undo()).toBe(false);

    expect(edit.redo()).toBe(true);
    expect(at(edit, 10, 10)).toBe(0);
    // A new stroke drops what could be redone.
    edit.beginStroke();
    edit.paint({ x: 30, y: 5 }, { x: 30, y: 5 }, 1, "erase");
    expect(edit.canRedo).toBe(false);
  });

  it("keeps at most UNDO_LIMIT steps, and a save is the new unchanged state", () => {
    const edit = opaque();
    for (let i = 0; i < UNDO_LIMIT + 5; i++) {
      edit.beginStroke();
      edit.paint({ x: i % 40, y: 2 }, { x: i % 40, y: 2 }, 1, "erase");
    }
    let undone = 0;
    while (edit.undo()) undone++;
    expect(undone).toBe(UNDO_LIMIT);
    expect(edit.changed).toBe(true); // the first five strokes are beyond undo
    edit.markSaved();
    expect(edit.changed).toBe(false);
  });
});
