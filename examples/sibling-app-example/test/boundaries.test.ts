import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the example's boundaries", () => {
  it("imports Background Remover Pro only through the client's public entries", async () => {
    const srcDir = path.resolve(import.meta.dirname, "../src");
    const specifiers: string[] = [];
    for (const file of await readdir(srcDir)) {
      const source = await readFile(path.join(srcDir, file), "utf8");
      specifiers.push(...[...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!));
    }
    const external = specifiers.filter((s) => !s.startsWith("."));
    expect(external.length).toBeGreaterThan(0);
    expect(external.filter((s) => s !== "@lumiku/background-remover-client" && s !== "@lumiku/background-remover-client/node")).toEqual([]);
  });
});
