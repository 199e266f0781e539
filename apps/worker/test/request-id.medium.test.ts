import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "@bgr/server/testing";

let server: TestServer;
let worker: ChildProcess | undefined;
const workerLines: Record<string, unknown>[] = [];
/** stdout lines that are not JSON: there should be none. */
const plainLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKER: "false" });
});
afterAll(async () => {
  worker?.kill("SIGKILL");
  await server?.close();
});

/** The worker daemon in its own process; its stdout is parsed as the JSON lines operators collect. */
function startWorker(): void {
  worker = spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", "src/main.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, ...server.env, WORKER_CONCURRENCY: "1", WORKER_ID: "request-id-test", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let buffered = "";
  worker.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        workerLines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        plainLines.push(line);
      }
    }
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; worker logged:\n${workerLines.map((l) => JSON.stringify(l)).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("request ids in the worker's log", () => {
  it("follow a batch from the HTTP request into the worker's lines for its items and its ZIP", async () => {
    await server.runtime.deps.services.users.ensure("traced");
    await server.runtime.deps.services.users.grant("traced", 100);
    const form = new FormData();
    form.set("tier", "basic");
    const photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
    for (const name of ["one.jpg", "two.jpg"]) form.append("images", new Blob([photo]), name);
    const requestId = `trace-${Date.now()}`;
    const response = await fetch(`${server.api}/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${await server.token("traced")}`, "x-request-id": requestId },
      body: form,
    });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const batchId = ((await response.json()) as { data: { batchId: string } }).data.batchId;

    startWorker();
    // The item's job, then the ZIP job the item's completion enqueued in the worker: both carry the id.
    await until(
      () => workerLines.some((l) => l.queue === "batch-finalize" && l.batchId === batchId && l.msg === "job done"),
      "the batch's ZIP job",
    );
    const item = workerLines.find((l) => l.queue === "batch-item" && l.msg === "job done");
    expect(item).toMatchObject({ requestId, queueJobId: expect.any(String), jobId: expect.any(String) });
    expect(workerLines.find((l) => l.queue === "batch-finalize")).toMatchObject({ requestId, batchId });
    expect(plainLines).toEqual([]);
    // Jobs nobody requested (the hourly retention sweep) carry no request id.
    expect(workerLines.filter((l) => l.requestId !== undefined).every((l) => l.requestId === requestId)).toBe(true);
  });
});
