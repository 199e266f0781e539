/**
 * In-memory stand-ins for the repositories, for unit tests of the services over them (the medium
 * tests run the same services on PostgreSQL). They keep rows in maps and ignore the executor: a
 * service still opens its transactions, and `inMemoryDatabase` gives each one all-or-nothing
 * semantics by restoring the stores' snapshots when the work throws.
 */
import type { Database, Transaction } from "@bgr/db";

/** A store whose state a failed transaction puts back. */
export interface Snapshotting {
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Never read: the in-memory repositories ignore their executor. */
const NO_EXECUTOR = Object.freeze({}) as Transaction;

/** What services call on the database (`transaction`, and passing it on as an executor), over in-memory stores. */
export function inMemoryDatabase(...stores: Snapshotting[]): Database {
  const database = {
    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      const states = stores.map((store) => store.snapshot());
      try {
        return await work(NO_EXECUTOR);
      } catch (error) {
        stores.forEach((store, index) => store.restore(states[index]));
        throw error;
      }
    },
  };
  // Services only ever hand the database to repositories (which ignore it) or open transactions on it.
  return database as unknown as Database;
}

/**
 * A repository object whose unlisted methods throw, so a unit test that reaches SQL nobody wrote an
 * in-memory version of fails with a pointer to this folder instead of passing by accident.
 */
export function repository<T extends object>(name: string, methods: Partial<T>): T {
  return new Proxy(methods, {
    get(target, key) {
      const method = (target as Record<PropertyKey, unknown>)[key];
      if (method !== undefined || typeof key === "symbol") return method;
      return () => {
        throw new Error(`${name}.${String(key)} has no in-memory version; add one in packages/core/test/in-memory.`);
      };
    },
  }) as T;
}

/** Deep copy of plain rows (Dates and Maps survive). */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** Rows keyed by id, snapshotted and restored whole by inMemoryDatabase's transactions. */
export class InMemoryRows<Row> implements Snapshotting {
  rows = new Map<string, Row>();

  snapshot() {
    return copy(this.rows);
  }

  restore(state: unknown) {
    this.rows = copy(state as Map<string, Row>);
  }
}
