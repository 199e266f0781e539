import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Files share one PostgreSQL server (and other agents' CPU-heavy jobs); one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
