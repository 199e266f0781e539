import ort from "onnxruntime-node";

/** A session as the engine opens one (sequential, one inter-op thread, no arena). */
export function openSession(model: string | Uint8Array, threads = 2, optimizedModelFilePath?: string): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    executionProviders: ["cpu"],
    executionMode: "sequential",
    interOpNumThreads: 1,
    intraOpNumThreads: threads,
    enableCpuMemArena: false,
    enableMemPattern: false,
    ...(optimizedModelFilePath ? { optimizedModelFilePath } : {}),
  };
  return typeof model === "string" ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

/** The model's 1024² foreground probability as a flat Float32Array. */
export async function predict(session: ort.InferenceSession, input: ort.Tensor): Promise<Float32Array> {
  const result = await session.run({ input }, ["output"]);
  return Float32Array.from(result.output!.data as Float32Array);
}
