import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// Rows written before the registry named the imgly files truthfully, and what each must become.
const RENAMES: [before: string | null, after: string | null][] = [
  ["local:isnet-fp16", "local:isnet-uint8-dynamic"],
  ["local:isnet-fp16@worker-a", "local:isnet-uint8-dynamic@worker-a"],
  ["local:isnet-fp32", "local:isnet-fp16"],
  ["local:isnet-fp32@worker-b", "local:isnet-fp16@worker-b"],
  ["local:isnet-fp16x", "local:isnet-fp16x"],
  ["local", "local"],
  ["huggingface:briaai/RMBG-1.4", "huggingface:briaai/RMBG-1.4"],
  [null, null],
];

describe("migration model_names", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("renames stored providers old fp16 → uint8 first, then old fp32 → fp16, and leaves the rest", async () => {
    await test.sql`insert into users (id) values ('u1')`;
    for (const [index, [before]] of RENAMES.entries()) {
      await test.sql`
        insert into background_removal_jobs (id, user_id, original_file_name, original_file_path, original_file_size, tier, credit_used, pricing_type, ai_provider)
        values (${`j${index}`}, 'u1', 'a.jpg', 'in/a.jpg', 1, 'basic', 3, 'credits', ${before})`;
    }
    // The fresh database already ran every migration on no rows; run this one's SQL on the old rows.
    // Found by its tag, not its number (numbers are reassigned when branches merge).
    const file = (await readdir(MIGRATIONS_FOLDER)).find((name) => name.endsWith("_model_names.sql"))!;
    const sql = await readFile(join(MIGRATIONS_FOLDER, file), "utf8");
    for (const statement of sql.split("--> statement-breakpoint")) await test.sql.unsafe(statement);

    const rows = await test.sql<{ id: string; ai_provider: string | null }[]>`select id, ai_provider from background_removal_jobs`;
    const byId = new Map(rows.map((r) => [r.id, r.ai_provider]));
    expect(RENAMES.map((_, index) => byId.get(`j${index}`))).toEqual(RENAMES.map(([, after]) => after));
  });
});
