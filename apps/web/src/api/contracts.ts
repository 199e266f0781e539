/**
 * What the screens read about batches and subscriptions, typed from the tRPC router; plus the answer of
 * REST `POST /batch` (a multipart upload, so not a tRPC call).
 */
import type { RouterOutputs, Tier } from "./trpc.ts";

export type Batch = RouterOutputs["batch"]["get"];
export type BatchItem = NonNullable<Batch["items"]>[number];
export type BatchPage = RouterOutputs["batch"]["list"];
export type Subscription = RouterOutputs["subscription"]["get"];

export interface BatchCreated {
  batchId: string;
  totalImages: number;
  tier: Tier;
  status: string;
  createdAt?: string;
}

/** A job that will not change any more: its page stops asking. */
export function isJobSettled(status: string): boolean {
  return status !== "pending" && status !== "processing";
}

/** No more items will be started (the cancel button goes away). */
export function isFinished(status: string): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}

/**
 * Nothing about the batch will change: polling stops. A cancelled batch still finishes the items already
 * running and then gets its ZIP, so "cancelled" alone is not the end.
 */
export function isSettled(batch: Pick<Batch, "status" | "completedAt" | "zipUrl">): boolean {
  return batch.status === "failed" || batch.completedAt !== null || batch.zipUrl !== null;
}
