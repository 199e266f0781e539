import { useState } from "react";
import { checkDecodes } from "../../lib/decode-check.ts";
import { checkFile, imageTypeOf } from "../../lib/file-checks.ts";

/** A chosen background image, refused at once (with the reason) when it is too big or does not decode. */
export function useBackgroundFile(): { file: File | null; problem: string | null; choose: (file: File | null) => Promise<void> } {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function choose(next: File | null) {
    const reason = next && (checkFile(next) ?? (await checkDecodes(next, imageTypeOf(next))));
    setProblem(reason ?? null);
    setFile(reason ? null : next);
  }
  return { file, problem, choose };
}
