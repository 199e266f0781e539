// The public surface of @lumiku/background-remover-client. Browser-safe: nothing here imports `node:*`
// (file helpers for Node live in `@lumiku/background-remover-client/node`).
export { createBackgroundRemoverClient } from "./client.ts";
export type {
  BackgroundRemoverClient,
  BackgroundRemoverClientConfig,
  BackgroundRemoverClientOptions,
  HeadersSource,
  TokenSource,
} from "./client.ts";
export { BackgroundRemoverError, isBackgroundRemoverError, toBackgroundRemoverError } from "./errors.ts";
export type { BackgroundRemoverErrorCode, ClientErrorCode, ErrorDetails, ErrorDetailsByCode } from "./errors.ts";
export { TRPCClientError, isTRPCClientError } from "@trpc/client";
export { REST_PREFIX, TRPC_PATH } from "./urls.ts";
export type {
  Account,
  AppRouter,
  BatchFile,
  BatchStatus,
  BatchView,
  BinaryInput,
  DomainErrorCode,
  JobStatus,
  JobView,
  OutputFormat,
  RemoveBackgroundOptions,
  RouterInputs,
  RouterOutputs,
  StartBatchOptions,
  Tier,
  WaitForBatchOptions,
} from "./types.ts";
