import { parseArgs, type ParseArgsConfig } from "node:util";
import { MODEL_PACKS, TIER_NAMES, isTierName, parseChecksum, type Checksum, type OutputFormat, type RemoveOptions } from "@bgr/engine";

/** The command line could not be understood: print the message and the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Engine settings shared by every command; paths exactly as typed (resolved later against the invocation dir). */
export interface EngineArgs {
  cacheDir: string | undefined;
  modelDirs: string[];
  threads: number | undefined;
}

export type Command =
  | { kind: "help" }
  | { kind: "models"; engine: EngineArgs }
  | { kind: "pull"; id: string; url: string | undefined; checksum: Checksum | undefined; cacheDir: string | undefined }
  | { kind: "remove"; inputs: string[]; outDir: string; options: RemoveOptions; engine: EngineArgs };

const OUTPUT_FORMATS: readonly OutputFormat[] = ["png", "webp", "jpg"];
const RESULTS = ["cutout", "mask"] as const;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  tier: { type: "string", short: "t" },
  out: { type: "string", short: "o" },
  format: { type: "string", short: "f" },
  background: { type: "string" },
  result: { type: "string" },
  crop: { type: "string" },
  threads: { type: "string" },
  "models-dir": { type: "string", multiple: true },
  "cache-dir": { type: "string" },
  url: { type: "string" },
  sha256: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

type OptionName = keyof typeof OPTIONS;
const ENGINE_OPTIONS: OptionName[] = ["help", "threads", "models-dir", "cache-dir"];
const ALLOWED: Record<"models" | "pull" | "remove", OptionName[]> = {
  models: ENGINE_OPTIONS,
  pull: ["help", "cache-dir", "url", "sha256"],
  remove: [...ENGINE_OPTIONS, "tier", "out", "format", "background", "result", "crop"],
};

/** Turns argv (without `node main.ts`) into a validated command, or throws UsageError. Pure. */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parse(normaliseCrop(argv));
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === "help") return { kind: "help" };
  if (name !== "models" && name !== "remove") throw new UsageError(`Unknown command "${name}". Use "remove" or "models".`);

  const pulling = name === "models" && rest[0] === "pull";
  for (const option of Object.keys(values) as OptionName[]) {
    const allowed = ALLOWED[pulling ? "pull" : name];
    if (!allowed.includes(option)) throw new UsageError(`Option --${option} does not apply to "${pulling ? "models pull" : name}".`);
  }
  if (pulling) return parsePull(rest.slice(1), values);
  const engine: EngineArgs = {
    cacheDir: values["cache-dir"],
    modelDirs: values["models-dir"] ?? [],
    threads: values.threads === undefined ? undefined : positiveInteger("--threads", values.threads),
  };
  if (name === "models") {
    if (rest.length > 0) throw new UsageError(`"models" takes no arguments but "pull <id>" (got "${rest[0]}").`);
    return { kind: "models", engine };
  }

  if (rest.length === 0) throw new UsageError("Name at least one image file or directory to process.");
  if (values.tier === undefined) throw new UsageError(`--tier is required: one of ${TIER_NAMES.join(", ")}.`);
  if (!isTierName(values.tier)) throw new UsageError(`Unknown tier "${values.tier}": use one of ${TIER_NAMES.join(", ")}.`);
  if (values.out === undefined) throw new UsageError("--out is required: the directory to write results into.");
  const format = oneOf("--format", values.format ?? "png", OUTPUT_FORMATS);
  const result = oneOf("--result", values.result ?? "cutout", RESULTS);
  const background = parseBackground(values.background ?? "transparent");
  if (format === "jpg" && result === "cutout" && background === "transparent") {
    throw new UsageError('JPEG has no transparency: use --format png or webp, or give --background such as "#ffffff".');
  }
  const crop = values.crop === undefined ? false : { marginPx: nonNegativeInteger("--crop", values.crop) };
  return { kind: "remove", inputs: rest, outDir: values.out, options: { tier: values.tier, format, background, result, crop }, engine };
}

const PACK_IDS = MODEL_PACKS.map((m) => m.id);

function parsePull(args: string[], values: ReturnType<typeof parse>["values"]): Command {
  const [id, extra] = args;
  if (id === undefined) throw new UsageError(`Name the model pack to pull: one of ${PACK_IDS.join(", ")}.`);
  if (extra !== undefined) throw new UsageError(`"models pull" takes one model id (got also "${extra}").`);
  if (!PACK_IDS.includes(id)) throw new UsageError(`"${id}" is not a model pack. Packs: ${PACK_IDS.join(", ")}.`);
  if (values.url !== undefined && !/^https?:\/\/\S+$/.test(values.url))
    throw new UsageError(`--url must be an http(s) URL (got "${values.url}").`);
  let checksum: Checksum | undefined;
  try {
    checksum = values.sha256 === undefined ? undefined : parseChecksum(values.sha256);
  } catch (error) {
    throw new UsageError(`--sha256: ${(error as Error).message}`);
  }
  return { kind: "pull", id, url: values.url, checksum, cacheDir: values["cache-dir"] };
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own messages ("Unknown option '--x'", "Option '--tier <value>' argument missing") are clear enough.
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(error.message.split(". To specify a positional")[0]!);
    }
    throw error;
  }
}

/**
 * `--crop` takes an optional margin, which parseArgs cannot express: a bare `--crop` (not followed
 * by a whole number) becomes `--crop=0`. So `--crop 12 photo.jpg` means a 12 px margin.
 */
export function normaliseCrop(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (arg === "--crop" && !/^\d+$/.test(argv[i + 1] ?? "") ? "--crop=0" : arg));
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}").`);
}

/** `transparent`, or a hex colour `#rgb`/`#rrggbb` (the `#` may be left out, since an unquoted `#` starts a shell comment). */
export function parseBackground(value: string): string {
  if (value === "transparent") return value;
  const hex = value.replace(/^#/, "");
  if (/^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(hex)) return `#${hex.toLowerCase()}`;
  throw new UsageError(`--background must be "transparent" or a hex colour such as "#ffffff" (got "${value}").`);
}

function positiveInteger(flag: string, value: string): number {
  const n = nonNegativeInteger(flag, value);
  if (n === 0) throw new UsageError(`${flag} must be at least 1.`);
  return n;
}

function nonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number (got "${value}").`);
  return Number(value);
}

export const USAGE = `Usage:
  bgr remove <files or dirs...> --tier <tier> --out <dir> [options]
  bgr models [--models-dir DIR] [--cache-dir DIR]
  bgr models pull <id> [--url URL] [--sha256 HEX] [--cache-dir DIR]
  bgr --help

Remove the background from images. Directories are scanned for image files
(jpg, jpeg, png, webp, avif, tif, tiff, gif), not recursively; hidden files are skipped.
Each result is written to <out>/<name>.<format>; clashing names get -2, -3, ...

Options for remove:
  -t, --tier <tier>          ${TIER_NAMES.join(" | ")} (required)
  -o, --out <dir>            output directory, created if missing (required)
  -f, --format <fmt>         png (default) | webp | jpg
      --background <colour>  transparent (default) or hex such as "#ffffff" (quote it, or drop the #)
      --result <kind>        cutout (default) | mask (the alpha matte as greyscale)
      --crop [marginPx]      crop to the subject, with this margin in pixels (default 0)

Model packs (stronger weights an operator downloads on purpose; nothing downloads at run time):
  ${PACK_IDS.join(", ")}
  models pull streams the pack into the model cache (resuming a cut download),
  checks it against the checksum its upstream publishes, and installs it atomically.
      --url <url>            download from a mirror instead
      --sha256 <hex>         expected sha256 (or md5:<hex>) of the file at --url
  Tiers use the first installed model of their list: restart the server after a pull.

Engine options (remove and models):
      --threads <n>          threads per inference (default: all cores)
      --models-dir <dir>     directory with extra models and their models.json (repeatable)
      --cache-dir <dir>      where assembled models are kept
                             (default: $MODEL_CACHE_DIR, else <repo>/data/models)

Exit status: 0 all images written, 1 some image failed, 2 usage error.`;
