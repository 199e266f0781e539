import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ENGINE_PROCESS_ENV } from "../src/process-env.ts";

const ROOT = new URL("../../../", import.meta.url);
const settings = Object.entries(ENGINE_PROCESS_ENV).map(([name, value]) => `${name}=${value}`);

describe("the engine's process environment", () => {
  it("is what the Docker image sets", async () => {
    const dockerfile = await readFile(new URL("Dockerfile", ROOT), "utf8");
    for (const setting of settings) expect(dockerfile).toMatch(new RegExp(`^ENV ${setting.replace(/\./g, "\\.")}$`, "m"));
  });

  it.each(["start", "worker", "bgr"])("is what `pnpm %s` starts its process with", async (script) => {
    const { scripts } = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { scripts: Record<string, string> };
    // The variables must stand before the command that starts the engine's process, not before an earlier step.
    const lastCommand = scripts[script]!.split("&&").at(-1)!;
    for (const setting of settings) expect(lastCommand.split(/\s+/)).toContain(setting);
  });
});
