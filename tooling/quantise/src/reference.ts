/** Writes the fp16 model's prediction for every dev photo to <out>/<id>.f32 (the yardstick). */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { devPhotos, modelInput } from "./photos.ts";
import { openSession, predict } from "./session.ts";

const [modelFile, dataDir, outDir] = process.argv.slice(2) as [string, string, string];
mkdirSync(outDir, { recursive: true });
const session = await openSession(modelFile);
for (const photo of devPhotos(dataDir)) {
  const out = path.join(outDir, `${photo.id}.f32`);
  if (existsSync(out)) continue;
  const t0 = performance.now();
  const prediction = await predict(session, await modelInput(photo.file));
  writeFileSync(out, Buffer.from(prediction.buffer));
  console.log(photo.id, Math.round(performance.now() - t0), "ms");
}
