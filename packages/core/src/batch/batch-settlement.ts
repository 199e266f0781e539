import { backgroundRemovalBatches, backgroundRemovalJobs, type Transaction } from "@bgr/db";
import { settleBatch, shareOf } from "@bgr/domain";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { creditLedgerService } from "../credits/credit-ledger.ts";
import type { JobQueue } from "../queue/job-queue.ts";

/**
 * Closes a batch once none of its items is pending or processing: it then costs the volume price of
 * the items that succeeded (never more than its quote), the difference comes back in ONE refund row,
 * each item's `creditUsed` becomes its share of that price, and the ZIP is queued. Runs in the
 * caller's transaction with the batch row locked (FOR UPDATE); the last item's settlement and a
 * cancel both end here, and a second call changes nothing.
 */
export async function closeBatchIfSettled(tx: Transaction, queue: JobQueue, batchId: string, now: Date): Promise<void> {
  const [batch] = await tx.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batchId));
  if (!batch || batch.refundedCredits !== null) return;
  const items = await tx
    .select({ id: backgroundRemovalJobs.id, status: backgroundRemovalJobs.status })
    .from(backgroundRemovalJobs)
    .where(eq(backgroundRemovalJobs.batchId, batchId))
    .orderBy(asc(backgroundRemovalJobs.createdAt), asc(backgroundRemovalJobs.id));
  if (items.some((item) => item.status === "pending" || item.status === "processing")) return;

  const succeeded = items.filter((item) => item.status === "completed").map((item) => item.id);
  const { netTotal, refund } = settleBatch({ tier: batch.tier, totalImages: batch.totalImages, finalTotal: batch.finalTotal }, succeeded.length);
  if (refund > 0) {
    await creditLedgerService.credit(tx, {
      userId: batch.userId,
      amount: refund,
      reason: "refund",
      referenceType: "background_removal_batch",
      referenceId: batchId,
      idempotencyKey: `refund:batch:${batchId}`,
    });
  }
  // What each item finally cost: the successes share netTotal (two neighbouring values), the others nothing.
  const byShare = new Map<number, string[]>();
  succeeded.forEach((id, index) => {
    const share = shareOf(netTotal, succeeded.length, index);
    byShare.set(share, [...(byShare.get(share) ?? []), id]);
  });
  for (const [share, ids] of byShare) {
    await tx.update(backgroundRemovalJobs).set({ creditUsed: share }).where(inArray(backgroundRemovalJobs.id, ids));
  }
  await tx
    .update(backgroundRemovalJobs)
    .set({ creditUsed: 0, refundedAt: now })
    .where(and(eq(backgroundRemovalJobs.batchId, batchId), inArray(backgroundRemovalJobs.status, ["failed", "cancelled"])));
  await tx
    .update(backgroundRemovalBatches)
    .set({ refundedCredits: refund })
    .where(and(eq(backgroundRemovalBatches.id, batchId), isNull(backgroundRemovalBatches.refundedCredits)));
  await queue.enqueue(tx, "batchFinalize", [{ batchId }]);
}
