import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Inference is CPU-bound: one file at a time keeps the machine's cores for ONNX Runtime.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
