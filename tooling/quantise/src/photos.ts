import { readdirSync } from "node:fs";
import path from "node:path";
import ort from "onnxruntime-node";
import sharp from "sharp";

/** ISNet's input side and normalisation (the engine's built-in definition: (rgb/255 - 0.5) / 1). */
export const INPUT_SIZE = 1024;
const MEAN = 0.5;

/** The scored dev photos (`<id>.<ext>` beside `<id>.alpha.png`), sorted by id. */
export function devPhotos(dir: string): { id: string; file: string }[] {
  const files = new Set(readdirSync(dir));
  return [...files]
    .sort()
    .map((file) => ({ file, id: file.replace(/\.[^.]+$/, "") }))
    .filter(({ file, id }) => /\.(jpe?g|png|webp)$/i.test(file) && !/\.(alpha|ignore)$/.test(id) && files.has(`${id}.alpha.png`))
    .map(({ file, id }) => ({ id, file: path.join(dir, file) }));
}

/** The photo as the engine feeds it: upright, resized (fill) to the input square, normalised, NCHW. */
export async function modelInput(file: string): Promise<ort.Tensor> {
  const rgb = await sharp(file)
    .rotate()
    .removeAlpha()
    .toColourspace("srgb")
    .resize(INPUT_SIZE, INPUT_SIZE, { fit: "fill" })
    .raw()
    .toBuffer();
  const plane = INPUT_SIZE * INPUT_SIZE;
  const input = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) input[c * plane + i] = rgb[i * 3 + c]! / 255 - MEAN;
  return new ort.Tensor("float32", input, [1, 3, INPUT_SIZE, INPUT_SIZE]);
}
