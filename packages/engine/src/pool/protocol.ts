import { InvalidImageError, InvalidMatteError, InvalidOptionsError, ModelUnavailableError, type InvalidImageReason } from "../errors.ts";
import type { EngineConfig, RemovalResult, RemoveOptions } from "../engine.ts";

/** What a worker thread is started with. */
export interface EngineWorkerData {
  engine: EngineConfig;
  /** Load and run every tier's model once before reporting ready. */
  warmUp: boolean;
}

/** A worker's first message: it can take requests now. */
export interface WorkerReady {
  kind: "ready";
  warmModels: string[];
}

/** What a worker is asked to do: a removal with the tier's model, with a matte made elsewhere, or a result composed again. */
export type EngineRequest =
  | { kind: "remove"; id: number; bytes: Uint8Array; options: RemoveOptions }
  | { kind: "removeWithMatte"; id: number; bytes: Uint8Array; matte: Uint8Array; options: RemoveOptions; provider: string }
  | { kind: "recompose"; id: number; bytes: Uint8Array; matte: Uint8Array; options: RemoveOptions };

export type RemoveReply =
  { id: number; ok: true; result: Omit<RemovalResult, "data"> & { data: Uint8Array } } | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  reason?: InvalidImageReason;
}

/** Errors cross the thread boundary as plain data; the typed classes are rebuilt on the other side. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof InvalidImageError) return { name: error.name, message: error.message, reason: error.reason };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.name) {
    case "InvalidImageError":
      return new InvalidImageError(error.reason ?? "corrupt", error.message);
    case "InvalidOptionsError":
      return new InvalidOptionsError(error.message);
    case "InvalidMatteError":
      return new InvalidMatteError(error.message);
    case "ModelUnavailableError":
      return new ModelUnavailableError(error.message);
    default:
      return new Error(error.message);
  }
}
