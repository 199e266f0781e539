/**
 * `pnpm bench:integrations [--images 200] [--runs 3]`
 * The import half of `POST /integrations/avatar-creator/batch` on a real PostgreSQL: the server lists
 * a project on a local fake Avatar Creator, downloads every image through the undici adapter (size
 * cap, magic bytes, SSRF guard), probes and stages them, and commits the batch. No worker runs, so
 * the figures are the integration's own cost: seconds per project, images/s, MB/s, and the
 * server's peak RSS growth while importing.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startFakeLumikuApps } from "@bgr/testing";
import { DEFAULT_DATA_DIR } from "./dataset.ts";
import { median } from "./stats.ts";
import { startTestServer } from "../../../apps/server/test/harness.ts";

const { values } = parseArgs({ options: { images: { type: "string", default: "200" }, runs: { type: "string", default: "3" } } });
const images = Number(values.images);
const photo = await readFile(path.join(DEFAULT_DATA_DIR, "coco-145781-dog.jpg"));

const fake = await startFakeLumikuApps();
const server = await startTestServer({
  RUN_WORKER: "false",
  BATCH_RATE_LIMIT_PER_HOUR: "1000",
  LUMIKU_AVATAR_CREATOR_URL: fake.baseUrls["avatar-creator"],
});
try {
  const token = await server.userWithCredits("bench-importer", 1_000_000);
  const runs: { seconds: number; rssGrowthMb: number }[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const projectId = `bench-${run}`;
    fake.addProject("avatar-creator", {
      id: projectId,
      owner: "bench-importer",
      images: Array.from({ length: images }, (_, i) => ({ id: `${run}-${i}`, name: `avatar-${i}.jpg`, bytes: photo })),
    });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const response = await fetch(`${server.api}/integrations/avatar-creator/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ projectId, tier: "basic" }),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (response.status !== 201) throw new Error(`import failed: ${response.status} ${await response.text()}`);
    runs.push({ seconds, rssGrowthMb: (peak - rssBefore) / 2 ** 20 });
  }
  const seconds = median(runs.map((r) => r.seconds));
  const megabytes = (images * photo.length) / 2 ** 20;
  console.log(
    `Integration import benchmark on ${os.cpus().length} cores: ${images} images of ${(photo.length / 1024).toFixed(0)} KB per project, ${runs.length} runs (p50)`,
  );
  console.log("");
  console.log("| project import | images/s | MB/s | peak RSS growth |");
  console.log("|---:|---:|---:|---:|");
  console.log(
    `| ${seconds.toFixed(2)} s | ${(images / seconds).toFixed(0)} | ${(megabytes / seconds).toFixed(1)} | ${median(runs.map((r) => r.rssGrowthMb)).toFixed(0)} MB |`,
  );
} finally {
  await server.close();
  await fake.close();
}
