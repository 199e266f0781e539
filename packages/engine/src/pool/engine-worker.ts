import { parentPort, workerData } from "node:worker_threads";
import { createEngine } from "../engine.ts";
import { serializeError, type EngineRequest, type EngineWorkerData, type RemoveReply, type WorkerReady } from "./protocol.ts";

const boot = workerData as EngineWorkerData;
const engine = await createEngine(boot.engine);
if (boot.warmUp) await engine.warmUp();
const port = parentPort!;
port.on("message", async (request: EngineRequest) => {
  try {
    const result =
      request.kind === "removeWithMatte"
        ? await engine.removeWithMatte(request.bytes, request.matte, request.options, request.provider)
        : request.kind === "recompose"
          ? await engine.recompose(request.bytes, request.matte, request.options)
          : await engine.remove(request.bytes, request.options);
    // sharp's buffers are not detachable: copy once into an ArrayBuffer of our own and move that.
    const data = new Uint8Array(result.data);
    const reply: RemoveReply = { id: request.id, ok: true, result: { ...result, data } };
    port.postMessage(reply, [data.buffer]);
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies RemoveReply);
  }
});
port.postMessage({ kind: "ready", warmModels: engine.runner.loadedModels() } satisfies WorkerReady);
