/** How every list is paged, REST and tRPC alike (@bgr/api builds the one zod schema from these). */
export const PAGINATION = Object.freeze({
  /** The deepest page a list serves; past it the offset would overflow the database's integers (a 500) and only ever find nothing. */
  maxPage: 100_000,
  maxPageSize: 100,
  defaultPageSize: 20,
});

export const PAGINATION_HINT = `page must be a whole number from 1 to ${PAGINATION.maxPage}, pageSize from 1 to ${PAGINATION.maxPageSize}.`;
