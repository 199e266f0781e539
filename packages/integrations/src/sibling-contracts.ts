import type { ProjectApp } from "@bgr/domain";
import type { SiblingImage, UpscaledImage } from "./sibling-apps.ts";

/**
 * The JSON shapes we expect from sibling apps (docs/integrations.md). Pure functions: a body that
 * does not match throws ContractViolation, which the adapter reports as "bad-response".
 */
export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
}

type Json = Record<string, unknown>;

/** `{ "success": true, "data": … }` → data. */
export function unwrapEnvelope(json: unknown): Json {
  if (!isObject(json)) throw new ContractViolation("the answer is not a JSON object");
  if (json.success !== true) {
    const said = siblingMessage(json);
    throw new ContractViolation(said ? `it reported a failure: ${said}` : `"success" is not true`);
  }
  if (!isObject(json.data)) throw new ContractViolation(`"data" is not an object`);
  return json.data;
}

const LIST_KEY: Record<ProjectApp, "avatars" | "slides"> = { "avatar-creator": "avatars", "carousel-mix": "slides" };

/** avatar-creator `data.avatars[]`, carousel-mix `data.slides[]` (kept in `position` order). */
export function parseProjectImages(app: ProjectApp, data: Json, baseUrl: URL): SiblingImage[] {
  const key = LIST_KEY[app];
  const items = data[key];
  if (!Array.isArray(items)) throw new ContractViolation(`"data.${key}" is not a list`);
  const parsed = items.map((item, index) => {
    const where = `data.${key}[${index}]`;
    const image = parseImage(item, baseUrl, where);
    if (app !== "carousel-mix") return { image, position: index };
    const position = (item as Json).position;
    if (typeof position !== "number" || !Number.isFinite(position)) throw new ContractViolation(`"${where}.position" is not a number`);
    return { image, position };
  });
  // Array.prototype.sort is stable: equal positions keep the order the app sent.
  return parsed.sort((a, b) => a.position - b.position).map((p) => p.image);
}

/** pose-generator `GET /generations/{id}` and image-upscaler `GET /images/{id}`: `data` is the image. */
export function parseSingleImage(data: Json, baseUrl: URL): SiblingImage {
  return parseImage(data, baseUrl, "data");
}

/** image-upscaler `POST /upscale`: the image plus its new size. */
export function parseUpscaledImage(data: Json, baseUrl: URL): UpscaledImage {
  const image = parseImage(data, baseUrl, "data");
  const { width, height } = data;
  if (!isPositiveInteger(width) || !isPositiveInteger(height))
    throw new ContractViolation(`"data.width"/"data.height" are not positive integers`);
  return { ...image, width, height };
}

function parseImage(item: unknown, baseUrl: URL, where: string): SiblingImage {
  if (!isObject(item)) throw new ContractViolation(`"${where}" is not an object`);
  const id = typeof item.id === "number" && Number.isFinite(item.id) ? String(item.id) : item.id;
  if (typeof id !== "string" || id === "") throw new ContractViolation(`"${where}.id" is missing`);
  if (typeof item.imageUrl !== "string" || item.imageUrl === "") throw new ContractViolation(`"${where}.imageUrl" is missing`);
  if (item.name !== undefined && item.name !== null && typeof item.name !== "string")
    throw new ContractViolation(`"${where}.name" is not a string`);
  return { id, name: safeFileName(item.name, id), url: resolveImageUrl(item.imageUrl, baseUrl, where) };
}

/**
 * Absolute URLs are kept as they are (the host is checked when downloading); a relative one is
 * resolved under the app's base URL: `files/a.png` → `<base>/files/a.png`, `/media/a.png` → `<origin>/media/a.png`.
 */
export function resolveImageUrl(imageUrl: string, baseUrl: URL, where = "imageUrl"): string {
  try {
    return new URL(imageUrl, `${baseUrl.href}/`).href;
  } catch {
    throw new ContractViolation(`"${where}.imageUrl" is not a URL`);
  }
}

const MAX_NAME_LENGTH = 120;

/**
 * A name safe for a download or a zip entry: the last path segment only, without control or
 * reserved characters, no leading dots. Missing or empty → `<id>.png`.
 */
export function safeFileName(name: unknown, id: string): string {
  const lastSegment = typeof name === "string" ? (name.split(/[\\/]/).pop() ?? "") : "";
  let clean = lastSegment
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "")
    .trim()
    .replace(/^\.+/, "")
    .trim();
  if (clean.length > MAX_NAME_LENGTH) {
    const ext = /\.[A-Za-z0-9]{1,5}$/.exec(clean)?.[0] ?? "";
    clean = clean.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
  }
  if (clean) return clean;
  const safeId =
    id
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^\.+/, "")
      .slice(0, MAX_NAME_LENGTH - 4) || "image";
  return `${safeId}.png`;
}

/** The human-readable reason a platform envelope carries, if any (`error` as a string or `{ message }`, or `message`). */
export function siblingMessage(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  const candidate = isObject(json.error) ? json.error.message : (json.error ?? json.message);
  if (typeof candidate !== "string" || !candidate.trim()) return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = candidate.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
