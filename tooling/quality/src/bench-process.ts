/**
 * A whole removal process, as a user's one-off job runs it: start, load the model, remove each
 * image, exit. argv: <tier> <file>... Timed from outside by bench.ts (spawn to exit).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createEngine, isTierName } from "@bgr/engine";
import { REPO_ROOT } from "./dataset.ts";

const [tier, ...files] = process.argv.slice(2);
if (!isTierName(tier)) throw new Error(`unknown tier ${tier}`);
const engine = await createEngine({ cacheDir: path.join(REPO_ROOT, "data/models") });
for (const file of files) await engine.remove(await readFile(file), { tier });
