import {
  ChecksumMismatchError,
  DownloadError,
  MODEL_PACKS,
  pullPack,
  TIER_NAMES,
  type Checksum,
  type DownloadProgress,
  type RemovalEngine,
} from "@bgr/engine";
import { formatDuration } from "./progress.ts";

export interface PullRequest {
  id: string;
  url: string | undefined;
  checksum: Checksum | undefined;
  cacheDir: string;
}

/**
 * `bgr models pull <id>`: downloads, verifies and installs a model pack, then says which tiers
 * use it now. Exit 0 installed, 1 download or checksum failure (the message says what to do).
 */
export async function runPull(
  request: PullRequest,
  engineAfter: () => Promise<RemovalEngine>,
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream },
  now: () => number = () => performance.now(),
): Promise<number> {
  const model = MODEL_PACKS.find((m) => m.id === request.id)!;
  const url = request.url ?? model.source.url;
  streams.stderr.write(
    `Pulling ${model.id} (${model.licence ?? "licence unknown"}, about ${formatBytes(model.source.sizeBytes)}) from ${url}\n`,
  );
  const progress = createDownloadProgress(streams.stderr, now);
  try {
    const result = await pullPack(request.cacheDir, model, { url, checksum: request.checksum, onProgress: progress.update });
    progress.end();
    const engine = await engineAfter();
    const tiers = TIER_NAMES.filter((tier) => engine.tier(tier).model === model.id);
    const resumed = result.resumedFrom > 0 ? `, resumed after ${formatBytes(result.resumedFrom)}` : "";
    streams.stdout.write(
      `Installed ${model.id} (${formatBytes(result.receipt.bytes)}, ${result.receipt.verifiedAgainst.algorithm} verified${resumed}) at ${result.file}\n` +
        (tiers.length > 0
          ? `Tiers that use it now: ${tiers.join(", ")}. Restart running servers and workers to switch.\n`
          : `No tier uses it yet: a tier uses the first installed model of its list (see bgr models).\n`),
    );
    return 0;
  } catch (error) {
    progress.end();
    if (error instanceof ChecksumMismatchError || error instanceof DownloadError) {
      streams.stderr.write(`bgr: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** `973 MB`, `12.4 MB`, `850 kB` (decimal units, as download sizes are quoted). Pure. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e7) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

export interface DownloadBarState {
  bytes: number;
  totalBytes: number | null;
  /** Bytes per second over this session's transfer (resumed bytes not counted), once measurable. */
  bytesPerSecond: number | null;
}

/** `[#######-------------] 35%  340 MB / 973 MB  11.2 MB/s  ETA 56s`, cut to `columns`. Pure. */
export function formatDownloadBar(state: DownloadBarState, columns: number): string {
  const cells = 20;
  const fraction = state.totalBytes ? Math.min(1, state.bytes / state.totalBytes) : 0;
  const filled = Math.round(fraction * cells);
  const bar = state.totalBytes ? `[${"#".repeat(filled)}${"-".repeat(cells - filled)}] ${Math.floor(fraction * 100)}%` : "[downloading]";
  const amount = state.totalBytes ? `${formatBytes(state.bytes)} / ${formatBytes(state.totalBytes)}` : formatBytes(state.bytes);
  const rate = state.bytesPerSecond ? `  ${formatBytes(state.bytesPerSecond)}/s` : "";
  const eta =
    state.bytesPerSecond && state.totalBytes ? `  ETA ${formatDuration((state.totalBytes - state.bytes) / state.bytesPerSecond)}` : "";
  return `${bar}  ${amount}${rate}${eta}`.slice(0, Math.max(columns - 1, 0));
}

const CLEAR_LINE = "\r\x1b[2K";

/** A redrawn bar on a terminal (at most 10 times a second); elsewhere a line per 10 %. */
function createDownloadProgress(stream: NodeJS.WriteStream, now: () => number) {
  let started: { at: number; bytes: number } | null = null;
  let lastDraw = -Infinity;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(progress: DownloadProgress) {
      const t = now();
      // A retry restarts the rate from where it resumed.
      if (!started || progress.bytes < started.bytes) started = { at: t, bytes: progress.bytes };
      const seconds = (t - started.at) / 1000;
      const bytesPerSecond = seconds > 0.5 ? (progress.bytes - started.bytes) / seconds : null;
      const state = { bytes: progress.bytes, totalBytes: progress.totalBytes, bytesPerSecond };
      if (stream.isTTY) {
        if (t - lastDraw < 100 && progress.bytes !== progress.totalBytes) return;
        lastDraw = t;
        drawn = true;
        stream.write(`${CLEAR_LINE}${formatDownloadBar(state, stream.columns || 80)}`);
        return;
      }
      const decile = progress.totalBytes ? Math.floor((progress.bytes / progress.totalBytes) * 10) : -1;
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${formatDownloadBar(state, 120)}\n`);
      }
    },
    end() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
    },
  };
}
