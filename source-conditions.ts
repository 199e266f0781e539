/**
 * Tests read workspace packages from their TypeScript sources (the "@bgr/source" export condition,
 * as typecheck and tsx do), never a dist that may be stale or missing. Spread into each vitest config
 * (and the web app's vite config). The rest of each list is Vite's default for that environment.
 */
export const sourceConditions = {
  resolve: { conditions: ["@bgr/source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["@bgr/source", "module", "node", "development|production"] } },
};
