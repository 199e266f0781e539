import { describe, expect, it } from "vitest";
import { alphaBytes } from "../src/compose.ts";

// A photo's own transparency meets the matte once: a model's matte is multiplied by it, a finished
// result's matte (which carries it already) is only capped by it.
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
