/** Where the REST API lives on every server; the tRPC router, the web app and the client build their URLs from it. */
export const API_PREFIX = "/api/apps/background-remover";

/** Where the tRPC router is mounted. */
export const TRPC_PATH = "/api/trpc";

/** The signed-file route under the API prefix (links minted by servers and workers alike). */
export const FILES_ROUTE = `${API_PREFIX}/files`;
