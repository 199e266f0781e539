import { backgroundRemovalBatches, sentNotifications, users, type Database } from "@bgr/db";
import { DomainError, NOTIFICATION_KINDS, parseNotificationKinds, type NotificationKind } from "@bgr/domain";
import { eq } from "drizzle-orm";
import type { Mailer } from "../accounts/mailer.ts";
import type { QueuePayloads } from "../queue/queues.ts";

export interface NotificationServiceDeps {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  /** Where the web app is served; mails link to its pages. */
  appUrl: string;
}

export interface NotificationPreferences {
  /** Each kind, and whether the user gets mail about it. */
  kinds: { kind: NotificationKind; enabled: boolean }[];
}

/** Notification mail: sends the queued ones (once per event, honouring opt-outs) and keeps each user's choices. */
export class NotificationService {
  constructor(private readonly deps: NotificationServiceDeps) {}

  /**
   * Sends one queued notification. The sent row and the send share a transaction: a failed send rolls
   * the row back (the job retries), and a retry after a sent mail finds the row and sends nothing.
   */
  async deliver({ kind, batchId }: QueuePayloads["notificationMail"]): Promise<"sent" | "opted-out" | "no-address" | "already-sent"> {
    const { db, mailer, now } = this.deps;
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select({ batch: backgroundRemovalBatches, email: users.email, optOuts: users.mailOptOuts })
        .from(backgroundRemovalBatches)
        .innerJoin(users, eq(users.id, backgroundRemovalBatches.userId))
        .where(eq(backgroundRemovalBatches.id, batchId));
      if (!row) return "no-address"; // the account was deleted since
      if (!row.email) return "no-address"; // platform accounts without an email are mailed by the platform
      if (row.optOuts.includes(kind)) return "opted-out";
      const [claimed] = await tx
        .insert(sentNotifications)
        .values({ key: `${kind}:${batchId}`, userId: row.batch.userId, kind, sentAt: now() })
        .onConflictDoNothing()
        .returning();
      if (!claimed) return "already-sent";
      await mailer.send({ to: row.email, ...this.batchMail(kind, row.batch) });
      return "sent";
    });
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    const [row] = await this.deps.db.select({ optOuts: users.mailOptOuts }).from(users).where(eq(users.id, userId));
    if (!row) throw new DomainError("NOT_FOUND", `No account ${userId}. Sign in again.`);
    return toPreferences(row.optOuts);
  }

  /** Replaces the user's opt-outs with `disabled` (kinds they do not want mail about). */
  async setPreferences(userId: string, disabled: readonly unknown[]): Promise<NotificationPreferences> {
    const optOuts = parseNotificationKinds(disabled);
    const [row] = await this.deps.db.update(users).set({ mailOptOuts: optOuts }).where(eq(users.id, userId)).returning({ optOuts: users.mailOptOuts });
    if (!row) throw new DomainError("NOT_FOUND", `No account ${userId}. Sign in again.`);
    return toPreferences(row.optOuts);
  }

  private batchMail(kind: NotificationKind, batch: typeof backgroundRemovalBatches.$inferSelect): { subject: string; text: string } {
    const link = new URL(`/batches/${encodeURIComponent(batch.id)}`, this.deps.appUrl).toString();
    const settings = new URL("/settings", this.deps.appUrl).toString();
    const footer = `\n\nYou get this mail because batch notifications are on. Turn them off in the app: ${settings}`;
    if (kind === "batch_completed") {
      const failed = batch.failedImages > 0 ? ` (${batch.failedImages} could not be processed and were refunded)` : "";
      return {
        subject: `Your batch is ready: ${batch.processedImages} of ${batch.totalImages} images`,
        text: `Batch ${batch.id} has finished: ${batch.processedImages} of ${batch.totalImages} images done${failed}.\n\nDownload the ZIP or see each result: ${link}${footer}`,
      };
    }
    return {
      subject: `Your batch failed: none of ${batch.totalImages} images could be processed`,
      text: `Batch ${batch.id} failed: none of its ${batch.totalImages} images could be processed, and its credits were refunded.\n\nSee why for each image: ${link}${footer}`,
    };
  }
}

function toPreferences(optOuts: readonly string[]): NotificationPreferences {
  return { kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, enabled: !optOuts.includes(kind) })) };
}
