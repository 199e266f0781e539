import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { browserSourceConditions } from "../../source-conditions.ts";

// `pnpm --filter @bgr/web dev` proxies the API to a server started with `pnpm start` (port 3000);
// `vite build` writes dist/, which the server itself serves at /.
export default defineConfig({
  // The bundle compiles @bgr/domain from its sources, so building the web app needs no package built first.
  resolve: { conditions: browserSourceConditions },
  plugins: [react()],
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/health": "http://127.0.0.1:3000",
    },
  },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
});
