import { describe, expect, it } from "vitest";
import { BackgroundRemoverError, createBackgroundRemoverClient, type BatchView } from "../src/index.ts";

interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that records every request and answers from `route`. */
function fakeFetch(route: (request: Recorded) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const request: Recorded = { url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers), body: init.body };
    requests.push(request);
    return route(request);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function batchView(status: BatchView["status"], percentage: number): BatchView {
  return {
    batchId: "b1",
    status,
    tier: "basic",
    totalImages: 2,
    estimatedCompletionMinutes: 1,
    createdAt: "2025-01-01T00:00:00.000Z",
    progress: { totalImages: 2, processedImages: percentage === 100 ? 2 : 0, failedImages: 0, percentage },
    pricing: {
      baseCreditsPerImage: 3,
      baseTotal: 6,
      discountPercentage: 0,
      discountAmount: 0,
      finalTotal: 6,
      creditsPerImageAfterDiscount: 3,
      totalCredits: 6,
    },
    timing: { startedAt: null, estimatedCompletionAt: null },
    zipUrl: status === "completed" ? "/api/apps/background-remover/files/u/b1.zip?expires=1&signature=s" : null,
    zipSizeBytes: null,
    completedAt: null,
    cancelledAt: null,
  } as BatchView;
}

describe("createBackgroundRemoverClient", () => {
  it("wants exactly one credential and an absolute url", () => {
    expect(() => createBackgroundRemoverClient({ url: "http://h" } as never)).toThrow(/exactly one credential/);
    expect(() => createBackgroundRemoverClient({ url: "http://h", token: "t", apiKey: "bgr_x" } as never)).toThrow(
      /exactly one credential/,
    );
    expect(() => createBackgroundRemoverClient({ url: "h:3000", token: "t" })).toThrow(TypeError);
  });

  it("posts a removal as multipart to the REST route with the bearer token and extra headers", async () => {
    const { fetch, requests } = fakeFetch(() => json(200, { success: true, data: { jobId: "job_1", status: "completed" } }));
    const client = createBackgroundRemoverClient(
      { url: "http://bgr.test/base/", token: "jwt-1" },
      { fetch, headers: { "x-request-id": "r1", authorization: "ignored" } },
    );
    const job = await client.removeBackground(new Uint8Array([1]), { tier: "basic", fileName: "me.jpg" });
    expect(job).toMatchObject({ jobId: "job_1" });
    const [request] = requests;
    expect(request).toMatchObject({ url: "http://bgr.test/base/api/apps/background-remover/remove", method: "POST" });
    expect(request!.headers.get("authorization")).toBe("Bearer jwt-1");
    expect(request!.headers.get("x-request-id")).toBe("r1");
    expect(request!.body).toBeInstanceOf(FormData);
    expect(((request!.body as FormData).get("image") as File).name).toBe("me.jpg");
  });

  it("sends an API key as X-API-Key and asks a token function again for every request", async () => {
    const { fetch, requests } = fakeFetch(() => json(201, { success: true, data: batchView("pending", 0) }));
    const withKey = createBackgroundRemoverClient({ url: "http://bgr.test", apiKey: "bgr_secret" }, { fetch });
    await withKey.startBatch(
      [
        { name: "a.jpg", data: new Uint8Array([1]) },
        { name: "b.jpg", data: new Uint8Array([2]) },
      ],
      { tier: "basic" },
    );
    expect(requests[0]!.url).toBe("http://bgr.test/api/apps/background-remover/batch");
    expect(requests[0]!.headers.get("x-api-key")).toBe("bgr_secret");
    expect(requests[0]!.headers.get("authorization")).toBeNull();

    let n = 0;
    const withToken = createBackgroundRemoverClient({ url: "http://bgr.test", token: async () => `jwt-${++n}` }, { fetch });
    await withToken.startBatch([], { tier: "basic" });
    await withToken.startBatch([], { tier: "basic" });
    expect(requests.slice(1).map((r) => r.headers.get("authorization"))).toEqual(["Bearer jwt-1", "Bearer jwt-2"]);
  });

  it("throws the server's error as a BackgroundRemoverError", async () => {
    const { fetch } = fakeFetch(() => json(400, { success: false, error: { code: "INVALID_TIER", message: 'Unknown tier "mega".' } }));
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    await expect(client.removeBackground(new Uint8Array([1]), { tier: "mega" as never })).rejects.toMatchObject({
      name: "BackgroundRemoverError",
      code: "INVALID_TIER",
      status: 400,
    });
  });

  it("calls a failed connection a NETWORK_ERROR that names the url", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    });
    const client = createBackgroundRemoverClient({ url: "http://127.0.0.1:9", token: "t" }, { fetch });
    const error = await client.downloadBatch("b1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackgroundRemoverError);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", status: null });
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).toContain("http://127.0.0.1:9/api/apps/background-remover/batch/b1/download");
  });

  it("downloads signed links, sending credentials to its own server only", async () => {
    const { fetch, requests } = fakeFetch(() => new Response(new Uint8Array([7, 7])));
    const client = createBackgroundRemoverClient({ url: "http://bgr.test/base", token: "t" }, { fetch });
    expect([...(await client.download("/api/apps/background-remover/files/u/x.png?expires=1&signature=s"))]).toEqual([7, 7]);
    await client.download("https://cdn.elsewhere.example/x.png");
    expect(requests.map((r) => [r.url, r.headers.get("authorization")])).toEqual([
      ["http://bgr.test/base/api/apps/background-remover/files/u/x.png?expires=1&signature=s", "Bearer t"],
      ["https://cdn.elsewhere.example/x.png", null],
    ]);
  });

  it("reads a failed download's JSON error", async () => {
    const { fetch } = fakeFetch(() =>
      json(404, { success: false, error: { code: "NOT_FOUND", message: "Batch b1 has no ZIP yet (50% done)." } }),
    );
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    await expect(client.downloadBatch("b 1")).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
      message: expect.stringContaining("no ZIP yet"),
    });
  });
});

describe("trpc and waitForBatch", () => {
  /** Answers tRPC's batch link the way the server does: an array with one result (or error) per call. */
  function trpcServer(answers: (() => unknown)[]) {
    let call = 0;
    return fakeFetch((request) => {
      const answer = answers[Math.min(call++, answers.length - 1)]!();
      const isError = typeof answer === "object" && answer !== null && "error" in answer;
      const status = isError ? (answer as { error: { data: { httpStatus: number } } }).error.data.httpStatus : 200;
      expect(request.url).toMatch(/^http:\/\/bgr\.test\/api\/trpc\/batch\.get\?batch=1&input=/);
      return json(status, [isError ? answer : { result: { data: answer } }]);
    });
  }

  it("polls batch.get through tRPC until a final status, reporting each view", async () => {
    const { fetch, requests } = trpcServer([
      () => batchView("pending", 0),
      () => batchView("processing", 50),
      () => batchView("completed", 100),
    ]);
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    const seen: number[] = [];
    const done = await client.waitForBatch("b1", { intervalMs: 1, onProgress: (b) => seen.push(b.progress.percentage) });
    expect(done.status).toBe("completed");
    expect(seen).toEqual([0, 50, 100]);
    expect(requests).toHaveLength(3);
    expect(decodeURIComponent(new URL(requests[0]!.url).searchParams.get("input")!)).toBe('{"0":{"batchId":"b1"}}');
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer t");
  });

  it("stops at failed and cancelled too", async () => {
    for (const status of ["failed", "cancelled"] as const) {
      const { fetch } = trpcServer([() => batchView(status, 100)]);
      const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
      expect((await client.waitForBatch("b1", { intervalMs: 1 })).status).toBe(status);
    }
  });

  it("gives up with TIMEOUT and the last progress", async () => {
    const { fetch } = trpcServer([() => batchView("processing", 50)]);
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    const error = await client.waitForBatch("b1", { intervalMs: 5, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TIMEOUT", status: null, details: { batchId: "b1", status: "processing" } });
  });

  it("stops waiting when aborted", async () => {
    const { fetch } = trpcServer([() => batchView("processing", 50)]);
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(client.waitForBatch("b1", { intervalMs: 10, signal: controller.signal })).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("turns tRPC errors into BackgroundRemoverErrors in helpers; direct calls keep TRPCClientError", async () => {
    const notFound = () => ({
      error: {
        message: "No batch b1 in your account.",
        code: -32004,
        data: { code: "NOT_FOUND", httpStatus: 404, path: "batch.get", domainCode: "NOT_FOUND", details: null },
      },
    });
    const { fetch } = trpcServer([notFound]);
    const client = createBackgroundRemoverClient({ url: "http://bgr.test", token: "t" }, { fetch });
    await expect(client.waitForBatch("b1")).rejects.toMatchObject({ name: "BackgroundRemoverError", code: "NOT_FOUND", status: 404 });
    const direct = await client.trpc.batch.get.query({ batchId: "b1" }).catch((e: unknown) => e);
    expect(direct).toMatchObject({ name: "TRPCClientError", data: { domainCode: "NOT_FOUND", httpStatus: 404 } });
  });
});
