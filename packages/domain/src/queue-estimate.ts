/**
 * A rough wait for an unfinished job: every job ahead of it, and the job itself, as if run one at a
 * time at the tier's mean removal time. An upper estimate (workers run in parallel); null before any
 * removal of the tier has finished, since there is nothing to estimate from.
 */
export function queueEtaSeconds(ahead: number, meanProcessingMs: number | null): number | null {
  if (meanProcessingMs === null) return null;
  return Math.ceil(((ahead + 1) * meanProcessingMs) / 1000);
}
