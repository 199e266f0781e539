import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../source-conditions.ts";

// Two projects so `test:unit` runs without the web build. The browser tests start a real server, a database and
// chromium: one file at a time, generous timeouts (removals run on a shared CPU); their globalSetup builds the web
// app once so the server serves the current UI.
export default defineConfig({
  ...sourceConditions,
  test: {
    fileParallelism: false,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          globalSetup: ["test/e2e/build-web.global.ts"],
        },
      },
    ],
  },
});
