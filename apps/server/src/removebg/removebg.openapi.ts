import { TIER_NAMES } from "@bgr/domain";
import { REMOVEBG_DEFAULT_TIER } from "../routes/removebg.routes.ts";
import { FOREGROUND_TYPES, SIZE_LIMITS } from "./removebg-params.ts";

/** OpenAPI paths of the remove.bg-compatible API; they live at the server's root, not under the REST prefix. */
const root = [{ url: "/" }];
const errorBody = {
  type: "object",
  required: ["errors"],
  properties: {
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["title", "code"],
        properties: { title: { type: "string" }, code: { type: "string" }, detail: { type: "string" } },
      },
    },
  },
};
const errorReply = (description: string) => ({ description, content: { "application/json": { schema: errorBody } } });
const header = (description: string, type = "integer") => ({ description, schema: { type } });
const resultHeaders = {
  "X-Type": header("The `type` hint sent, or `other` for auto (no classifier runs)", "string"),
  "X-Tier": header("The tier that served the call", "string"),
  "X-Width": header("Result width in pixels"),
  "X-Height": header("Result height in pixels"),
  "X-Credits-Charged": header("Credits charged by our pricing (0 when a subscription paid)"),
  "X-Foreground-Top": header("The subject's box in the result"),
  "X-Foreground-Left": header("The subject's box in the result"),
  "X-Foreground-Width": header("The subject's box in the result"),
  "X-Foreground-Height": header("The subject's box in the result"),
  "X-RateLimit-Limit": header("Single removals allowed per minute"),
  "X-RateLimit-Remaining": header("Left in the current window"),
  "X-RateLimit-Reset": header("Unix time (s) when the oldest counted removal leaves the window"),
};
const str = (description: string, extra: object = {}) => ({ type: "string", description, ...extra });
const parameters = {
  size: str(
    "Output size limit: preview/small/regular 0.25 MP, medium 1.5 MP, hd 4 MP, 4k 10 MP, full/50MP/auto the full resolution (≤ 50 MP)",
    { enum: Object.keys(SIZE_LIMITS), default: "auto" },
  ),
  type: str("Foreground type hint (echoed in X-Type)", { enum: FOREGROUND_TYPES, default: "auto" }),
  type_level: str("Accepted for compatibility", { enum: ["none", "1", "2", "latest"] }),
  format: str("auto: PNG with transparency, else JPEG; jpg without a background is on white; zip: color.jpg + alpha.png", {
    enum: ["auto", "png", "jpg", "webp", "zip"],
    default: "auto",
  }),
  roi: str('Region of interest "x1 y1 x2 y2" in px or %; the subject outside it is removed', { default: "0% 0% 100% 100%" }),
  crop: { type: "boolean", description: "Crop to the subject", default: false },
  crop_margin: str("Margin around the cropped subject: 1, 2 or 4 values in px or % of the subject (each ≤ 50 % and ≤ 500 px)", {
    default: "0",
  }),
  scale: str('Subject size relative to the canvas, "10%"-"100%", or original', { default: "original" }),
  position: str('original, center, or "x% y%" (one value for both)', { default: "original; center with scale" }),
  channels: str("rgba, or alpha for the matte alone", { enum: ["rgba", "alpha"], default: "rgba" }),
  bg_color: str("Background colour, hex (#81d4fa, fff)"),
  bg_image_url: str("Background image URL (public hosts only), resized to cover the canvas"),
  add_shadow: { type: "boolean", default: false },
  shadow_type: str("Shadow synthesised from the matte", { enum: ["drop", "car", "3D"], default: "drop (car for type=car)" }),
  shadow_opacity: { type: "integer", minimum: 0, maximum: 100, default: 50 },
  semitransparency: { type: "boolean", description: "false hardens semi-transparent regions (glass, windows)", default: true },
};

export const REMOVEBG_OPENAPI_PATHS = {
  "/v1.0/removebg": {
    servers: root,
    post: {
      summary: "remove.bg-compatible background removal: existing remove.bg clients work by changing the host",
      description: `Authenticate with X-Api-Key (our API keys). The tier comes from the X-Tier header (default ${REMOVEBG_DEFAULT_TIER}); the price is our tier's, charged like POST /remove and refunded on failure.`,
      security: [{ apiKey: [] }],
      parameters: [{ name: "X-Tier", in: "header", schema: { type: "string", enum: [...TIER_NAMES] } }],
      requestBody: {
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: {
                image_file: { type: "string", format: "binary" },
                bg_image_file: { type: "string", format: "binary" },
                ...parameters,
              },
            },
          },
          "application/json": {
            schema: { type: "object", properties: { image_file_b64: { type: "string" }, image_url: { type: "string" }, ...parameters } },
          },
          "application/x-www-form-urlencoded": {
            schema: { type: "object", properties: { image_file_b64: { type: "string" }, image_url: { type: "string" }, ...parameters } },
          },
        },
      },
      responses: {
        "200": {
          description:
            "The image (Content-Type by format), or with Accept: application/json `{ data: { result_b64, foreground_top, foreground_left, foreground_width, foreground_height } }`",
          headers: resultHeaders,
          content: {
            "image/png": { schema: { type: "string", format: "binary" } },
            "image/jpeg": { schema: { type: "string", format: "binary" } },
            "image/webp": { schema: { type: "string", format: "binary" } },
            "application/zip": { schema: { type: "string", format: "binary" } },
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  data: {
                    type: "object",
                    properties: {
                      result_b64: { type: "string" },
                      foreground_top: { type: "integer" },
                      foreground_left: { type: "integer" },
                      foreground_width: { type: "integer" },
                      foreground_height: { type: "integer" },
                    },
                  },
                },
              },
            },
          },
        },
        "400": errorReply(
          "invalid_parameter, missing_source, file_too_large, unknown_format, invalid_image, resolution_too_high, resolution_too_low, failed_to_download, unknown_foreground (no confident subject; refunded)",
        ),
        "402": errorReply("insufficient_credits"),
        "403": errorReply("auth_failed (no or bad X-Api-Key), tier_not_allowed"),
        "429": errorReply("rate_limit_exceeded; see Retry-After"),
        "503": errorReply("service_busy; see Retry-After"),
      },
    },
  },
  "/v1.0/account": {
    servers: root,
    get: {
      summary: "remove.bg-compatible account: credits = our credit balance, free_calls = the subscription's removals left today",
      security: [{ apiKey: [] }],
      responses: {
        "200": {
          description: "remove.bg's account shape",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  data: {
                    type: "object",
                    properties: {
                      attributes: {
                        type: "object",
                        properties: {
                          credits: {
                            type: "object",
                            properties: {
                              total: { type: "number" },
                              subscription: { type: "number" },
                              payg: { type: "number" },
                              enterprise: { type: "number" },
                            },
                          },
                          api: { type: "object", properties: { free_calls: { type: "integer" }, sizes: { type: "string" } } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        "403": errorReply("auth_failed"),
      },
    },
  },
} as const;
