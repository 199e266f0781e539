import type { Database, Payment, RemovalBatch, Subscription, Transaction } from "@bgr/db";
import {
  API_PREFIX,
  DomainError,
  formatRupiah,
  NOTIFICATION_KINDS,
  parseNotificationKinds,
  receiptItem,
  type NotificationKind,
} from "@bgr/domain";
import type { Mailer } from "../accounts/mailer.ts";
import type { NotificationMail } from "../queue/queues.ts";
import { userRepository } from "../users/user.repository.ts";
import { notificationRepository } from "./notification.repository.ts";

export interface NotificationServiceDeps {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  /** Where the web app is served; mails link to its pages. */
  appUrl: string;
  /** Dates in mails are written in this zone (QUOTA_TIMEZONE, the platform's). */
  timeZone: string;
}

export interface NotificationPreferences {
  /** Each kind, and whether the user gets mail about it. */
  kinds: { kind: NotificationKind; enabled: boolean }[];
}

/** One mail, ready to send once: `key` names the event it tells of. */
interface Letter {
  key: string;
  userId: string;
  email: string | null;
  optOuts: readonly string[];
  subject: string;
  text: string;
}

/** Notification mail: sends the queued ones (once per event, honouring opt-outs) and keeps each user's choices. */
export class NotificationService {
  constructor(private readonly deps: NotificationServiceDeps) {}

  /**
   * Sends one queued notification. The sent row and the send share a transaction: a failed send rolls
   * the row back (the job retries), and a retry after a sent mail finds the row and sends nothing.
   */
  async deliver(mail: NotificationMail): Promise<"sent" | "opted-out" | "no-address" | "already-sent"> {
    const { db, mailer, now } = this.deps;
    return db.transaction(async (tx) => {
      const letter = await this.write(tx, mail);
      if (!letter) return "no-address"; // what it tells of (or its account) was deleted since
      if (!letter.email) return "no-address"; // platform accounts without an email are mailed by the platform
      if (letter.optOuts.includes(mail.kind)) return "opted-out";
      const claimed = await notificationRepository.claimSent(tx, {
        key: letter.key,
        userId: letter.userId,
        kind: mail.kind,
        sentAt: now(),
      });
      if (!claimed) return "already-sent";
      await mailer.send({ to: letter.email, subject: letter.subject, text: letter.text });
      return "sent";
    });
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    const row = await userRepository.find(this.deps.db, userId);
    if (!row) throw new DomainError("NOT_FOUND", `No account ${userId}. Sign in again.`);
    return toPreferences(row.mailOptOuts);
  }

  /** Replaces the user's opt-outs with `disabled` (kinds they do not want mail about). */
  async setPreferences(userId: string, disabled: readonly unknown[]): Promise<NotificationPreferences> {
    const optOuts = parseNotificationKinds(disabled);
    const stored = await userRepository.setMailOptOuts(this.deps.db, userId, optOuts);
    if (!stored) throw new DomainError("NOT_FOUND", `No account ${userId}. Sign in again.`);
    return toPreferences(stored);
  }

  private async write(tx: Transaction, mail: NotificationMail): Promise<Letter | null> {
    switch (mail.kind) {
      case "batch_completed":
      case "batch_failed": {
        const row = await notificationRepository.batchWithRecipient(tx, mail.batchId);
        if (!row) return null;
        return {
          key: `${mail.kind}:${mail.batchId}`,
          userId: row.batch.userId,
          email: row.email,
          optOuts: row.optOuts,
          ...this.batchMail(mail.kind, row.batch),
        };
      }
      case "payment_settled": {
        const row = await notificationRepository.paymentWithRecipient(tx, mail.paymentId);
        if (!row) return null;
        return {
          key: `payment_settled:${mail.paymentId}`,
          userId: row.payment.userId,
          email: row.email,
          optOuts: row.optOuts,
          ...this.paymentMail(row.payment),
        };
      }
      case "subscription_renewing":
      case "subscription_expired": {
        const row = await notificationRepository.subscriptionWithRecipient(tx, mail.subscriptionId);
        if (!row) return null;
        const periodEnd = new Date(mail.periodEnd);
        const content =
          mail.kind === "subscription_expired"
            ? this.expiredMail(row.subscription, periodEnd)
            : this.renewingMail(row.subscription, periodEnd);
        return {
          key: `${mail.kind}:${mail.subscriptionId}:${mail.periodEnd}`,
          userId: row.subscription.userId,
          email: row.email,
          optOuts: row.optOuts,
          ...content,
        };
      }
    }
  }

  private link(path: string): string {
    return new URL(path, this.deps.appUrl).toString();
  }

  private footer(what: string): string {
    return `\n\nYou get this mail because ${what} notifications are on. Turn them off in the app: ${this.link("/settings")}`;
  }

  private date(at: Date): string {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: this.deps.timeZone }).format(at);
  }

  private batchMail(kind: "batch_completed" | "batch_failed", batch: RemovalBatch): { subject: string; text: string } {
    const link = this.link(`/batches/${encodeURIComponent(batch.id)}`);
    const footer = this.footer("batch");
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

  private paymentMail(payment: Payment): { subject: string; text: string } {
    const what = receiptItem(payment);
    const outcome =
      payment.purpose === "credits" ? `${payment.credits} credits were added to your balance.` : `Your ${payment.plan} plan is active.`;
    const receipt = this.link(`${API_PREFIX}/payments/${encodeURIComponent(payment.id)}/receipt`);
    return {
      subject: `Payment received: ${formatRupiah(payment.amount)} for ${what}`,
      text: `We received ${formatRupiah(payment.amount)} for ${what} (payment ${payment.id}). ${outcome}\n\nYour receipt (open it while signed in): ${receipt}\nRemove backgrounds: ${this.link("/")}${this.footer("payment")}`,
    };
  }

  private renewingMail(subscription: Subscription, periodEnd: Date): { subject: string; text: string } {
    const plan = capitalise(subscription.plan);
    if (subscription.status === "active" && subscription.autoRenew) {
      return {
        subject: `Your ${plan} plan renews on ${this.date(periodEnd)}`,
        text: `Your ${plan} plan renews on ${this.date(periodEnd)} for ${formatRupiah(subscription.monthlyPrice)} a month. Nothing to do if you want to keep it; to stop it, cancel in the app before then: ${this.link("/")}${this.footer("plan")}`,
      };
    }
    return {
      subject: `Your ${plan} plan ends on ${this.date(periodEnd)}`,
      text: `Your ${plan} plan was cancelled and ends on ${this.date(periodEnd)}; after that, removals are paid with credits. To keep it, resume it in the app before then: ${this.link("/")}${this.footer("plan")}`,
    };
  }

  private expiredMail(subscription: Subscription, periodEnd: Date): { subject: string; text: string } {
    const plan = capitalise(subscription.plan);
    return {
      subject: `Your ${plan} plan has ended`,
      text: `Your ${plan} plan ended (its last period ran until ${this.date(periodEnd)}). Removals are now paid with credits. Subscribe again or buy credits in the app: ${this.link("/")}${this.footer("plan")}`,
    };
  }
}

function toPreferences(optOuts: readonly string[]): NotificationPreferences {
  return { kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, enabled: !optOuts.includes(kind) })) };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
