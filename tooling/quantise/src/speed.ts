/** Research: interleaved timing of several models on one photo (same process, same load). */
import { modelInput } from "./photos.ts";
import { openSession, predict } from "./session.ts";

const [photo, runs, ...files] = process.argv.slice(2) as [string, string, ...string[]];
const input = await modelInput(photo);
const sessions = await Promise.all(files.map((f) => openSession(f)));
for (const s of sessions) await predict(s, input);
const times = files.map(() => [] as number[]);
for (let r = 0; r < Number(runs); r++) {
  for (const [i, s] of sessions.entries()) {
    const t0 = performance.now();
    await predict(s, input);
    times[i]!.push(performance.now() - t0);
  }
}
for (const [i, f] of files.entries()) {
  const sorted = [...times[i]!].sort((a, b) => a - b);
  console.log(`${f}\tmedian ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms\tmin ${Math.round(sorted[0]!)} ms`);
}
