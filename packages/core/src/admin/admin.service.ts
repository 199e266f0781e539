import type { Database } from "@bgr/db";
import { DomainError, paymentViewOf, type PaymentView } from "@bgr/domain";
import { paymentRepository } from "../payments/payment.repository.ts";
import { removalRepository } from "../removal/removal.repository.ts";
import { userRepository } from "../users/user.repository.ts";
import type { Principal } from "../auth/tokens.ts";
import type { PaymentOutcome } from "../subscriptions/payment-settlement.ts";
import type { PaymentsService } from "../payments/payments.service.ts";
import type { UsersService } from "../users/users.service.ts";

export interface AdminServiceDeps {
  db: Database;
  users: UsersService;
  payments: PaymentsService;
}

/** What an admin may do: read users, balances, payments and jobs; grant credits with a reason; confirm payments. */
export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async users(caller: Principal, limit = 100) {
    assertAdmin(caller);
    const rows = await userRepository.recent(this.deps.db, limit);
    return rows.map((row) => ({
      userId: row.id,
      email: row.email,
      role: row.role,
      creditBalance: row.creditBalance,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  async payments(caller: Principal, limit = 100): Promise<(PaymentView & { userId: string })[]> {
    assertAdmin(caller);
    const rows = await paymentRepository.recent(this.deps.db, limit);
    return rows.map((row) => ({ ...paymentViewOf(row), userId: row.userId }));
  }

  async jobs(caller: Principal, limit = 100) {
    assertAdmin(caller);
    const rows = await removalRepository.recent(this.deps.db, limit);
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  }

  /** A grant is a ledger row with the admin's reason; `requestKey` makes a retried grant land once. */
  async grantCredits(caller: Principal, input: { userId: string; amount: number; reason: string; requestKey?: string }) {
    assertAdmin(caller);
    if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > 1_000_000) {
      throw new DomainError("INVALID_OPTIONS", "Grant a whole number of credits from 1 to 1,000,000.");
    }
    if (!input.reason.trim())
      throw new DomainError("INVALID_OPTIONS", "Say why the credits are granted (reason), so the ledger explains the change.");
    const target = await userRepository.find(this.deps.db, input.userId);
    if (!target) throw new DomainError("NOT_FOUND", `No user ${input.userId}. GET /admin/users lists them.`);
    const balance = await this.deps.users.grant(
      input.userId,
      input.amount,
      input.requestKey,
      `${input.reason.trim()} (by ${caller.userId})`,
    );
    return { userId: input.userId, creditBalance: balance };
  }

  /** E.g. a bank transfer that arrived for a manual payment. */
  async settlePayment(caller: Principal, paymentId: string, outcome: PaymentOutcome) {
    assertAdmin(caller);
    return this.deps.payments.settle(paymentId, outcome);
  }
}

function assertAdmin(caller: Principal): void {
  if (caller.role !== "admin") throw new DomainError("FORBIDDEN", "Only an admin can do this. Ask an admin of this deployment.");
}
