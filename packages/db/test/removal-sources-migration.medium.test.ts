import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

// Rows as they were written before (ai_provider `provider:model@worker`, model_name a copy of the tier), and what each must become.
const SPLITS: [aiProvider: string | null, after: { ai_provider: string | null; model_name: string | null; worker_id: string | null }][] = [
  ["local:isnet-fp16", { ai_provider: "local", model_name: "isnet-fp16", worker_id: null }],
  ["local:isnet-fp16@host-a:4242", { ai_provider: "local", model_name: "isnet-fp16", worker_id: "host-a:4242" }],
  ["huggingface:briaai/RMBG-1.4", { ai_provider: "huggingface", model_name: "briaai/RMBG-1.4", worker_id: null }],
  ["local@worker-b", { ai_provider: "local", model_name: null, worker_id: "worker-b" }],
  ["local", { ai_provider: "local", model_name: null, worker_id: null }],
  [null, { ai_provider: null, model_name: null, worker_id: null }],
];

describe("migration removal_sources", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("splits provider, model and worker into their own columns and drops the tier copy", async () => {
    await test.sql`insert into users (id) values ('u1')`;
    for (const [index, [aiProvider]] of SPLITS.entries()) {
      await test.sql`
        insert into background_removal_jobs (id, user_id, original_file_name, original_file_path, original_file_size, tier, credit_used, pricing_type, ai_provider, model_name)
        values (${`j${index}`}, 'u1', 'a.jpg', 'in/a.jpg', 1, 'standard', 8, 'credits', ${aiProvider}, 'standard')`;
    }
    // The fresh database already ran every migration on no rows; run this one's data step on the old rows.
    const file = (await readdir(MIGRATIONS_FOLDER)).find((name) => name.endsWith("_removal_sources.sql"))!;
    const statements = (await readFile(join(MIGRATIONS_FOLDER, file), "utf8"))
      .split("--> statement-breakpoint")
      .filter((s) => !/ADD COLUMN/.test(s));
    for (const statement of statements) await test.sql.unsafe(statement);

    const rows = await test.sql<{ id: string; ai_provider: string | null; model_name: string | null; worker_id: string | null }[]>`
      select id, ai_provider, model_name, worker_id from background_removal_jobs order by id`;
    const byId = new Map(rows.map(({ id, ...columns }) => [id, columns]));
    expect(SPLITS.map((_, index) => byId.get(`j${index}`))).toEqual(SPLITS.map(([, after]) => after));
  });
});
