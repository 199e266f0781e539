import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LumikuApps } from "../src/index.ts";
import { fakeBearerToken, makePng, startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import { appsFor, failure } from "./helpers.ts";

const ALICE = fakeBearerToken("alice");
const BOB = fakeBearerToken("bob");

let fake: FakeLumikuApps;
let apps: LumikuApps;
let png: Buffer;

beforeAll(async () => {
  fake = await startFakeLumikuApps();
  apps = appsFor(fake);
  png = await makePng(10, 6);
});
afterEach(() => {
  fake.clearFailures();
  fake.clearRequests();
});
afterAll(async () => {
  await apps.close();
  await fake.close();
});

const upscale = (idempotencyKey: string, overrides: Partial<Parameters<LumikuApps["upscale"]>[0]> = {}) =>
  apps.upscale({ bytes: png, fileName: "cat.png", factor: 2, idempotencyKey, authorization: ALICE, ...overrides });

describe("upscale", () => {
  it("upscales, sends the key and the token, and the result downloads at the new size", async () => {
    const before = fake.upscaleCount;
    const result = await upscale("key-1", { factor: 4 });
    expect(result).toMatchObject({ name: "cat@4x.png", width: 40, height: 24 });
    expect(fake.upscaleCount).toBe(before + 1);
    expect(fake.requestsTo(fake.paths.upscale).map((r) => [r.idempotencyKey, r.authorization])).toEqual([["key-1", ALICE]]);
    const downloaded = await apps.download("image-upscaler", result, ALICE);
    expect(await sharp(downloaded.bytes).metadata()).toMatchObject({ width: 40, height: 24, format: "png" });
    expect(await apps.upscalerImage(result.id, ALICE)).toEqual({ id: result.id, name: result.name, url: result.url });
  });

  it("repeating a key returns the same result and charges once", async () => {
    const before = fake.upscaleCount;
    const first = await upscale("key-2");
    const again = await upscale("key-2");
    expect(again).toEqual(first);
    expect(fake.upscaleCount).toBe(before + 1);
    const other = await upscale("key-3");
    expect(other.id).not.toBe(first.id);
    expect(fake.upscaleCount).toBe(before + 2);
  });

  it("retries a lost answer with the same key: charged once", async () => {
    const before = fake.upscaleCount;
    fake.inject(fake.paths.upscale, { type: "status", status: 500, times: 1, afterHandling: true });
    const result = await upscale("key-4");
    expect(result.width).toBe(20);
    const attempts = fake.requestsTo(fake.paths.upscale);
    expect(attempts.map((r) => r.idempotencyKey)).toEqual(["key-4", "key-4"]);
    expect(fake.upscaleCount).toBe(before + 1);
  });

  it("retries a dropped connection after the work was done: charged once", async () => {
    const before = fake.upscaleCount;
    fake.inject(fake.paths.upscale, { type: "reset", times: 2, afterHandling: true });
    await upscale("key-5");
    expect(fake.requestsTo(fake.paths.upscale)).toHaveLength(3);
    expect(fake.upscaleCount).toBe(before + 1);
  });

  it("keys belong to a user: another user's same key is a new upscale", async () => {
    const before = fake.upscaleCount;
    const mine = await upscale("shared-key");
    const theirs = await upscale("shared-key", { authorization: BOB });
    expect(theirs.id).not.toBe(mine.id);
    expect(fake.upscaleCount).toBe(before + 2);
    await failure(apps.download("image-upscaler", mine, BOB), "not-found");
  });

  it("reports the upscaler's refusal (402) as forbidden with its reason, not retried", async () => {
    fake.inject(fake.paths.upscale, { type: "status", status: 402 });
    const error = await failure(upscale("key-6"), "forbidden");
    expect(error.message).toContain("Check your credits in Image Upscaler");
    expect(fake.requestsTo(fake.paths.upscale)).toHaveLength(1);
  });

  it("does not follow a redirect for a POST", async () => {
    fake.inject(fake.paths.upscale, { type: "redirect", location: "/image-upscaler/elsewhere", status: 307 });
    await failure(upscale("key-7"), "bad-response");
    expect(fake.requests).toHaveLength(1);
  });

  it("checks its input before calling", async () => {
    await expect(upscale("key-8", { factor: 3 })).rejects.toThrow(/factor must be 2 or 4/);
    await expect(upscale(" ")).rejects.toThrow(/idempotencyKey/);
    await expect(upscale("key-9", { bytes: Buffer.from("GIF89a") })).rejects.toThrow(/PNG/);
    expect(fake.requests).toEqual([]);
  });

  it("bad answer shape → bad-response", async () => {
    fake.inject(fake.paths.upscale, { type: "body", body: JSON.stringify({ success: true, data: { id: "u", imageUrl: "/x" } }) });
    const error = await failure(upscale("key-10"), "bad-response");
    expect(error.message).toContain("width");
  });
});
