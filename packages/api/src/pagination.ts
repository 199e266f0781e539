import { z } from "zod";

/** The deepest page a list serves; past it the offset would overflow the database's integers (a 500) and only ever find nothing. */
export const MAX_PAGE = 100_000;
export const MAX_PAGE_SIZE = 100;

/** `page` and `pageSize` for every list, REST (pass `z.coerce.number()` for query strings) and tRPC alike. */
export function paginationFields(number: z.ZodNumber = z.number()) {
  return {
    page: number.int().min(1).max(MAX_PAGE).default(1),
    pageSize: number.int().min(1).max(MAX_PAGE_SIZE).default(20),
  };
}

export const PAGINATION_HINT = `page must be a whole number from 1 to ${MAX_PAGE}, pageSize from 1 to ${MAX_PAGE_SIZE}.`;
