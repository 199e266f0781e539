/**
 * The peer, @imgly/background-removal-node, run in a child process: its code is AGPL (kept out of
 * shipped code) and it bundles its own ONNX Runtime build, which must not share a process with ours.
 *
 * Child protocol: one JSON request per stdin line `{ id, path }`, one JSON reply per stdout line
 * `{ id, ms, alphaFile | error }`; the alpha is written as raw 8-bit bytes at the image's size.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PEER_ROW = "peer-imgly";
/** The peer's package version: its pipeline and weights are fixed per version, so its mattes can be cached. */
export const PEER_VERSION: string = JSON.parse(
  readFileSync(
    path.join(path.dirname(createRequire(import.meta.url).resolve("@imgly/background-removal-node")), "../package.json"),
    "utf8",
  ),
).version;

export interface PeerResult {
  ms: number;
  alpha: Uint8Array;
  /** Peak resident memory of the peer's process so far. */
  peakRssMb: number;
}

export class PeerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<string, { resolve: (r: PeerResult) => void; reject: (e: Error) => void }>();
  private readonly rawWaiting = new Map<string, { resolve: (r: { ms: number; version: string }) => void; reject: (e: Error) => void }>();

  constructor(private readonly workDir: string) {
    const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "peer-worker.ts");
    this.child = spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", worker, workDir], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr.pipe(process.stderr);
    createInterface({ input: this.child.stdout }).on("line", (line) => this.onReply(line));
    this.child.on("exit", (code) => {
      for (const pending of [...this.waiting.values(), ...this.rawWaiting.values()])
        pending.reject(new Error(`peer process exited with ${code}`));
      this.waiting.clear();
      this.rawWaiting.clear();
    });
  }

  /** Removes the background of one image file; resolves with the peer's alpha and its wall time. */
  segment(id: string, file: string): Promise<PeerResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, path: file })}\n`);
    });
  }

  /** One bare forward pass of an ONNX file through the peer's own ONNX Runtime, timed after a first pass. */
  rawPass(id: string, modelFile: string): Promise<{ ms: number; version: string }> {
    return new Promise((resolve, reject) => {
      this.rawWaiting.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, rawModel: modelFile })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  /** Resolves once the peer's process has exited (after close). */
  exited(): Promise<void> {
    return this.child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  private async onReply(line: string) {
    const reply = JSON.parse(line) as { id: string; ms: number; alphaFile?: string; error?: string; peakRssMb?: number; version?: string };
    const raw = this.rawWaiting.get(reply.id);
    if (raw) {
      this.rawWaiting.delete(reply.id);
      return reply.error ? raw.reject(new Error(reply.error)) : raw.resolve({ ms: reply.ms, version: reply.version ?? "?" });
    }
    const pending = this.waiting.get(reply.id);
    if (!pending) return;
    this.waiting.delete(reply.id);
    if (reply.error || !reply.alphaFile) return pending.reject(new Error(reply.error ?? "no alpha"));
    const { readFile, rm } = await import("node:fs/promises");
    const alpha = new Uint8Array(await readFile(reply.alphaFile));
    await rm(reply.alphaFile, { force: true });
    pending.resolve({ ms: reply.ms, alpha, peakRssMb: reply.peakRssMb ?? NaN });
  }
}
