import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RemoteCallError, RemoteHttp, type HttpPolicy } from "../src/index.ts";
import { answer, startFakeService, wait, type FakeService } from "./support/fake-service.ts";

// undici checks its headers and body timeouts about once a second, so short ones fire after up to ~1 s.
const POLICY: HttpPolicy = {
  connectTimeoutMs: 500,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
  attemptTimeoutMs: 5_000,
  maxAttempts: 3,
  backoffMs: 10,
  maxBackoffMs: 100,
  maxResponseBytes: 4_096,
};

describe("RemoteHttp", () => {
  let fake: FakeService;
  let http: RemoteHttp;
  const post = (policy?: Partial<HttpPolicy>) => {
    const client = policy ? new RemoteHttp({ ...POLICY, ...policy }) : http;
    return client.post({
      service: "Fake",
      url: new URL(`${fake.url}/model`),
      headers: { "content-type": "image/png" },
      body: Buffer.from("img"),
      accepts: (t) => t.startsWith("image/"),
    });
  };
  const failure = async (pending: Promise<unknown>) => {
    const error = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteCallError);
    return error as RemoteCallError;
  };

  beforeAll(async () => {
    fake = await startFakeService();
    http = new RemoteHttp(POLICY);
  });
  afterEach(() => {
    fake.calls.length = 0;
  });
  afterAll(async () => {
    await http.close();
    await fake.close();
  });

  it("returns a 200's body and content type after one attempt", async () => {
    fake.behave((_call, res) => answer(res, 200, "image/png", Buffer.from("matte")));
    const result = await post();
    expect([result.body.toString(), result.contentType, result.attempts]).toEqual(["matte", "image/png", 1]);
    expect(fake.calls[0]).toMatchObject({ method: "POST", path: "/model", body: Buffer.from("img") });
  });

  it("retries 5xx up to maxAttempts, then fails as retryable", async () => {
    fake.behave((_call, res) => answer(res, 503, "application/json", '{"error":"Model is loading"}'));
    const error = await failure(post());
    expect(fake.calls).toHaveLength(3);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/HTTP 503: \{"error":"Model is loading"\} \(attempt 3 of 3\)/);
  });

  it("succeeds when a retry does", async () => {
    fake.behave((_call, res, n) => (n === 1 ? answer(res, 500, "text/plain", "oops") : answer(res, 200, "image/png", Buffer.from("ok"))));
    expect((await post()).attempts).toBe(2);
    expect(fake.calls).toHaveLength(2);
  });

  it("backs off exponentially between attempts", async () => {
    fake.behave((_call, res) => answer(res, 500, "text/plain", "down"));
    const client = new RemoteHttp({ ...POLICY, backoffMs: 100, maxBackoffMs: 1_000 }, () => 1);
    const started = performance.now();
    await failure(client.post({ service: "Fake", url: new URL(`${fake.url}/m`), headers: {}, body: "x", accepts: () => true }));
    // Delays of 100 then 200 ms (random() = 1 takes the full exponential delay).
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    await client.close();
  });

  it("retries 429, waiting the Retry-After it asks for", async () => {
    fake.behave((_call, res, n) =>
      n === 1 ? answer(res, 429, "text/plain", "slow down", { "retry-after": "0" }) : answer(res, 200, "image/png", Buffer.from("ok")),
    );
    expect((await post()).attempts).toBe(2);
  });

  it("gives up at once when Retry-After asks for longer than it will wait", async () => {
    fake.behave((_call, res) => answer(res, 429, "text/plain", "quota", { "retry-after": "3600" }));
    const error = await failure(post());
    expect(fake.calls).toHaveLength(1);
    expect(error.details.status).toBe(429);
  });

  it.each([400, 401, 403, 404, 406])("does not retry HTTP %i", async (status) => {
    fake.behave((_call, res) => answer(res, status, "application/json", '{"error":"no"}'));
    expect((await failure(post())).retryable).toBe(false);
    expect(fake.calls).toHaveLength(1);
  });

  it("times out a service that does not answer, per attempt, and retries", async () => {
    fake.behave(async (_call, res) => {
      await wait(4_000);
      answer(res, 200, "image/png", Buffer.from("late"));
    });
    const started = performance.now();
    const error = await failure(post({ maxAttempts: 2 }));
    expect(error.message).toMatch(/timed out/);
    expect(error.retryable).toBe(true);
    expect(fake.calls).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(3_500);
  });

  it("times out a body that stalls", async () => {
    fake.behave((_call, res) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": "100" });
      res.write(Buffer.alloc(10));
    });
    expect((await failure(post({ maxAttempts: 1 }))).message).toMatch(/timed out/);
  });

  it("bounds a whole attempt even when bytes keep trickling in", async () => {
    fake.behave(async (_call, res) => {
      res.writeHead(200, { "content-type": "image/png" });
      for (let i = 0; i < 40 && !res.destroyed; i++) {
        res.write(Buffer.alloc(1));
        await wait(50);
      }
      res.end();
    });
    const started = performance.now();
    expect((await failure(post({ maxAttempts: 1, attemptTimeoutMs: 400 }))).message).toMatch(/did not finish in time/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("treats a connection cut mid-body as retryable", async () => {
    fake.behave((_call, res) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": "1000" });
      res.write(Buffer.alloc(100), () => res.socket?.destroy());
    });
    const error = await failure(post());
    expect(error.retryable).toBe(true);
    expect(fake.calls).toHaveLength(3);
  });

  it("treats a refused connection as retryable", async () => {
    const gone = await startFakeService();
    const url = new URL(`${gone.url}/m`);
    await gone.close();
    const error = await failure(http.post({ service: "Fake", url, headers: {}, body: "x", accepts: () => true }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/connection failed/);
  });

  it("refuses an answer declared larger than the cap without reading it, and does not retry", async () => {
    fake.behave((_call, res) => answer(res, 200, "image/png", Buffer.alloc(5_000)));
    expect((await failure(post())).message).toMatch(/5000 bytes, more than the 4096 allowed/);
    expect(fake.calls).toHaveLength(1);
  });

  it("refuses a streamed answer that grows past the cap", async () => {
    fake.behave((_call, res) => {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(Buffer.alloc(5_000));
    });
    expect((await failure(post())).message).toMatch(/more than the 4096 bytes allowed/);
    expect(fake.calls).toHaveLength(1);
  });

  it("refuses a 200 whose content type is not accepted", async () => {
    fake.behave((_call, res) => answer(res, 200, "text/html", "<html>captive portal</html>"));
    expect((await failure(post())).message).toMatch(/content type "text\/html"/);
    expect(fake.calls).toHaveLength(1);
  });
});
