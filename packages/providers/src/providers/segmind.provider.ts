import { RemoteCallError, type RemoteHttp } from "../http/remote-http.ts";
import { decodeBase64Image, isImage, isJson, joinUrl, type ImageUpload, type MatteProvider } from "./matte-provider.ts";

export interface SegmindConfig {
  apiKey: string;
  /** Default https://api.segmind.com/v1 (see DEFAULT_SERVICE_URLS). */
  baseUrl: string;
  /** Segmind model slug, e.g. bg-removal-v2. */
  model: string;
}

/**
 * Segmind serverless API, background-removal models (bg-removal-v2 by default).
 * Request: POST {baseUrl}/{model}, `x-api-key: <key>`, JSON `{ "image": "<base64>" }` (the
 * default output type is the transparent cut-out, whose alpha is the matte).
 * Answer: the image itself; models asked for base64 answer JSON `{ "image": "<base64>" }`, also read.
 * https://www.segmind.com/models/bg-removal-v2/api
 * https://docs.segmind.com/
 */
export class SegmindProvider implements MatteProvider {
  readonly name = "segmind" as const;
  readonly id: string;

  constructor(
    private readonly http: RemoteHttp,
    private readonly config: SegmindConfig,
  ) {
    this.id = `segmind:${config.model}`;
  }

  async matte(image: ImageUpload): Promise<Uint8Array> {
    const answer = await this.http.post({
      service: `Segmind (${this.config.model})`,
      url: joinUrl(this.config.baseUrl, this.config.model),
      headers: { "x-api-key": this.config.apiKey, "content-type": "application/json", accept: "image/*, application/json;q=0.5" },
      body: JSON.stringify({ image: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString("base64") }),
      accepts: (type) => isImage(type) || isJson(type),
    });
    if (isImage(answer.contentType)) return answer.body;
    let image64: unknown;
    try {
      image64 = (JSON.parse(answer.body.toString("utf8")) as { image?: unknown } | null)?.image;
    } catch {
      // Reported below with the same message as a JSON without an image.
    }
    if (typeof image64 !== "string" || image64.length === 0) {
      throw new RemoteCallError(
        `Segmind (${this.config.model}) answered JSON without an "image"; expected the image or { image: "<base64>" }`,
        false,
      );
    }
    return decodeBase64Image(image64);
  }
}
