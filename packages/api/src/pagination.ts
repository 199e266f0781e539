import { PAGINATION } from "@bgr/domain";
import { z } from "zod";

/** The one `page`/`pageSize` schema of every list, REST (pass `z.coerce.number()` for query strings) and tRPC alike. */
export function paginationFields(number: z.ZodNumber = z.number()) {
  return {
    page: number.int().min(1).max(PAGINATION.maxPage).default(1),
    pageSize: number.int().min(1).max(PAGINATION.maxPageSize).default(PAGINATION.defaultPageSize),
  };
}
