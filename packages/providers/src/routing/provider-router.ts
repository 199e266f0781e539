import {
  InvalidMatteError,
  uprightImage,
  validateRemoveOptions,
  type ImageProbe,
  type RemovalResult,
  type RemoveOptions,
  type TierName,
} from "@bgr/engine";
import type { CircuitBreaker } from "../breaker/circuit-breaker.ts";
import { RemoteCallError } from "../http/remote-http.ts";
import type { ImageUpload, MatteProvider } from "../providers/matte-provider.ts";

/** The local engine as the router needs it: RemovalEngine and EnginePool both are one. */
export interface LocalRemovalBackend {
  remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult>;
  removeWithMatte(bytes: Uint8Array, matteImage: Uint8Array, options: RemoveOptions, provider?: string): Promise<RemovalResult>;
  probe(bytes: Uint8Array): Promise<ImageProbe>;
}

/** A remote provider for a tier, with the breaker that guards it (shared by the tiers using it). */
export interface RemoteRoute {
  provider: MatteProvider;
  breaker: CircuitBreaker;
}

export interface ProviderRouterOptions {
  /** Fallbacks and breaker changes, one line each. Default console.warn. */
  log?: (line: string) => void;
  /** Releases what the remote providers hold (their connection pool). */
  close?: () => Promise<void>;
}

/**
 * A RemovalRunner that sends the tiers configured for it to a remote model and composes the answer
 * with the local engine (so format, background, crop, mask and decontamination match the local path);
 * every other tier, and every request whose remote call fails or whose breaker is open, runs on the
 * local model. A remote outage never fails a request; bad input fails before anything goes out, with
 * the engine's own errors. The result's `provider` names who made the matte.
 */
export class ProviderRouter {
  private readonly log: (line: string) => void;

  constructor(
    private readonly local: LocalRemovalBackend,
    private readonly routes: Partial<Record<TierName, RemoteRoute>>,
    private readonly options: ProviderRouterOptions = {},
  ) {
    this.log = options.log ?? ((line) => console.warn(line));
  }

  async remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult> {
    // Option and image errors must not depend on which backend serves the tier, and cost no remote call.
    validateRemoveOptions(options);
    const route = this.routes[options.tier];
    if (!route) return this.local.remove(bytes, options);
    const probe = await this.local.probe(bytes);
    if (!route.breaker.tryAcquire()) return this.local.remove(bytes, options);
    return this.removeRemotely(route, bytes, probe, options);
  }

  async close(): Promise<void> {
    await this.options.close?.();
  }

  private async removeRemotely(route: RemoteRoute, bytes: Uint8Array, probe: ImageProbe, options: RemoveOptions): Promise<RemovalResult> {
    const { provider, breaker } = route;
    const started = performance.now();
    let upload: ImageUpload;
    try {
      upload = await uprightImage(bytes, probe);
    } catch {
      // The header read but the pixels do not: the local path reports it as the engine does.
      breaker.abandoned();
      return this.local.remove(bytes, options);
    }
    let matte: Uint8Array;
    try {
      matte = await provider.matte(upload);
    } catch (error) {
      return this.fallBack(route, bytes, options, error);
    }
    const remoteMs = performance.now() - started;
    let result: RemovalResult;
    try {
      result = await this.local.removeWithMatte(bytes, matte, options, provider.id);
    } catch (error) {
      if (error instanceof InvalidMatteError) return this.fallBack(route, bytes, options, error);
      // Busy engine, closed pool: nothing to do with the remote service, and the local path would fail too.
      breaker.abandoned();
      throw error;
    }
    breaker.succeeded();
    const { timings } = result;
    return { ...result, timings: { ...timings, inferenceMs: timings.inferenceMs + remoteMs, totalMs: timings.totalMs + remoteMs } };
  }

  private async fallBack(route: RemoteRoute, bytes: Uint8Array, options: RemoveOptions, error: unknown): Promise<RemovalResult> {
    const wasOpen = route.breaker.state !== "closed";
    route.breaker.failed();
    const status = error instanceof RemoteCallError ? error.details.status : undefined;
    const hint = status === 401 || status === 403 ? ` (check ${route.provider.name}'s API key)` : "";
    const reason = `${error instanceof Error ? error.message : String(error)}${hint}`;
    const paused =
      route.breaker.state === "open" && !wasOpen
        ? `; ${route.provider.name} paused for ${Math.round(route.breaker.policy.cooldownMs / 1000)} s after ${route.breaker.policy.failureThreshold} failures in a row`
        : route.breaker.state === "open"
          ? `; trial call failed, ${route.provider.name} paused again`
          : "";
    this.log(`${route.provider.id} failed for a ${options.tier} removal, using the local model: ${reason}${paused}`);
    return this.local.remove(bytes, options);
  }
}
