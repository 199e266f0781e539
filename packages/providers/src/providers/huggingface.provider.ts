import { RemoteCallError, type RemoteHttp } from "../http/remote-http.ts";
import { decodeBase64Image, isImage, isJson, joinUrl, type ImageUpload, type MatteProvider } from "./matte-provider.ts";

export interface HuggingFaceConfig {
  apiKey: string;
  /** Default https://router.huggingface.co/hf-inference/models (see DEFAULT_SERVICE_URLS). */
  baseUrl: string;
  /** Hub model id, e.g. briaai/RMBG-1.4. */
  model: string;
}

interface Segment {
  label?: unknown;
  score?: unknown;
  mask?: unknown;
}

/**
 * Hugging Face Inference (provider hf-inference), image-segmentation task.
 * Request: POST {baseUrl}/{model} with the image as the raw body, `Authorization: Bearer <token>`.
 * Answer: JSON `[{ label, score, mask }]`, `mask` a base64 black-and-white image; some deployments
 * answer with the image itself instead, so the content type decides.
 * https://huggingface.co/docs/inference-providers/tasks/image-segmentation
 * https://huggingface.co/docs/inference-providers/providers/hf-inference
 * https://huggingface.co/briaai/RMBG-1.4
 */
export class HuggingFaceProvider implements MatteProvider {
  readonly name = "huggingface" as const;
  readonly id: string;

  constructor(
    private readonly http: RemoteHttp,
    private readonly config: HuggingFaceConfig,
  ) {
    this.id = `huggingface:${config.model}`;
  }

  async matte(image: ImageUpload): Promise<Uint8Array> {
    const answer = await this.http.post({
      service: `Hugging Face (${this.config.model})`,
      url: joinUrl(this.config.baseUrl, this.config.model),
      headers: {
        authorization: `Bearer ${this.config.apiKey}`,
        "content-type": image.mime,
        accept: "application/json, image/png;q=0.9, image/*;q=0.8",
      },
      body: image.bytes,
      accepts: (type) => isJson(type) || isImage(type),
    });
    if (isImage(answer.contentType)) return answer.body;
    return bestMask(answer.body, this.config.model);
  }
}

/** The mask of the most confident segment (background-removal models answer with one). */
function bestMask(body: Buffer, model: string): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RemoteCallError(`Hugging Face (${model}) answered JSON that does not parse (${body.length} bytes)`, false);
  }
  const segments = (Array.isArray(parsed) ? parsed : []) as Segment[];
  const withMask = segments.filter((s): s is Segment & { mask: string } => typeof s?.mask === "string" && s.mask.length > 0);
  if (withMask.length === 0) {
    throw new RemoteCallError(`Hugging Face (${model}) answered no segment with a mask; expected [{ label, score, mask }]`, false);
  }
  const score = (s: Segment) => (typeof s.score === "number" ? s.score : 0);
  const best = withMask.reduce((a, b) => (score(b) > score(a) ? b : a));
  return decodeBase64Image(best.mask);
}
