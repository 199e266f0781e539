import { CircuitBreaker } from "./breaker/circuit-breaker.ts";
import { activeRemoteTiers, type ProvidersConfig } from "./config/providers-config.ts";
import { RemoteHttp } from "./http/remote-http.ts";
import { HuggingFaceProvider } from "./providers/huggingface.provider.ts";
import type { MatteProvider, ProviderName } from "./providers/matte-provider.ts";
import { SegmindProvider } from "./providers/segmind.provider.ts";
import { ProviderRouter, type LocalRemovalBackend, type RemoteRoute } from "./routing/provider-router.ts";

export interface RemovalRunnerOptions {
  /** Fallback and breaker lines (default console.warn). */
  log?: (line: string) => void;
  /** Clock of the circuit breakers, for tests. */
  now?: () => number;
}

/**
 * The runner the services get: `local` itself when no tier has a remote provider with a key (nothing
 * changes, nothing is allocated), else a ProviderRouter over it. The app owns `local` and closes it;
 * close the router too (its connection pool) when one is returned.
 */
export function createRemovalRunner<L extends LocalRemovalBackend>(
  local: L,
  config: ProvidersConfig,
  options: RemovalRunnerOptions = {},
): L | ProviderRouter {
  const active = activeRemoteTiers(config);
  if (active.length === 0) return local;

  const http = new RemoteHttp(config.http);
  // One provider and one breaker per service: its health does not depend on the tier asking.
  const routes = new Map<ProviderName, RemoteRoute>();
  const routeFor = (name: ProviderName): RemoteRoute => {
    let route = routes.get(name);
    if (!route) {
      route = { provider: createProvider(name, http, config), breaker: new CircuitBreaker(config.breaker, options.now) };
      routes.set(name, route);
    }
    return route;
  };
  return new ProviderRouter(local, Object.fromEntries(active.map(([tier, name]) => [tier, routeFor(name)])), {
    log: options.log,
    close: () => http.close(),
  });
}

function createProvider(name: ProviderName, http: RemoteHttp, config: ProvidersConfig): MatteProvider {
  const { apiKey, baseUrl, model } = config[name];
  if (apiKey === null) throw new Error(`${name} has no API key; only providers with a key get a route.`);
  switch (name) {
    case "huggingface":
      return new HuggingFaceProvider(http, { apiKey, baseUrl, model });
    case "segmind":
      return new SegmindProvider(http, { apiKey, baseUrl, model });
  }
}
