import { describe, expect, it } from "vitest";
import { buildBatchForm, buildRemoveForm, toBlob } from "../src/form.ts";

const bytes = new Uint8Array([1, 2, 3, 4]);

async function blobBytes(value: unknown): Promise<number[]> {
  expect(value).toBeInstanceOf(Blob);
  return [...new Uint8Array(await (value as Blob).arrayBuffer())];
}

describe("toBlob", () => {
  it("takes a Blob as is and wraps bytes, including a view into a larger buffer", async () => {
    const blob = new Blob([bytes]);
    expect(toBlob(blob)).toBe(blob);
    expect(await blobBytes(toBlob(bytes.buffer))).toEqual([1, 2, 3, 4]);
    const view = new Uint8Array([9, 9, 1, 2, 9]).subarray(2, 4);
    expect(await blobBytes(toBlob(view))).toEqual([1, 2]);
    expect(await blobBytes(toBlob(Buffer.from([7, 8])))).toEqual([7, 8]);
    expect(await blobBytes(toBlob(new Uint8Array(new SharedArrayBuffer(2)).fill(5)))).toEqual([5, 5]);
  });

  it("refuses anything else with a message naming what it takes", () => {
    expect(() => toBlob("not bytes" as never)).toThrow(/Blob.*Uint8Array.*ArrayBuffer/);
  });
});

describe("buildRemoveForm", () => {
  it("sends the tier and only the options given, with the file in `image`", async () => {
    const form = buildRemoveForm(bytes, { tier: "basic" });
    expect([...form.keys()]).toEqual(["tier", "image"]);
    expect(form.get("tier")).toBe("basic");
    expect((form.get("image") as File).name).toBe("image");
    expect(await blobBytes(form.get("image"))).toEqual([1, 2, 3, 4]);
  });

  it("writes every output option the way the server reads it", () => {
    const form = buildRemoveForm(bytes, {
      tier: "professional",
      fileName: "me.jpg",
      format: "webp",
      background: "#ffffff",
      result: "mask",
      crop: { marginPx: 12 },
    });
    expect(Object.fromEntries([...form.entries()].filter(([key]) => key !== "image"))).toEqual({
      tier: "professional",
      format: "webp",
      background: "#ffffff",
      result: "mask",
      crop: "true",
      cropMargin: "12",
    });
    expect((form.get("image") as File).name).toBe("me.jpg");
    expect(buildRemoveForm(bytes, { tier: "basic", crop: true }).get("cropMargin")).toBeNull();
    expect(buildRemoveForm(bytes, { tier: "basic", crop: false }).get("crop")).toBeNull();
  });

  it("uses a File's own name unless fileName is given", () => {
    const file = new File([bytes], "avatar.png");
    expect((buildRemoveForm(file, { tier: "basic" }).get("image") as File).name).toBe("avatar.png");
    expect((buildRemoveForm(file, { tier: "basic", fileName: "x.png" }).get("image") as File).name).toBe("x.png");
  });
});

describe("buildBatchForm", () => {
  it("sends the fields first, then one `images` part per file, in order", async () => {
    const form = buildBatchForm(
      [
        { name: "a.jpg", data: bytes },
        { name: "b.jpg", data: new Blob([new Uint8Array([5])]) },
      ],
      { tier: "standard", callbackUrl: "https://app.example/done" },
    );
    expect([...form.keys()]).toEqual(["tier", "callbackUrl", "images", "images"]);
    const images = form.getAll("images") as File[];
    expect(images.map((f) => f.name)).toEqual(["a.jpg", "b.jpg"]);
    expect(await blobBytes(images[1]!)).toEqual([5]);
    expect(buildBatchForm([], { tier: "basic" }).get("callbackUrl")).toBeNull();
  });
});
