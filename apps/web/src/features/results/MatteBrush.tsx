import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.ts";
import { i18n } from "../../i18n/i18n.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { formatPercent } from "../../lib/format.ts";
import { Slider } from "./EditorControls.tsx";
import { fetchMatte, saveMatte } from "./editor-api.ts";
import { MatteEdit, type BrushMode, type DirtyRect } from "./matte-edit.ts";

type Tool = BrushMode | "move";

const TOOLS: Tool[] = ["erase", "restore", "move"];
const ZOOM_STEPS = [1, 1.5, 2, 3, 4, 6, 8];
/** Brush size 1-100 → radius as this share of the photo's longer side at 100. */
const MAX_RADIUS_SHARE = 0.08;

interface Loaded {
  edit: MatteEdit;
  photo: ImageData;
  view: ImageData;
}

/**
 * Erase and restore on the matte at the photo's full resolution, with undo/redo, zoom and pan. The
 * canvas shows the photo through the matte being edited; saving uploads the matte as a new version.
 */
export function MatteBrush({ jobId, onSaved, onClose }: { jobId: string; onSaved: (version: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [tool, setTool] = useState<Tool>("erase");
  const [size, setSize] = useState(20);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  // Re-renders the buttons after strokes, undo and saves (the matte itself lives outside React).
  const [, setRevision] = useState(0);
  const [saving, setSaving] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const stroke = useRef<{
    last: { x: number; y: number };
    pointer: number;
    panFrom?: { x: number; y: number; pan: { x: number; y: number } };
  } | null>(null);

  useEffect(() => {
    let cancelled = false;
    loadEditable(jobId)
      .then((result) => !cancelled && setLoaded(result))
      .catch((error: unknown) => !cancelled && setProblem(error));
    return () => {
      cancelled = true;
    };
  }, [jobId]);

  const draw = useCallback(
    (rect: DirtyRect | null) => {
      const context = canvas.current?.getContext("2d");
      if (!loaded || !context) return;
      const { edit, photo, view } = loaded;
      const area = rect ?? { x: 0, y: 0, width: edit.width, height: edit.height };
      for (let y = area.y; y < area.y + area.height; y++) {
        for (let x = area.x; x < area.x + area.width; x++) {
          const i = y * edit.width + x;
          view.data[i * 4] = photo.data[i * 4]!;
          view.data[i * 4 + 1] = photo.data[i * 4 + 1]!;
          view.data[i * 4 + 2] = photo.data[i * 4 + 2]!;
          view.data[i * 4 + 3] = edit.alpha[i]!;
        }
      }
      context.putImageData(view, 0, 0, area.x, area.y, area.width, area.height);
    },
    [loaded],
  );

  useEffect(() => draw(null), [draw]);

  const radius = loaded ? Math.max(1, (size / 100) * MAX_RADIUS_SHARE * Math.max(loaded.edit.width, loaded.edit.height)) : 1;

  /** The pointer in photo pixels: the canvas fills the viewport and shows the photo contained (object-fit) in it. */
  function imagePoint(event: PointerEvent<HTMLCanvasElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    const { width, height } = loaded!.edit;
    const scale = Math.min(box.width / width, box.height / height);
    const left = box.left + (box.width - width * scale) / 2,
      top = box.top + (box.height - height * scale) / 2;
    return { x: (event.clientX - left) / scale, y: (event.clientY - top) / scale };
  }

  function onPointerDown(event: PointerEvent<HTMLCanvasElement>) {
    if (!loaded) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const point = imagePoint(event);
    if (tool === "move") {
      stroke.current = { last: point, pointer: event.pointerId, panFrom: { x: event.clientX, y: event.clientY, pan } };
      return;
    }
    loaded.edit.beginStroke();
    stroke.current = { last: point, pointer: event.pointerId };
    draw(loaded.edit.paint(point, point, radius, tool));
    setSavedVersion(null);
    setRevision((n) => n + 1);
  }

  function onPointerMove(event: PointerEvent<HTMLCanvasElement>) {
    const current = stroke.current;
    if (!loaded || !current || current.pointer !== event.pointerId) return;
    if (current.panFrom) {
      setPan({
        x: current.panFrom.pan.x + event.clientX - current.panFrom.x,
        y: current.panFrom.pan.y + event.clientY - current.panFrom.y,
      });
      return;
    }
    const point = imagePoint(event);
    draw(loaded.edit.paint(current.last, point, radius, tool as BrushMode));
    current.last = point;
  }

  function onPointerUp() {
    if (stroke.current && !stroke.current.panFrom) setRevision((n) => n + 1);
    stroke.current = null;
  }

  function history(step: "undo" | "redo") {
    if (!loaded || !(step === "undo" ? loaded.edit.undo() : loaded.edit.redo())) return;
    draw(null);
    setSavedVersion(null);
    setRevision((n) => n + 1);
  }

  function zoomBy(direction: 1 | -1) {
    const index = ZOOM_STEPS.findIndex((step) => step >= zoom);
    const next = ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, index + direction))]!;
    setZoom(next);
    if (next === 1) setPan({ x: 0, y: 0 });
  }

  function onKeyDown(event: KeyboardEvent) {
    if (!(event.ctrlKey || event.metaKey) || (event.key.toLowerCase() !== "z" && event.key.toLowerCase() !== "y")) return;
    event.preventDefault();
    history(event.key.toLowerCase() === "y" || event.shiftKey ? "redo" : "undo");
  }

  async function save() {
    if (!loaded) return;
    setSaving(true);
    setProblem(null);
    try {
      const saved = await saveMatte(jobId, await mattePng(loaded.edit));
      loaded.edit.markSaved();
      setSavedVersion(saved.version);
      onSaved(saved.version);
    } catch (error) {
      setProblem(error);
    } finally {
      setSaving(false);
      setRevision((n) => n + 1);
    }
  }

  const changed = loaded?.edit.changed === true;
  return (
    <section className="panel brush" aria-labelledby="brush-title" onKeyDown={onKeyDown}>
      <div className="panel-head">
        <h2 id="brush-title">{t("brush.title")}</h2>
        <p className="muted">{t("brush.lead")}</p>
      </div>
      <div className="brush-toolbar">
        <div className="segmented" role="radiogroup" aria-label={t("brush.tools")}>
          {TOOLS.map((name) => (
            <label key={name} className={tool === name ? "selected" : undefined}>
              <input type="radio" name="brush-tool" checked={tool === name} onChange={() => setTool(name)} />
              {t(`brush.${name}`)}
            </label>
          ))}
        </div>
        <Slider label={t("brush.size")} min={1} max={100} value={size} display={String(size)} onChange={setSize} />
        <div className="brush-buttons">
          <button type="button" className="button" disabled={!loaded?.edit.canUndo} onClick={() => history("undo")}>
            {t("brush.undo")}
          </button>
          <button type="button" className="button" disabled={!loaded?.edit.canRedo} onClick={() => history("redo")}>
            {t("brush.redo")}
          </button>
          <button type="button" className="button" aria-label={t("brush.zoomOut")} disabled={zoom <= 1} onClick={() => zoomBy(-1)}>
            −
          </button>
          <span className="muted small" aria-live="polite">
            {t("brush.zoom", { percent: formatPercent(zoom * 100) })}
          </span>
          <button
            type="button"
            className="button"
            aria-label={t("brush.zoomIn")}
            disabled={zoom >= ZOOM_STEPS[ZOOM_STEPS.length - 1]!}
            onClick={() => zoomBy(1)}
          >
            +
          </button>
          <button
            type="button"
            className="button"
            disabled={zoom === 1 && pan.x === 0 && pan.y === 0}
            onClick={() => (setZoom(1), setPan({ x: 0, y: 0 }))}
          >
            {t("brush.fit")}
          </button>
        </div>
      </div>
      <div className="brush-viewport checkerboard">
        {!loaded && !problem && (
          <p className="muted" role="status">
            {t("brush.loading")}
          </p>
        )}
        {loaded && (
          <canvas
            ref={canvas}
            className={`brush-canvas brush-${tool}`}
            width={loaded.edit.width}
            height={loaded.edit.height}
            aria-label={t("brush.canvasLabel")}
            role="img"
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
          />
        )}
      </div>
      {problem !== null && <ErrorNotice error={problem}>{!loaded && <p className="notice-text">{t("brush.loadFailed")}</p>}</ErrorNotice>}
      <p className="muted small" role="status">
        {savedVersion !== null ? t("brush.saved", { version: savedVersion }) : changed ? "" : t("brush.noChanges")}
      </p>
      <div className="actions">
        <button type="button" className="button button-primary" disabled={!changed || saving} onClick={save}>
          {saving ? t("brush.saving") : t("brush.save")}
        </button>
        <button type="button" className="button button-quiet" onClick={onClose}>
          {t("brush.close")}
        </button>
      </div>
    </section>
  );
}

/** The photo (a freshly signed link) and the current matte, decoded at the photo's size. */
async function loadEditable(jobId: string): Promise<Loaded> {
  const [{ originalUrl }, matte] = await Promise.all([trpc.jobs.links.query({ jobId }), fetchMatte(jobId)]);
  const photoResponse = originalUrl ? await fetch(originalUrl) : null;
  if (!photoResponse?.ok) throw new Error(i18n.t("result.gone"));
  const [photoBitmap, matteBitmap] = await Promise.all([createImageBitmap(await photoResponse.blob()), createImageBitmap(matte.blob)]);
  const { width, height } = photoBitmap;
  const photo = pixelsOf(photoBitmap, width, height);
  const matteRgba = pixelsOf(matteBitmap, width, height);
  const alpha = new Uint8ClampedArray(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = matteRgba.data[i * 4 + 3]!;
  return { edit: new MatteEdit(alpha, width, height), photo, view: new ImageData(width, height) };
}

function pixelsOf(bitmap: ImageBitmap, width: number, height: number): ImageData {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d")!;
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

/** The matte as the server stores it: a black PNG whose alpha is the matte (alpha survives a canvas exactly). */
function mattePng(edit: MatteEdit): Promise<Blob> {
  const canvas = new OffscreenCanvas(edit.width, edit.height);
  const image = new ImageData(edit.width, edit.height);
  for (let i = 0; i < edit.alpha.length; i++) image.data[i * 4 + 3] = edit.alpha[i]!;
  canvas.getContext("2d")!.putImageData(image, 0, 0);
  return canvas.convertToBlob({ type: "image/png" });
}
