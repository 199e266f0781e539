import { defineConfig } from "drizzle-kit";

// `generate` only diffs the schema against drizzle/meta snapshots, so no database URL is needed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../drizzle",
  strict: true,
  verbose: true,
});
