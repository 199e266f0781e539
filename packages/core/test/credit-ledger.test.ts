import { isDomainError } from "@bgr/domain";
import { describe, expect, it } from "vitest";
import { createCreditLedger, type CreditMovement } from "../src/credits/credit-ledger.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";

const movement = (amount: number, idempotencyKey: string): CreditMovement => ({
  userId: "usr_1",
  amount,
  reason: "removal",
  referenceType: "background_removal_job",
  referenceId: "job_1",
  idempotencyKey,
});

function setup(balance: number) {
  const credits = new InMemoryCredits({ usr_1: balance });
  return { credits, ledger: createCreditLedger(credits.repository), db: inMemoryDatabase(credits) };
}

describe("the credit ledger over an in-memory repository", () => {
  it("debits with a ledger row carrying the balance after", async () => {
    const { credits, ledger, db } = setup(20);
    await expect(db.transaction((tx) => ledger.debit(tx, movement(8, "charge:job_1")))).resolves.toEqual({ balanceAfter: 12 });
    expect(credits.entries).toMatchObject([{ delta: -8, balanceAfter: 12, idempotencyKey: "charge:job_1", note: null }]);
  });

  it("refuses a debit the balance does not cover with INSUFFICIENT_CREDITS naming both amounts, and writes nothing", async () => {
    const { credits, ledger, db } = setup(5);
    const refused = await db.transaction((tx) => ledger.debit(tx, movement(8, "charge:job_1"))).catch((error: unknown) => error);
    expect(isDomainError(refused) && refused.code).toBe("INSUFFICIENT_CREDITS");
    expect(isDomainError(refused, "INSUFFICIENT_CREDITS") && refused.details).toEqual({ required: 8, available: 5 });
    expect(credits.balances.get("usr_1")).toBe(5);
    expect(credits.entries).toEqual([]);
    await expect(ledger.assertCanPay(db, "usr_1", 6)).rejects.toThrow();
    await expect(ledger.assertCanPay(db, "usr_1", 5)).resolves.toBeUndefined();
  });

  it("applies a credit once per idempotency key, however often it is retried", async () => {
    const { credits, ledger, db } = setup(10);
    const refund = { ...movement(8, "refund:job_1"), reason: "refund" as const };
    expect(await db.transaction((tx) => ledger.credit(tx, refund))).toBe(true);
    expect(await db.transaction((tx) => ledger.credit(tx, refund))).toBe(false);
    expect(credits.balances.get("usr_1")).toBe(18);
    expect(credits.entries).toMatchObject([{ delta: 8, balanceAfter: 18 }]);
  });

  it("keeps the ledger summing to the balance across debits and credits", async () => {
    const { credits, ledger, db } = setup(0);
    await db.transaction((tx) => ledger.credit(tx, { ...movement(50, "grant:1"), reason: "grant" }));
    await db.transaction((tx) => ledger.debit(tx, movement(15, "charge:1")));
    await db.transaction((tx) => ledger.debit(tx, movement(25, "charge:2")));
    await db.transaction((tx) => ledger.credit(tx, { ...movement(15, "refund:1"), reason: "refund" }));
    expect(credits.balances.get("usr_1")).toBe(25);
    expect(credits.ledgerSum("usr_1")).toBe(25);
    expect(credits.entries.at(-1)?.balanceAfter).toBe(25);
  });

  it("rejects amounts that are not positive whole numbers before touching anything", async () => {
    const { credits, ledger, db } = setup(10);
    for (const amount of [0, -3, 1.5]) {
      await expect(db.transaction((tx) => ledger.debit(tx, movement(amount, `charge:${amount}`)))).rejects.toThrow(RangeError);
      await expect(db.transaction((tx) => ledger.credit(tx, movement(amount, `credit:${amount}`)))).rejects.toThrow(RangeError);
    }
    expect(credits.entries).toEqual([]);
  });

  it("throws for a credit to an unknown user, and the transaction leaves no orphan ledger row", async () => {
    const { credits, ledger, db } = setup(10);
    await expect(db.transaction((tx) => ledger.credit(tx, { ...movement(3, "grant:x"), userId: "usr_missing" }))).rejects.toThrow(
      /unknown user/,
    );
    expect(credits.entries).toEqual([]);
  });
});
