import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../source-conditions.ts";

export default defineConfig({
  ...sourceConditions,
  test: { fileParallelism: false, testTimeout: 120_000, hookTimeout: 120_000 },
});
