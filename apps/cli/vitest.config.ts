import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../source-conditions.ts";

export default defineConfig({
  ...sourceConditions,
  test: {
    // The end-to-end test runs real inference: one file at a time leaves the cores to ONNX Runtime.
    fileParallelism: false,
    // First run may assemble the model; inference takes seconds per image on a small, shared machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
