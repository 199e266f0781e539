export * from "./users.ts";
export * from "./credits.ts";
export * from "./api-keys.ts";
export * from "./removals.ts";
export * from "./subscriptions.ts";
export * from "./payments.ts";
export * from "./relations.ts";
export { ID_PREFIXES, newId } from "./columns.ts";
export type { IdPrefix } from "./columns.ts";
