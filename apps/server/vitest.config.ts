import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../source-conditions.ts";

export default defineConfig({
  ...sourceConditions,
  test: { fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 },
});
