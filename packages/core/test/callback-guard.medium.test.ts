import type dns from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallbackSender } from "../src/callbacks/callback-sender.ts";
import { CallbackGuard, DEFAULT_CALLBACK_POLICY, parseTrustedHost } from "../src/callbacks/callback-url.ts";

/** A receiver on 127.0.0.1 that records every request: the guard must keep it silent. */
async function receiver(answer: (path: string) => { status: number; location?: string } = () => ({ status: 200 })) {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? "");
    const { status, location } = answer(request.url ?? "");
    request.resume();
    response.writeHead(status, location ? { location } : {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { hits, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A DNS whose answers the test controls; each name answers its list in turn (the last one repeats). */
function fakeDns(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<dns.LookupAddress[]> => {
    asked.push(hostname);
    const list = answers[hostname];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    const address = list.length > 1 ? list.shift()! : list[0]!;
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  return { resolve, asked };
}

let target: Awaited<ReturnType<typeof receiver>>;
let redirector: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  target = await receiver();
  redirector = await receiver(() => ({ status: 307, location: `http://127.0.0.1:${target.port}/stolen` }));
});
afterAll(async () => {
  await target?.close();
  await redirector?.close();
});

/** Every spelling of "this machine", every private range: refused at submission and at send, on a port that is allowed, where a receiver listens. */
function hostileUrls(port: number): string[] {
  return [
    `http://127.0.0.1:${port}/hook`,
    `http://2130706433:${port}/hook`,
    `http://0x7f.1:${port}/hook`,
    `http://017700000001:${port}/hook`,
    `http://127.1:${port}/hook`,
    `http://[::1]:${port}/hook`,
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/hook`,
    `http://localhost:${port}/hook`,
    `http://169.254.169.254:${port}/latest/meta-data`,
    `http://[::ffff:169.254.169.254]:${port}/`,
    `http://10.0.0.5:${port}/`,
    `http://172.16.3.4:${port}/`,
    `http://192.168.1.1:${port}/`,
    `http://100.64.0.1:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://[fd00::1]:${port}/`,
    `http://[fe80::1]:${port}/`,
    `http://internal.example:${port}/`,
  ];
}

describe("CallbackGuard.check (submission)", () => {
  const dnsAnswers = () => fakeDns({ localhost: ["127.0.0.1"], "internal.example": ["10.1.2.3"], "hooks.example": ["93.184.216.34"] });

  it.each(hostileUrls(8080))("refuses %s", async (url) => {
    const guard = new CallbackGuard({ allowedPorts: [80, 443, 8080], trustedHosts: [] }, dnsAnswers().resolve);
    await expect(guard.check(url)).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringMatching(/^callbackUrl refused: .*(not a public address|public addresses only)/),
    });
  });

  it.each([
    ["ftp://hooks.example/x", /only http/],
    ["file:///etc/passwd", /only http/],
    ["http://user:secret@hooks.example/x", /user name or password/],
    ["http://token@hooks.example/x", /user name or password/],
    ["http://hooks.example:5432/x", /port 5432 is not allowed/],
    ["http://93.184.216.34:22/x", /port 22 is not allowed/],
    ["https://hooks.example:8443/x", /port 8443 is not allowed/],
    ["http://nowhere.example/x", /does not resolve/],
    ["not a url", /is not a URL/],
  ])("refuses %s", async (url, reason) => {
    const guard = new CallbackGuard(DEFAULT_CALLBACK_POLICY, dnsAnswers().resolve);
    await expect(guard.check(url)).rejects.toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringMatching(reason) });
  });

  it("accepts public hosts on 80 and 443, and no callback at all", async () => {
    const guard = new CallbackGuard(DEFAULT_CALLBACK_POLICY, dnsAnswers().resolve);
    expect(await guard.check("https://hooks.example/done?x=1")).toBe("https://hooks.example/done?x=1");
    expect(await guard.check("http://hooks.example:80/done")).toBe("http://hooks.example/done");
    expect(await guard.check("http://93.184.216.34/done")).toBe("http://93.184.216.34/done");
    expect(await guard.check(undefined)).toBeNull();
    expect(await guard.check("")).toBeNull();
  });

  it("lets a trusted host through only on the port it is listed with", async () => {
    const guard = new CallbackGuard({ allowedPorts: [80, 443], trustedHosts: ["127.0.0.1:9000", "hooks.internal"] }, dnsAnswers().resolve);
    expect(await guard.check("http://127.0.0.1:9000/x")).toBe("http://127.0.0.1:9000/x");
    await expect(guard.check("http://127.0.0.1:5432/x")).rejects.toThrow(/only on port 9000/);
    await expect(guard.check("http://127.0.0.1/x")).rejects.toThrow(/only on port 9000/);
    expect(await guard.check("https://hooks.internal/x")).toBe("https://hooks.internal/x");
    await expect(guard.check("http://hooks.internal:8080/x")).rejects.toThrow(/only on port 80 or 443/);
    await expect(guard.check("http://u:p@127.0.0.1:9000/x")).rejects.toThrow(/user name or password/);
  });

  it("reads CALLBACK_TRUSTED_HOSTS entries and refuses malformed ones", () => {
    expect(parseTrustedHost("127.0.0.1:80")).toEqual({ hostname: "127.0.0.1", port: 80 });
    expect(parseTrustedHost("[::1]:9000")).toEqual({ hostname: "[::1]", port: 9000 });
    expect(parseTrustedHost("Hooks.Internal")).toEqual({ hostname: "hooks.internal", port: null });
    expect(() => parseTrustedHost("http://x/y")).toThrow(/CALLBACK_TRUSTED_HOSTS entry/);
    expect(() => parseTrustedHost("a@b")).toThrow(/CALLBACK_TRUSTED_HOSTS entry/);
  });
});

describe("CallbackSender (connect time)", () => {
  it("sends nothing to any hostile address, even for a URL stored before the guard existed", async () => {
    const { resolve } = fakeDns({ localhost: ["127.0.0.1"], "internal.example": ["127.0.0.1"] });
    const sender = new CallbackSender(new CallbackGuard({ allowedPorts: [80, 443, target.port], trustedHosts: [] }, resolve));
    try {
      for (const url of [...hostileUrls(target.port), `http://user:pw@localhost:${target.port}/`, `http://127.0.0.1:${redirector.port}/`]) {
        const outcome = await sender.post(url, "{}", {});
        expect(outcome, url).toMatchObject({ sent: false });
      }
      expect(target.hits).toEqual([]);
      expect(redirector.hits).toEqual([]);
    } finally {
      await sender.close();
    }
  });

  it("checks the address it connects to: a DNS answer that turns private after submission is refused", async () => {
    const dns = fakeDns({ "rebind.example": ["93.184.216.34", "127.0.0.1"] });
    const guard = new CallbackGuard({ allowedPorts: [80, 443, target.port], trustedHosts: [] }, dns.resolve);
    const sender = new CallbackSender(guard);
    try {
      const url = await guard.check(`http://rebind.example:${target.port}/hook`);
      expect(url).toBe(`http://rebind.example:${target.port}/hook`);
      expect(await sender.post(url!, "{}", {})).toEqual({
        sent: false,
        reason: expect.stringContaining("127.0.0.1, which is not a public address"),
      });
      expect(dns.asked).toEqual(["rebind.example", "rebind.example"]);
      expect(target.hits).toEqual([]);
    } finally {
      await sender.close();
    }
  });

  it("does not follow a redirect, and does post to a trusted receiver (the control)", async () => {
    const guard = new CallbackGuard({
      allowedPorts: [80, 443],
      trustedHosts: [`127.0.0.1:${redirector.port}`, `127.0.0.1:${target.port}`],
    });
    const sender = new CallbackSender(guard);
    try {
      expect(await sender.post(`http://127.0.0.1:${redirector.port}/hook`, "{}", {})).toEqual({
        sent: false,
        reason: expect.stringContaining("do not follow redirects"),
      });
      expect(redirector.hits).toEqual(["/hook"]);
      expect(target.hits).toEqual([]);
      expect(await sender.post(`http://127.0.0.1:${target.port}/ok`, "{}", {})).toEqual({ sent: true, status: 200 });
      expect(target.hits).toEqual(["/ok"]);
    } finally {
      target.hits.length = 0;
      redirector.hits.length = 0;
      await sender.close();
    }
  });

  it("throws on a failing receiver so the queue retries", async () => {
    const failing = await receiver(() => ({ status: 503 }));
    const sender = new CallbackSender(new CallbackGuard({ allowedPorts: [80, 443], trustedHosts: [`127.0.0.1:${failing.port}`] }));
    try {
      await expect(sender.post(`http://127.0.0.1:${failing.port}/x`, "{}", {})).rejects.toThrow(/answered 503/);
    } finally {
      await sender.close();
      await failing.close();
    }
  });
});
