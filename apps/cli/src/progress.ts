/** What happened to one input file. */
export type FileOutcome = { ok: true; outputName: string; width: number; height: number; seconds: number } | { ok: false; reason: string };

/** Reports a run over `total` files on a stream (stderr), as a redrawn bar on a terminal or as plain lines. */
export interface Progress {
  started(index: number, display: string): void;
  finished(index: number, display: string, outcome: FileOutcome): void;
  /** A message of its own line, printed without tearing the bar. */
  note(message: string): void;
  /** Removes the bar, if any; call before the summary. */
  end(): void;
}

export interface BarState {
  done: number;
  total: number;
  current: string;
  /** Average wall time per finished image, once one has finished. */
  secondsPerImage: number | null;
}

const BAR_CELLS = 20;
const CLEAR_LINE = "\r\x1b[2K";

export function createProgress(stream: NodeJS.WriteStream, total: number, now: () => number = () => performance.now()): Progress {
  return stream.isTTY && total > 1 ? new BarProgress(stream, total, now) : new LineProgress(stream, total);
}

/** `[#####---------------] 12/40  photo.jpg  1.2s/img  ETA 34s`, cut to `columns`. Pure. */
export function formatBar(state: BarState, columns: number): string {
  const filled = state.total === 0 ? 0 : Math.round((state.done / state.total) * BAR_CELLS);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_CELLS - filled)}] ${state.done}/${state.total}`;
  const rate =
    state.secondsPerImage === null || state.done === state.total
      ? ""
      : `  ${state.secondsPerImage.toFixed(1)}s/img  ETA ${formatDuration(state.secondsPerImage * (state.total - state.done))}`;
  const room = columns - bar.length - rate.length - 3;
  const name = state.current === "" || room < 4 ? "" : `  ${ellipsis(state.current, room)}`;
  return `${bar}${name}${rate}`.slice(0, Math.max(columns - 1, 0));
}

/** `0.8s`, `34s`, `2m05s`, `1h02m`. Pure. */
export function formatDuration(seconds: number): string {
  if (seconds < 9.95) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function formatOutcome(index: number, total: number, display: string, outcome: FileOutcome): string {
  if (!outcome.ok) return `error: ${display}: ${outcome.reason}`;
  return `[${index + 1}/${total}] ${display} -> ${outcome.outputName} (${outcome.width}x${outcome.height}, ${formatDuration(outcome.seconds)})`;
}

/** Keeps the end of a long path (the file name is the part worth seeing). */
function ellipsis(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

class LineProgress implements Progress {
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  started(): void {}

  finished(index: number, display: string, outcome: FileOutcome): void {
    this.stream.write(`${formatOutcome(index, this.total, display, outcome)}\n`);
  }

  note(message: string): void {
    this.stream.write(`${message}\n`);
  }

  end(): void {}
}

class BarProgress implements Progress {
  private readonly startedAt: number;
  private done = 0;
  private current = "";

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  started(_index: number, display: string): void {
    this.current = display;
    this.draw();
  }

  finished(index: number, display: string, outcome: FileOutcome): void {
    this.done++;
    // Successes show in the bar; failures need a line of their own that stays on screen.
    if (!outcome.ok) this.note(formatOutcome(index, this.total, display, outcome));
    else this.draw();
  }

  note(message: string): void {
    this.stream.write(`${CLEAR_LINE}${message}\n`);
    this.draw();
  }

  end(): void {
    this.stream.write(CLEAR_LINE);
  }

  private draw(): void {
    const secondsPerImage = this.done === 0 ? null : (this.now() - this.startedAt) / 1000 / this.done;
    const state = { done: this.done, total: this.total, current: this.current, secondsPerImage };
    this.stream.write(`${CLEAR_LINE}${formatBar(state, this.stream.columns || 80)}`);
  }
}
