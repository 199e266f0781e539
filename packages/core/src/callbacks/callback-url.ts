import type net from "node:net";
import { DomainError, parseHostPort, type HostPort } from "@bgr/domain";
import { guardedLookup, isPublicAddress, parseIp, systemResolver, type Resolver } from "@bgr/integrations";

/** Where callbacks may go. Production defaults (`DEFAULT_CALLBACK_POLICY`) allow public hosts on 80 and 443 only. */
export interface CallbackPolicy {
  /** Ports a callback may use on a public host (CALLBACK_ALLOWED_PORTS). */
  allowedPorts: readonly number[];
  /**
   * `host` or `host:port` entries exempt from the public-address rule (CALLBACK_TRUSTED_HOSTS): an
   * operator's internal receiver, a test's 127.0.0.1 one. A listed host is reachable only as listed:
   * on that port, or on the allowed ports when no port is given.
   */
  trustedHosts: readonly string[];
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = Object.freeze({
  allowedPorts: Object.freeze([80, 443]),
  trustedHosts: Object.freeze([]),
});

/** Parses one CALLBACK_TRUSTED_HOSTS entry (port null: the allowed ports), or throws a message naming it. */
export function parseTrustedHost(entry: string): HostPort {
  return parseHostPort(entry, "CALLBACK_TRUSTED_HOSTS", "hooks.internal or 127.0.0.1:8080");
}

/**
 * The SSRF guard for callbacks (batches, single and pipeline jobs, integrations): http(s) only, no
 * credentials, allowed ports only, public addresses only (unless trusted by the operator). `check`
 * runs at submission, DNS included, so a bad URL is a 400 before anything is charged; the sender runs
 * `refusal` again before each POST and connects through `lookup`, which checks the addresses the
 * socket actually uses, so a DNS answer that changes after submission cannot reach a private network.
 */
export class CallbackGuard {
  private readonly trusted: HostPort[];

  constructor(
    private readonly policy: CallbackPolicy = DEFAULT_CALLBACK_POLICY,
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.trusted = policy.trustedHosts.map(parseTrustedHost);
  }

  /** The normalised callback URL (null when none was given), or a 400 saying why it is refused. */
  async check(value: string | undefined | null): Promise<string | null> {
    if (!value) return null;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw this.refused(`"${value}" is not a URL`);
    }
    const refusal = this.refusal(url);
    if (refusal) throw this.refused(refusal);
    if (parseIp(url.hostname) || this.isTrusted(url.hostname)) return url.toString();
    let addresses: { address: string }[];
    try {
      addresses = await this.resolve(url.hostname);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw this.refused(`${url.hostname} does not resolve to any address`);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) throw this.refused(`${url.hostname} resolves to ${blocked.address}, which is not a public address`);
    return url.toString();
  }

  /** Why `url` may not be called, judged without DNS (null when it may); names are checked again at connect time by `lookup`. */
  refusal(url: URL): string | null {
    if (url.protocol !== "http:" && url.protocol !== "https:") return "only http:// and https:// callbacks are sent";
    if (url.username || url.password)
      return "it contains a user name or password; leave them out (the X-BGR-Signature header proves a callback is ours)";
    const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    const entries = this.trusted.filter((t) => t.hostname === url.hostname);
    if (entries.length > 0) {
      const ports = [...new Set(entries.flatMap((t) => (t.port === null ? this.policy.allowedPorts : [t.port])))];
      return ports.includes(port) ? null : `${url.hostname} takes callbacks only on port ${ports.join(" or ")}`;
    }
    if (!this.policy.allowedPorts.includes(port))
      return `port ${port} is not allowed; callbacks go to port ${this.policy.allowedPorts.join(" or ")}`;
    if (parseIp(url.hostname) && !isPublicAddress(url.hostname))
      return `${url.hostname} is a loopback, private or reserved address; callbacks go to public addresses only`;
    return null;
  }

  /** A connector `lookup` that refuses names resolving to non-public addresses (trusted hosts excepted). */
  lookup(): net.LookupFunction {
    return guardedLookup(new Set(this.trusted.map((t) => t.hostname)), this.resolve);
  }

  private isTrusted(hostname: string): boolean {
    return this.trusted.some((t) => t.hostname === hostname);
  }

  private refused(reason: string): DomainError {
    const ports = this.policy.allowedPorts.join(" or ");
    return new DomainError(
      "INVALID_OPTIONS",
      `callbackUrl refused: ${reason}. Nothing was charged; send a public http(s) URL on port ${ports}.`,
    );
  }
}
