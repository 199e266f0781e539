import { createHmac } from "node:crypto";
import type { Database } from "@bgr/db";
import { batchRepository } from "../batch/batch.repository.ts";
import { toBatchView } from "../batch/batch-view.ts";
import { toRemovalView } from "../removal/removal-view.ts";
import { removalRepository } from "../removal/removal.repository.ts";
import type { UrlSigner } from "../storage/signed-url.ts";
import type { CallbackOutcome, CallbackSender } from "./callback-sender.ts";

export interface CallbackDispatcherDeps {
  db: Database;
  signer: UrlSigner;
  now: () => Date;
  /** Signs callback bodies (HMAC-SHA256 in X-BGR-Signature), so receivers can trust them. */
  secret: string;
  sender: CallbackSender;
}

/**
 * Sends the signed POST a caller asked for when its batch or job settles. Queued in the same
 * transaction as the settlement, so a crash cannot lose it; a failing receiver throws so the queue
 * retries, while a URL the guard refuses resolves as not sent (logged, never retried).
 */
export class CallbackDispatcher {
  constructor(private readonly deps: CallbackDispatcherDeps) {}

  async batch(batchId: string): Promise<CallbackOutcome | null> {
    const batch = await batchRepository.find(this.deps.db, batchId);
    if (!batch?.callbackUrl) return null;
    return this.post(batch.callbackUrl, "batch.finished", toBatchView(batch, this.deps.signer, this.deps.now()));
  }

  async job(jobId: string): Promise<CallbackOutcome | null> {
    const job = await removalRepository.find(this.deps.db, jobId);
    if (!job?.callbackUrl) return null;
    return this.post(
      job.callbackUrl,
      job.status === "completed" ? "job.completed" : "job.failed",
      toRemovalView(job, this.deps.signer, this.deps.now()),
    );
  }

  private async post(url: string, event: string, data: unknown): Promise<CallbackOutcome> {
    const body = JSON.stringify({ event, data });
    const signature = createHmac("sha256", this.deps.secret).update(body).digest("hex");
    const outcome = await this.deps.sender.post(url, body, { "x-bgr-signature": `sha256=${signature}` });
    if (!outcome.sent) console.warn(`callback ${event} not sent: ${outcome.reason}`);
    return outcome;
  }
}
