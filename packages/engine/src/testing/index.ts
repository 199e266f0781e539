/** Test helpers other packages use (`@bgr/engine/testing`): never imported by shipped code. */
export { startPackServer } from "./pack-server.ts";
export type { PackServer, PackServerOptions } from "./pack-server.ts";
export { tinySegmentationModel } from "./tiny-onnx.ts";
export { DEV_DATA_DIR, devData } from "./dev-data.ts";
