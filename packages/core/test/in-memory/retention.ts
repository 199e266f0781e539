import type { RetentionRepository } from "../../src/retention/retention.repository.ts";
import { copy, repository, type Snapshotting } from "./database.ts";

export type FileKind = "original" | "result" | "zip";

/** A row holding files of one kind: when its job or batch settled, its keys, and whether retention expired them. */
export interface HeldFiles {
  id: string;
  kind: FileKind;
  settledAt: Date;
  keys: string[];
  expiredAt: Date | null;
}

/** Retention's view of the rows in memory: due means settled before the cutoff and not yet expired. */
export class InMemoryRetention implements Snapshotting {
  rows: HeldFiles[] = [];
  /** The cutoff each claim was asked for, by kind. */
  readonly cutoffs: Record<FileKind, Date[]> = { original: [], result: [], zip: [] };

  snapshot() {
    return copy(this.rows);
  }

  restore(state: unknown) {
    this.rows = copy(state as HeldFiles[]);
  }

  private claim(kind: FileKind) {
    return async (_tx: unknown, cutoff: Date, limit: number) => {
      this.cutoffs[kind].push(cutoff);
      return this.rows
        .filter((row) => row.kind === kind && row.expiredAt === null && row.settledAt < cutoff)
        .slice(0, limit)
        .map((row) => ({ id: row.id, keys: [...row.keys] }));
    };
  }

  private mark(kind: FileKind) {
    return async (_tx: unknown, ids: string[], at: Date) => {
      for (const row of this.rows) if (row.kind === kind && ids.includes(row.id)) row.expiredAt = at;
    };
  }

  readonly repository: RetentionRepository = repository<RetentionRepository>("retentionRepository", {
    claimDueOriginals: this.claim("original"),
    markOriginalsExpired: this.mark("original"),
    claimDueResults: this.claim("result"),
    markResultsExpired: this.mark("result"),
    claimDueZips: this.claim("zip"),
    markZipsExpired: this.mark("zip"),
    expiredAtOf: async (_executor, key) => this.rows.find((row) => row.expiredAt && row.keys.includes(key))?.expiredAt ?? null,
  });
}
