import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../source-conditions.ts";

// The browser tests start a real server, a database and chromium: one file at a time, generous timeouts
// (removals run on a shared CPU). globalSetup builds the web app once so the server serves the current UI.
export default defineConfig({
  ...sourceConditions,
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    globalSetup: ["test/e2e/build-web.global.ts"],
  },
});
