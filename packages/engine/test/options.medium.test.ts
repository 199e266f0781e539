import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEngine,
  InvalidImageError,
  InvalidOptionsError,
  type RemovalEngine,
  type RemoveOptions,
  type TierName,
} from "../src/index.ts";

/**
 * Option errors must surface before any decoding or inference. Every call here passes empty image
 * bytes: if the options got past validation, the call would reject with InvalidImageError("empty")
 * instead, and the engine's cache stays empty because no model was ever assembled.
 */
describe("remove() option validation", () => {
  let cacheDir: string;
  let engine: RemovalEngine;
  const noImage = new Uint8Array(0);

  beforeAll(async () => {
    cacheDir = path.join(await mkdtemp(path.join(os.tmpdir(), "engine-options-")), "models");
    engine = await createEngine({ cacheDir });
  });

  afterAll(async () => {
    await rm(path.dirname(cacheDir), { recursive: true, force: true });
  });

  const rejectsOptions = async (options: RemoveOptions, message: string | RegExp) => {
    const error: unknown = await engine.remove(noImage, options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toMatch(message);
  };

  it("lets valid options through to decoding (the control for the cases below)", async () => {
    for (const options of [
      { tier: "basic" },
      { tier: "basic", format: "jpg", background: "#ffffff" },
      // A mask is greyscale, so JPEG is fine without a background.
      { tier: "basic", format: "jpg", result: "mask" },
      { tier: "industry", format: "webp", background: "transparent", crop: { marginPx: 0 } },
    ] satisfies RemoveOptions[]) {
      await expect(engine.remove(noImage, options)).rejects.toBeInstanceOf(InvalidImageError);
    }
  });

  it("rejects a JPEG cutout over transparency", async () => {
    await rejectsOptions({ tier: "basic", format: "jpg" }, /JPEG/);
    await rejectsOptions({ tier: "basic", format: "jpg", background: "transparent" }, /JPEG/);
  });

  it.each(["red", "#12345g", "#1234", "#fffffff", "rgb(0,0,0)"])("rejects the background %j", async (background) => {
    await rejectsOptions({ tier: "basic", background }, `"${background}" is not a colour`);
  });

  it.each(["ultra", "Basic", "toString", "__proto__"])("rejects the unknown tier %j", async (tier) => {
    await rejectsOptions({ tier: tier as TierName }, /Unknown tier/);
  });

  it.each([-1, 2.5, Number.NaN])("rejects the crop margin %d", async (marginPx) => {
    await rejectsOptions({ tier: "basic", crop: { marginPx } }, /margin/);
  });

  it("loaded no model while validating", async () => {
    expect(existsSync(cacheDir) ? await readdir(cacheDir) : []).toEqual([]);
  });
});
