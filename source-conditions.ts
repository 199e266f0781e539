// Workspace packages export their TypeScript sources under the "@bgr/source" condition (their default
// export is the compiled dist). Tests and the web app's bundle read the sources, as typecheck and tsx
// do, never a dist that may be stale or missing.
const SOURCE = "@bgr/source";

/** Spread into each vitest config: ours first, then vitest's own default (Vite's server conditions without "module"). */
export const sourceConditions = {
  resolve: { conditions: [SOURCE, "node", "development|production"] },
  ssr: { resolve: { conditions: [SOURCE, "node", "development|production"] } },
};

/** The web app's vite config: ours first, then Vite's default for the browser. */
export const browserSourceConditions = [SOURCE, "module", "browser", "development|production"];
