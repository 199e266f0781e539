import { ASPECT_PRESETS, BACKGROUND_FITS, COMPOSE_FORMATS, COMPOSE_SIZES, MAX_CROP_MARGIN_PERCENT, SHADOW_TYPES } from "@bgr/domain";

/** OpenAPI paths of the result editor (result-editor.routes.ts), merged into the document at /docs. */
const idParameter = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];
const error = { $ref: "#/components/schemas/Error" };
const failures = {
  "400": { description: "Bad options or a matte of another size than the photo; the message says what to send", content: { "application/json": { schema: error } } },
  "404": { description: "No such job in your account", content: { "application/json": { schema: error } } },
  "409": { description: "The job is unfinished, or its result was cropped, laid out or upscaled, so it cannot be edited", content: { "application/json": { schema: error } } },
  "410": { description: "Retention deleted the job's files", content: { "application/json": { schema: error } } },
};
const version = { type: "object", properties: { version: { type: "integer" }, edited: { type: "boolean" }, createdAt: { type: "string", format: "date-time" } } };
const composeOptions = {
  type: "object",
  required: ["background", "shadow", "crop", "aspect", "format", "size"],
  properties: {
    background: {
      oneOf: [
        { type: "object", properties: { kind: { const: "transparent" } } },
        { type: "object", properties: { kind: { const: "colour" }, colour: { type: "string", examples: ["#ffffff"] } } },
        { type: "object", properties: { kind: { const: "image" }, fit: { enum: [...BACKGROUND_FITS] } }, description: "The image is the multipart file `background`" },
        { type: "object", properties: { kind: { const: "blur" }, strength: { type: "integer", minimum: 1, maximum: 100 } }, description: "The photo itself, blurred" },
      ],
    },
    shadow: { type: ["object", "null"], properties: { type: { enum: [...SHADOW_TYPES] }, opacity: { type: "number", minimum: 0, maximum: 1 }, offset: { type: ["object", "null"], description: "x, y in fractions of the subject's height (-0.5 to 0.5)" } } },
    crop: { type: ["object", "null"], properties: { marginPercent: { type: "number", minimum: 0, maximum: MAX_CROP_MARGIN_PERCENT } } },
    aspect: { enum: [...Object.keys(ASPECT_PRESETS), null] },
    format: { enum: [...COMPOSE_FORMATS] },
    size: { enum: Object.keys(COMPOSE_SIZES), description: "original: the photo's pixels; preview: at most 0.25 MP" },
  },
};

export const RESULT_EDITOR_OPENAPI_PATHS = {
  "/jobs/{id}/compose": {
    post: {
      summary: "The finished result composed on the server (background colour, image or blur; shadow; crop; aspect; format; size) from the stored original and the latest matte. Free: the removal was charged",
      parameters: idParameter,
      requestBody: {
        content: {
          "multipart/form-data": {
            schema: { type: "object", required: ["options"], properties: { options: { type: "string", description: "JSON of the options", contentMediaType: "application/json", contentSchema: composeOptions }, background: { type: "string", format: "binary" } } },
          },
        },
      },
      responses: { "200": { description: "The image; X-Width, X-Height and X-Matte-Version say what it is", content: { "image/png": {}, "image/webp": {}, "image/jpeg": {} } }, ...failures },
    },
  },
  "/jobs/{id}/versions": {
    get: { summary: "The result's mattes: 1 is the removal's own, 2 on are saved edits (the highest is used)", parameters: idParameter, responses: { "200": { description: "The versions, oldest first", content: { "application/json": { schema: { type: "object", properties: { success: { const: true }, data: { type: "array", items: version } } } } } }, ...failures } },
  },
  "/jobs/{id}/matte": {
    get: { summary: "The current matte: an image whose alpha channel is the matte", parameters: idParameter, responses: { "200": { description: "PNG (or WebP for version 1 of a WebP result); X-Matte-Version names it", content: { "image/png": {} } }, ...failures } },
  },
  "/jobs/{id}/mattes": {
    post: {
      summary: "Save an edited matte as the next version (the original is kept): a PNG of the photo's size whose alpha (or, without alpha, grey) is the matte",
      parameters: idParameter,
      requestBody: { content: { "multipart/form-data": { schema: { type: "object", required: ["matte"], properties: { matte: { type: "string", format: "binary" } } } } } },
      responses: { "201": { description: "The new version", content: { "application/json": { schema: { type: "object", properties: { success: { const: true }, data: version } } } } }, ...failures },
    },
  },
};
