import { describe, expect, it } from "vitest";
import { alphaBytes, composeCutout } from "../src/compose.ts";
import { opaqueRgb } from "../src/matte/predict-matte.ts";

// A photo's own transparency is applied once: a model's matte is multiplied by it, a finished
// result's matte (which carries it already) is only capped by it, and its colour is not mixed with white.
describe("alphaBytes", () => {
  // Four pixels whose own alpha is 255, 128, 128 and 0.
  const source = new Uint8Array([0, 0, 0, 255, 0, 0, 0, 128, 0, 0, 0, 128, 0, 0, 0, 0]);

  it("multiplies a model's matte by the photo's alpha", () => {
    expect([...alphaBytes(new Float32Array([1, 1, 0.5, 1]), source, true, "multiply")]).toEqual([255, 128, 64, 0]);
  });

  it("caps a result's matte by the photo's alpha, so composing it again changes nothing and restoring adds nothing", () => {
    const result = alphaBytes(new Float32Array([1, 1, 0.5, 1]), source, true, "multiply");
    const again = alphaBytes(
      Float32Array.from(result, (a) => a / 255),
      source,
      true,
      "cap",
    );
    expect([...again]).toEqual([...result]);
    // A restore brush sets the matte to 1 everywhere: the photo comes back as it was, never more opaque.
    expect([...alphaBytes(new Float32Array([1, 1, 1, 1]), source, true, "cap")]).toEqual([255, 128, 128, 0]);
  });

  it("takes the matte as it is for a photo without alpha", () => {
    expect([...alphaBytes(new Float32Array([1, 0.5, 0, 0.25]), source, false, "cap")]).toEqual([255, 128, 0, 64]);
  });
});

describe("composeCutout of a semi-transparent photo", () => {
  // One pixel of pure red at half opacity, the model sure it is subject.
  const rgba = new Uint8Array([255, 0, 0, 128]);
  const image = { width: 1, height: 1, rgba: Buffer.from(rgba), hasAlpha: true, format: "png" as const };
  const alpha = alphaBytes(new Float32Array([1]), rgba, true, "multiply");

  it("keeps the photo's own colour, not its mix with white, so half-red on black is dark red", () => {
    const onBlack = composeCutout(opaqueRgb(image), alpha, 1, 1, false, [0, 0, 0], rgba);
    expect([...onBlack.pixels]).toEqual([128, 0, 0]);
    const cutout = composeCutout(opaqueRgb(image), alpha, 1, 1, true, null, rgba);
    expect([...cutout.pixels]).toEqual([255, 0, 0, 128]);
  });

  it("is the control: without the photo's colours the white the model saw tints it", () => {
    expect([...composeCutout(opaqueRgb(image), alpha, 1, 1, false, [0, 0, 0]).pixels]).toEqual([128, 64, 64]);
  });
});
