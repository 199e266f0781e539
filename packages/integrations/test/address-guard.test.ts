import type dns from "node:dns";
import { describe, expect, it } from "vitest";
import { guardedLookup, isPublicAddress, PrivateAddressError, type Resolver } from "../src/address-guard.ts";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.251",
    "239.255.255.250",
    "255.255.255.255",
    "198.18.0.1",
    "::",
    "::1",
    "[::1]",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "[::ffff:a9fe:a9fe]",
    "::ffff:10.0.0.1",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::",
    "2001:db8::1",
    "not-an-ip",
    "localhost",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::",
  ])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

type Answer = { err: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number | undefined };

function lookup(
  trusted: string[],
  records: Record<string, dns.LookupAddress[]>,
  host: string,
  options: dns.LookupOptions,
): Promise<Answer> {
  const resolver: Resolver = async (name) => {
    const found = records[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    return found;
  };
  return new Promise((resolve) =>
    guardedLookup(new Set(trusted), resolver)(host, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("guardedLookup", () => {
  const records: Record<string, dns.LookupAddress[]> = {
    "cdn.example": [
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ],
    "rebind.example": [
      { address: "93.184.215.14", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ],
    "metadata.example": [{ address: "169.254.169.254", family: 4 }],
    "mapped.example": [{ address: "::ffff:10.0.0.5", family: 6 }],
    "avatar-creator": [{ address: "172.18.0.4", family: 4 }],
  };

  it("passes public addresses, in both callback forms", async () => {
    expect(await lookup([], records, "cdn.example", { all: true })).toEqual({
      err: null,
      address: records["cdn.example"],
      family: undefined,
    });
    expect(await lookup([], records, "cdn.example", {})).toEqual({ err: null, address: "93.184.215.14", family: 4 });
    expect(await lookup([], records, "cdn.example", { family: 6 })).toEqual({
      err: null,
      address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
      family: 6,
    });
  });

  it.each(["rebind.example", "metadata.example", "mapped.example", "avatar-creator"])(
    "refuses %s, which resolves to a private address",
    async (host) => {
      const { err } = await lookup([], records, host, { all: true });
      expect(err).toBeInstanceOf(PrivateAddressError);
      expect(err).toMatchObject({ hostname: host, code: "ERR_LUMIKU_PRIVATE_ADDRESS" });
    },
  );

  it("trusts the sibling apps' own host names", async () => {
    expect(await lookup(["avatar-creator"], records, "avatar-creator", {})).toEqual({ err: null, address: "172.18.0.4", family: 4 });
    expect((await lookup(["avatar-creator"], records, "metadata.example", {})).err).toBeInstanceOf(PrivateAddressError);
  });

  it("passes DNS errors through", async () => {
    expect((await lookup([], records, "missing.example", {})).err).toMatchObject({ code: "ENOTFOUND" });
  });
});
