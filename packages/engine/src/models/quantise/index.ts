/**
 * `@bgr/engine/quantise`: the ONNX graph tools and the int8 recipe the engine derives
 * `isnet-int8-qdq` with, for the build-time quantiser (tooling/quantise). Not part of the engine's
 * removal API.
 */
export * from "./isnet-int8.ts";
export * from "./onnx-graph.ts";
export * from "./qdq.ts";
export * from "./trunk.ts";
