import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { ModelDefinition } from "./model.ts";

/**
 * Operator-supplied models: a directory holding ONNX files and a `models.json` manifest, so a
 * BiRefNet or RMBG export can be dropped in without code changes.
 */
const manifestSchema = z.object({
  models: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' or '-'"),
      description: z.string().default(""),
      file: z.string().refine((f) => !path.isAbsolute(f) && !f.split(/[\\/]/).includes(".."), {
        message: "must be a path inside the models directory",
      }),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      inputSize: z.number().int().min(64).max(4096),
      inputName: z.string().default("input"),
      outputName: z.string().default("output"),
      mean: z.tuple([z.number(), z.number(), z.number()]).default([0.485, 0.456, 0.406]),
      std: z.tuple([z.number(), z.number(), z.number()]).default([0.229, 0.224, 0.225]),
      outputIsProbability: z.boolean().default(false),
    }),
  ),
});

export const MANIFEST_FILE = "models.json";

export async function loadModelManifest(directory: string): Promise<ModelDefinition[]> {
  const file = path.join(directory, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read model manifest ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid model manifest ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data.models.map(({ file: modelFile, ...model }) => ({
    ...model,
    source: { kind: "file", path: path.resolve(directory, modelFile) },
  }));
}
