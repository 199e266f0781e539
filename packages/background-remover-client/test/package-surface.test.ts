import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

/** The modules a file imports, relative ones resolved, bare ones as written. */
async function importsOf(file: string): Promise<string[]> {
  const source = await readFile(file, "utf8");
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]!);
}

describe("package surface", () => {
  it("keeps the main entry browser-safe: no node:* import anywhere in its module graph", async () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of await importsOf(file)) {
        if (specifier.startsWith(".")) await visit(path.resolve(path.dirname(file), specifier));
        else bare.add(specifier);
      }
    };
    await visit(path.join(root, "src/index.ts"));
    expect(seen.size).toBeGreaterThan(3);
    expect([...bare].filter((s) => s.startsWith("node:"))).toEqual([]);
    // Only the tRPC client runs; the router's package is imported for types only.
    const runtime = await Promise.all(
      [...seen].map(async (file) => (await readFile(file, "utf8")).match(/^import (?!type)[^;]*from "@bgr\//m)),
    );
    expect(runtime.filter(Boolean)).toEqual([]);
  });

  it("publishes the entries it documents", async () => {
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
    expect(pkg.private).not.toBe(true);
    for (const entry of [".", "./node"]) {
      const target = pkg.exports[entry];
      // Consumers get the compiled dist (shipped through "files"); the workspace reads the sources.
      expect(target, entry).toMatchObject({
        "@bgr/source": expect.stringMatching(/^\.\/src\//),
        types: expect.stringMatching(/^\.\/dist\/.*\.d\.ts$/),
        default: expect.stringMatching(/^\.\/dist\/.*\.js$/),
      });
      await expect(readFile(path.join(root, target["@bgr/source"]))).resolves.toBeDefined();
      expect(pkg.files).toContain("dist");
    }
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.dependencies)).toEqual(["@trpc/client"]);
    expect(pkg.devDependencies["@bgr/api"]).toBeDefined();
  });
});
