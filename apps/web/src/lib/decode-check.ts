import { i18n } from "../i18n/i18n.ts";

/** Types this browser decodes itself; TIFF is left to the server, which reads it. */
const BROWSER_DECODES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"]);

/**
 * Decodes the image in the browser before anything is uploaded, so a renamed document or a damaged file
 * is refused at once with the reason, not after the upload. Null when the image reads (or cannot be
 * checked here).
 */
export async function checkDecodes(file: Blob, type: string | null): Promise<string | null> {
  if (!type || !BROWSER_DECODES.has(type) || typeof createImageBitmap !== "function") return null;
  try {
    const bitmap = await createImageBitmap(file);
    const empty = bitmap.width === 0 || bitmap.height === 0;
    bitmap.close();
    return empty ? i18n.t("files.noPixels") : null;
  } catch {
    return i18n.t("files.unreadable");
  }
}
