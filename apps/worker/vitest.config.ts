import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { fileParallelism: false, testTimeout: 600_000, hookTimeout: 300_000 },
});
