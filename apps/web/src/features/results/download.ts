import { saveBlob } from "../../api/rest.ts";
import { i18n } from "../../i18n/i18n.ts";
import { resultFileName } from "../../lib/format.ts";

export type DownloadFormat = "png" | "webp";

/**
 * Saves the cut-out as PNG or WebP, over the chosen background colour. The server's PNG is saved as is
 * when nothing changes; otherwise the browser composes it on a canvas, so trying colours costs no credits.
 */
export async function downloadCutout(processedUrl: string, options: { background: string | null; format: DownloadFormat; originalName: string }): Promise<void> {
  const response = await fetch(processedUrl);
  if (!response.ok) throw new Error(i18n.t("result.fetchFailed"));
  const source = await response.blob();
  const name = resultFileName(options.originalName, options.format);
  if (options.background === null && options.format === "png" && source.type === "image/png") {
    saveBlob(source, name);
    return;
  }
  const bitmap = await createImageBitmap(source);
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error(i18n.t("result.noCanvas"));
  if (options.background) {
    context.fillStyle = options.background;
    context.fillRect(0, 0, canvas.width, canvas.height);
  }
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const type = `image/${options.format}`;
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.92));
  if (!blob || blob.type !== type) throw new Error(i18n.t("result.noFormat", { format: options.format.toUpperCase() }));
  saveBlob(blob, name);
}
