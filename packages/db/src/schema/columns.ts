import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { type AnyPgColumn, text, timestamp } from "drizzle-orm/pg-core";

/** Prefixes make an id's table obvious in logs, URLs and support tickets. */
export const ID_PREFIXES = {
  ledger: "led",
  apiKey: "key",
  job: "job",
  batch: "batch",
  subscription: "sub",
  usage: "usage",
  payment: "pay",
  user: "usr",
  session: "ses",
  reset: "rst",
  failure: "lf",
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

/**
 * `job_3f0c…` (prefix + 32 hex chars). Exported so services can name files after a row
 * before inserting it.
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID().replaceAll("-", "")}`;
}

/** Text primary key generated in TypeScript, so ids are known before the insert round-trip. */
export function idColumn(prefix: IdPrefix) {
  return text("id")
    .primaryKey()
    .$defaultFn(() => newId(prefix));
}

export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, mode: "date" });
}

export function createdAt() {
  return timestamptz("created_at").notNull().defaultNow();
}

export function updatedAt() {
  return timestamptz("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
}

/**
 * `column IN ('a', 'b')` for CHECK constraints. Values are inlined (CHECK bodies cannot take
 * parameters); they come from the constant lists in this schema, never from user input.
 */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
  return sql`${column} in (${sql.raw(list)})`;
}

/** `column <@ ARRAY['a', 'b']` — every element of a text[] column is one of `values`. */
export function allOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
  return sql`${column} <@ ARRAY[${sql.raw(list)}]::text[]`;
}
