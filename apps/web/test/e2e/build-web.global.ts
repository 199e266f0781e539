import path from "node:path";
import { build } from "vite";

/** Builds the web app once before the browser tests, so the server under test serves the current UI. */
export default async function buildWebApp() {
  await build({ root: path.resolve(import.meta.dirname, "../.."), logLevel: "warn" });
}
