import dns from "node:dns";
import net from "node:net";

/**
 * Ranges an image download must never reach through a media host: this machine, the private
 * networks our services live on, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * documentation/benchmark nets, multicast and reserved space.
 */
const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const BLOCKED_V6: ReadonlyArray<readonly [string, number]> = [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

/** IPv6 prefixes that carry an IPv4 address, which is checked instead: [prefix, bits, offset of the IPv4 bytes]. */
const EMBEDS_V4: ReadonlyArray<readonly [string, number, number]> = [
  ["::ffff:0:0", 96, 12], // IPv4-mapped
  ["64:ff9b::", 96, 12], // NAT64
  ["2002::", 16, 2], // 6to4
];

/** True when `address` (an IPv4 or IPv6 literal, without brackets) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const bytes = parseIp(address);
  if (!bytes) return false;
  return isPublicBytes(bytes);
}

function isPublicBytes(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return !BLOCKED_V4.some(([prefix, bits]) => inPrefix(bytes, parseIp(prefix)!, bits));
  for (const [prefix, bits, offset] of EMBEDS_V4) {
    if (inPrefix(bytes, parseIp(prefix)!, bits)) return isPublicBytes(bytes.subarray(offset, offset + 4));
  }
  return !BLOCKED_V6.some(([prefix, bits]) => inPrefix(bytes, parseIp(prefix)!, bits));
}

function inPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  if (bytes.length !== prefix.length) return false;
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3]! & mask) !== (prefix[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** 4 bytes for IPv4, 16 for IPv6 (brackets and a zone id allowed), null when not an IP literal. */
export function parseIp(text: string): Uint8Array | null {
  const address = text.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const family = net.isIP(address);
  if (family === 4) return Uint8Array.from(address.split(".").map(Number));
  if (family !== 6) return null;
  let head = address;
  let v4: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    v4 = dotted[1]!.split(".").map(Number);
    head = address.slice(0, dotted.index + 1) + "0:0";
  }
  const [left = "", right] = head.split("::");
  const leftGroups = left ? left.split(":") : [];
  const rightGroups = right ? right.split(":") : [];
  const zeros = right === undefined ? [] : Array<string>(8 - leftGroups.length - rightGroups.length).fill("0");
  const groups = [...leftGroups, ...zeros, ...rightGroups].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  if (v4.length === 4) bytes.set(v4, 12);
  return bytes;
}

/** Marks a connection this guard refused, so the adapter reports "refused" and does not retry. */
export class PrivateAddressError extends Error {
  override readonly name = "PrivateAddressError";
  readonly code = "ERR_LUMIKU_PRIVATE_ADDRESS";
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

export type Resolver = (hostname: string) => Promise<dns.LookupAddress[]>;

/** The operating system's resolver, every address (the guard must see all of them, not just the first). */
export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for undici's connector (net.connect). Hosts in `trusted` (the sibling apps, configured
 * by operators and usually on a private network) resolve normally; every other name must resolve
 * only to public addresses, otherwise the connection fails with PrivateAddressError. The check runs
 * on the very addresses the socket then connects to, so DNS rebinding cannot slip between check and use.
 * IP literals never reach a lookup: check those with isPublicAddress before connecting.
 */
export function guardedLookup(trusted: ReadonlySet<string>, resolve: Resolver = systemResolver): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
        const addresses = family === 0 ? all : all.filter((a) => a.family === family);
        if (!trusted.has(hostname.toLowerCase())) {
          const blocked = addresses.find((a) => !isPublicAddress(a.address));
          if (blocked) return callback(new PrivateAddressError(hostname, blocked.address), []);
        }
        const first = addresses[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = "ENOTFOUND";
          return callback(error, []);
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
