import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_HTTP_POLICY, HuggingFaceProvider, RemoteCallError, RemoteHttp, SegmindProvider } from "../src/index.ts";
import { answer, segmentsJson, startFakeService, type FakeService } from "./support/fake-service.ts";

const upload = { bytes: Buffer.from("\x89PNG fake photo bytes"), mime: "image/png" };

describe("remote providers' request and answer shapes", () => {
  let fake: FakeService;
  let http: RemoteHttp;

  beforeAll(async () => {
    fake = await startFakeService("/api");
    http = new RemoteHttp({ ...DEFAULT_HTTP_POLICY, maxAttempts: 1 });
  });
  afterEach(() => {
    fake.calls.length = 0;
  });
  afterAll(async () => {
    await http.close();
    await fake.close();
  });

  describe("HuggingFaceProvider", () => {
    const provider = () => new HuggingFaceProvider(http, { apiKey: "hf_test", baseUrl: `${fake.url}/models/`, model: "briaai/RMBG-1.4" });

    it("POSTs the raw image with a Bearer token to {base}/{model}", async () => {
      fake.behave((_call, res) => answer(res, 200, "application/json", segmentsJson([{ mask: Buffer.from("mask") }])));
      await provider().matte(upload);
      const [call] = fake.calls;
      expect(call).toMatchObject({ method: "POST", path: "/api/models/briaai/RMBG-1.4", body: upload.bytes });
      expect(call!.headers).toMatchObject({ authorization: "Bearer hf_test", "content-type": "image/png" });
      expect(provider().id).toBe("huggingface:briaai/RMBG-1.4");
    });

    it("reads the mask of the most confident segment from the JSON answer", async () => {
      fake.behave((_call, res) =>
        answer(
          res,
          200,
          "application/json; charset=utf-8",
          segmentsJson([
            { mask: Buffer.from("low"), score: 0.2 },
            { mask: Buffer.from("high"), score: 0.9 },
            { mask: Buffer.from("mid"), score: 0.5 },
          ]),
        ),
      );
      expect(Buffer.from(await provider().matte(upload)).toString()).toBe("high");
    });

    it("takes an image answer as the matte itself", async () => {
      fake.behave((_call, res) => answer(res, 200, "image/png", Buffer.from("png mask")));
      expect(Buffer.from(await provider().matte(upload)).toString()).toBe("png mask");
    });

    it.each([
      ["an object", '{"error":"Model briaai/RMBG-1.4 is currently loading"}'],
      ["segments without masks", '[{"label":"x","score":1}]'],
      ["JSON cut short", '[{"label":"fg","mask":"iVBO'],
    ])("fails, not retryable, on %s", async (_what, body) => {
      fake.behave((_call, res) => answer(res, 200, "application/json", body));
      const error = await provider()
        .matte(upload)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(RemoteCallError);
      expect((error as RemoteCallError).retryable).toBe(false);
    });
  });

  describe("SegmindProvider", () => {
    const provider = () => new SegmindProvider(http, { apiKey: "sg_test", baseUrl: fake.url, model: "bg-removal-v2" });

    it("POSTs JSON with the base64 image and the x-api-key header to {base}/{model}", async () => {
      fake.behave((_call, res) => answer(res, 200, "image/png", Buffer.from("cutout")));
      expect(Buffer.from(await provider().matte(upload)).toString()).toBe("cutout");
      const [call] = fake.calls;
      expect(call).toMatchObject({ method: "POST", path: "/api/bg-removal-v2" });
      expect(call!.headers).toMatchObject({ "x-api-key": "sg_test", "content-type": "application/json" });
      expect(JSON.parse(call!.body.toString())).toEqual({ image: upload.bytes.toString("base64") });
      expect(provider().id).toBe("segmind:bg-removal-v2");
    });

    it("reads a JSON answer carrying the image as base64, data URL or not", async () => {
      fake.behave((_call, res, n) =>
        answer(
          res,
          200,
          "application/json",
          JSON.stringify({ image: `${n === 1 ? "" : "data:image/png;base64,"}${Buffer.from("b64 matte").toString("base64")}` }),
        ),
      );
      expect(Buffer.from(await provider().matte(upload)).toString()).toBe("b64 matte");
      expect(Buffer.from(await provider().matte(upload)).toString()).toBe("b64 matte");
    });

    it("fails on JSON without an image", async () => {
      fake.behave((_call, res) => answer(res, 200, "application/json", '{"status":"queued"}'));
      await expect(provider().matte(upload)).rejects.toThrow(/without an "image"/);
    });
  });
});
