export { CircuitBreaker, DEFAULT_BREAKER_POLICY } from "./breaker/circuit-breaker.ts";
export type { BreakerPolicy, BreakerState } from "./breaker/circuit-breaker.ts";
export {
  activeRemoteTiers,
  DEFAULT_MODELS,
  DEFAULT_SERVICE_URLS,
  describeProviders,
  PROVIDER_ENV,
  providersConfigOf,
  providersSettingsSchema,
  TIERS_ENV,
} from "./config/providers-config.ts";
export type { ProvidersConfig, ProvidersSettings, RemoteServiceConfig } from "./config/providers-config.ts";
export { createRemovalRunner } from "./create-removal-runner.ts";
export type { RemovalRunnerOptions } from "./create-removal-runner.ts";
export { DEFAULT_HTTP_POLICY, RemoteCallError, RemoteHttp } from "./http/remote-http.ts";
export type { HttpPolicy } from "./http/remote-http.ts";
export { HuggingFaceProvider } from "./providers/huggingface.provider.ts";
export type { HuggingFaceConfig } from "./providers/huggingface.provider.ts";
export { PROVIDER_NAMES } from "./providers/matte-provider.ts";
export type { ImageUpload, MatteProvider, ProviderName } from "./providers/matte-provider.ts";
export { SegmindProvider } from "./providers/segmind.provider.ts";
export type { SegmindConfig } from "./providers/segmind.provider.ts";
export { ProviderRouter } from "./routing/provider-router.ts";
export type { LocalRemovalBackend, ProviderRouterOptions, RemoteRoute } from "./routing/provider-router.ts";
