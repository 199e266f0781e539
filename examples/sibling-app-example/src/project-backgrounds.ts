// Spec 7.1, as Avatar Creator would write it: "remove the backgrounds of all avatars in a project".
// Background Remover Pro fetches the project's images from Avatar Creator itself (forwarding the
// caller's token), so the app sends only the project id.
import type { BackgroundRemoverClient, BatchView, JobView, RouterOutputs, Tier } from "@lumiku/background-remover-client";

export type AvatarCreatorBatchStarted = RouterOutputs["integrations"]["avatarCreatorBatch"];

export interface ProjectBackgroundsSummary {
  projectId: string;
  totalAvatars: number;
  /** Charged when the work was accepted, volume discount included. */
  totalCredits: number;
  discountPercentage: number;
  /** Where the work ended: the batch's status, or the single job's. */
  status: BatchView["status"] | JobView["status"];
  /** The batch, waited for, when the project had two or more avatars (its ZIP: `client.downloadBatch`). */
  batch: BatchView | null;
  /** The removal job, when the project had a single avatar. */
  job: JobView | null;
}

/**
 * Removes the backgrounds of every avatar in an Avatar Creator project and waits for the result.
 * A project of one avatar is one removal job (no batch), which the server answers already settled.
 */
export async function removeProjectBackgrounds(
  client: BackgroundRemoverClient,
  projectId: string,
  options: { tier?: Tier; callbackUrl?: string; onProgress?: (batch: BatchView) => void; timeoutMs?: number } = {},
): Promise<ProjectBackgroundsSummary> {
  const started = await client.trpc.integrations.avatarCreatorBatch.mutate({
    projectId,
    tier: options.tier ?? "basic",
    callbackUrl: options.callbackUrl,
  });
  const summary = {
    projectId: started.projectId,
    totalAvatars: started.totalAvatars,
    totalCredits: started.totalCredits,
    discountPercentage: started.discountPercentage,
  };
  if (started.batchId !== null) {
    const batch = await client.waitForBatch(started.batchId, {
      intervalMs: 500,
      timeoutMs: options.timeoutMs,
      onProgress: options.onProgress,
    });
    return { ...summary, status: batch.status, batch, job: null };
  }
  if (started.jobId === null) throw new Error(`Background Remover Pro answered neither a batch nor a job for project ${projectId}.`);
  const job = await client.trpc.jobs.get.query({ jobId: started.jobId });
  return { ...summary, status: job.status, batch: null, job };
}
