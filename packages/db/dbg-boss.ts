import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
// @ts-ignore
import PgBoss from "/tmp/pgx/node_modules/pg-boss/src/index.js";
import { createDatabase, migrateDatabase, startEmbeddedPostgres, users } from "./src/index.ts";
const server = await startEmbeddedPostgres({ dataDir: join(mkdtempSync(join(tmpdir(), "dbg-")), "pg") });
const { db, close } = createDatabase(server.url, { max: 5 });
await migrateDatabase(db);
await db.insert(users).values({ id: "u", creditBalance: 0 });
const boss = new PgBoss({ connectionString: server.url, max: 5, maintenanceIntervalSeconds: 1, monitorStateIntervalSeconds: 1 });
boss.on("error", (e: Error) => console.log("BOSS ERROR", e.message));
const t0 = Date.now();
await boss.start();
console.log("boss started", Date.now() - t0, "ms");
await boss.createQueue("removal");
const N = 200;
let done = 0;
await boss.work("removal", { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (jobs: { data: { i: number } }[]) => {
  for (const job of jobs) {
    await db.transaction(async (tx) => {
      const [u] = await tx.select().from(users).where(eq(users.id, "u"));
      await tx.update(users).set({ creditBalance: u!.creditBalance + 1 }).where(eq(users.id, "u"));
    });
    done++;
  }
});
await boss.work("removal", { batchSize: 3, pollingIntervalSeconds: 0.5 }, async (jobs: { data: { i: number } }[]) => {
  for (const job of jobs) {
    await db.transaction(async (tx) => {
      const [u] = await tx.select().from(users).where(eq(users.id, "u"));
      await tx.update(users).set({ creditBalance: u!.creditBalance + 1 }).where(eq(users.id, "u"));
    });
    done++;
  }
});
await Promise.all(Array.from({ length: N }, (_, i) => boss.send("removal", { i }, { retryLimit: 0 })));
console.log("sent", Date.now() - t0, "ms");
while (done < N && Date.now() - t0 < 90_000) await new Promise((r) => setTimeout(r, 200));
console.log("done", done, "balance", (await db.select().from(users).where(eq(users.id, "u")))[0]!.creditBalance, Date.now() - t0, "ms");
await new Promise((r) => setTimeout(r, 3000)); // let maintenance/monitor run
const states = await db.execute(sql`select state, count(*)::int n from pgboss.job group by state`);
console.log("job states", states);
await boss.stop({ graceful: true, wait: true, timeout: 5000 });
await close();
await server.stop();
console.log("stopped cleanly");
