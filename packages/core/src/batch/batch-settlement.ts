import type { Transaction } from "@bgr/db";
import { settleBatch, shareOf } from "@bgr/domain";
import { creditLedgerService, type CreditLedger } from "../credits/credit-ledger.ts";
import type { TaskQueue } from "../queue/task-queue.ts";
import { batchRepository, type BatchRepository } from "./batch.repository.ts";

/** What settling a batch touches: its rows, the ledger (the refund) and the queue (the ZIP). */
export interface BatchSettlementDeps {
  batches: BatchRepository;
  ledger: CreditLedger;
  queue: Pick<TaskQueue, "enqueue">;
}

/** The drizzle repository and ledger, for services built without their own. */
export const defaultBatchStores = { batches: batchRepository, ledger: creditLedgerService };

/**
 * Closes a batch once none of its items is pending or processing: it then costs the volume price of
 * the items that succeeded (never more than its quote), the difference comes back in ONE refund row,
 * each item's `creditUsed` becomes its share of that price, and the ZIP is queued. Runs in the
 * caller's transaction with the batch row locked (FOR UPDATE); the last item's settlement and a
 * cancel both end here, and a second call changes nothing.
 */
export async function closeBatchIfSettled(tx: Transaction, deps: BatchSettlementDeps, batchId: string, now: Date): Promise<void> {
  const { batches, ledger, queue } = deps;
  const batch = await batches.find(tx, batchId);
  if (!batch || batch.refundedCredits !== null) return;
  const items = await batches.itemStatuses(tx, batchId);
  if (items.some((item) => item.status === "pending" || item.status === "processing")) return;

  const succeeded = items.filter((item) => item.status === "completed").map((item) => item.id);
  const { netTotal, refund } = settleBatch(
    { tier: batch.tier, totalImages: batch.totalImages, finalTotal: batch.finalTotal },
    succeeded.length,
  );
  if (refund > 0) {
    await ledger.credit(tx, {
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
  for (const [share, ids] of byShare) await batches.setItemCost(tx, ids, share);
  await batches.markUnsuccessfulItemsRefunded(tx, batchId, now);
  await batches.recordRefund(tx, batchId, refund);
  await queue.enqueue(tx, "batchFinalize", [{ batchId }]);
}
