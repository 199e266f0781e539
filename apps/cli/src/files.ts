import { readdir, stat } from "node:fs/promises";
import path from "node:path";

const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".avif", ".tif", ".tiff", ".gif"]);

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** The path as the user would recognise it (what they typed, or dir/entry). */
  display: string;
}

export interface InputProblem {
  display: string;
  reason: string;
}

export interface ExpandedInputs {
  files: InputFile[];
  /** Arguments that name nothing usable; each counts as a failed file. */
  problems: InputProblem[];
  /** Directories without a single image: worth saying, not a failure. */
  emptyDirs: string[];
}

export function isImageFileName(name: string): boolean {
  return !name.startsWith(".") && IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/**
 * Files named on the command line are taken as they are (the engine says if one is not an image);
 * directories contribute their image files, sorted by name, without descending into subdirectories.
 * A file reached twice is processed once.
 */
export async function expandInputs(args: readonly string[], baseDir: string): Promise<ExpandedInputs> {
  const files: InputFile[] = [];
  const problems: InputProblem[] = [];
  const emptyDirs: string[] = [];
  const seen = new Set<string>();
  const add = (file: InputFile) => {
    if (!seen.has(file.path)) files.push(file);
    seen.add(file.path);
  };

  for (const arg of args) {
    const absolute = path.resolve(baseDir, arg);
    const info = await stat(absolute).catch(() => null);
    if (!info) {
      problems.push({ display: arg, reason: "No such file or directory." });
    } else if (info.isDirectory()) {
      const entries = await readdir(absolute, { withFileTypes: true });
      const images = entries
        .filter((e) => !e.isDirectory() && isImageFileName(e.name))
        .map((e) => e.name)
        .sort();
      if (images.length === 0) emptyDirs.push(arg);
      for (const name of images) add({ path: path.join(absolute, name), display: path.join(arg, name) });
    } else if (info.isFile()) {
      add({ path: absolute, display: arg });
    } else {
      problems.push({ display: arg, reason: "Not a regular file or directory." });
    }
  }
  return { files, problems, emptyDirs };
}

/**
 * Output file names, one per input: `<name without extension>.<format>`. When names clash
 * (case-insensitively, for macOS and Windows disks) the first keeps its name and later ones get
 * `-2`, `-3`, ..., never a name another input would naturally take. Names in `avoid` (inputs that
 * live in the output directory) are never used, so no input is overwritten before it is read.
 */
export function assignOutputNames(inputPaths: readonly string[], format: string, avoid: ReadonlySet<string> = new Set()): string[] {
  const key = (stem: string) => `${stem}.${format}`.toLowerCase();
  const avoided = new Set([...avoid].map((name) => name.toLowerCase()));
  const stems = inputPaths.map((p) => path.parse(p).name);
  const natural = new Set(stems.map(key));
  const taken = new Set<string>();
  // A suffixed name must also leave every input's natural name to that input.
  const usable = (name: string, suffixed: boolean) =>
    !taken.has(key(name)) && !avoided.has(key(name)) && !(suffixed && natural.has(key(name)));
  return stems.map((stem) => {
    let candidate = stem;
    for (let n = 2; !usable(candidate, candidate !== stem); n++) candidate = `${stem}-${n}`;
    taken.add(key(candidate));
    return `${candidate}.${format}`;
  });
}
