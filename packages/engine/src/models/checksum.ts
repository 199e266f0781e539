import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Checksum } from "./model.ts";

const HEX_LENGTH: Record<Checksum["algorithm"], number> = { md5: 32, sha256: 64 };

/** Hex digests of a file for each algorithm asked, in one read. */
export async function digestFile<A extends Checksum["algorithm"]>(file: string, algorithms: readonly A[]): Promise<Record<A, string>> {
  const hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as const);
  for await (const chunk of createReadStream(file)) for (const [, hash] of hashes) hash.update(chunk as Buffer);
  return Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest("hex")])) as Record<A, string>;
}

/** `md5:<hex>`, `sha256:<hex>` or a bare 64-digit sha256, as an operator types it; throws with what to write. */
export function parseChecksum(text: string): Checksum {
  const match = /^(?:(md5|sha256):)?([0-9a-fA-F]+)$/.exec(text.trim());
  const algorithm = (match?.[1] ?? "sha256") as Checksum["algorithm"];
  const hex = match?.[2]?.toLowerCase();
  if (!hex || hex.length !== HEX_LENGTH[algorithm]) {
    throw new Error(`"${text}" is not a checksum: give 64 hex digits of sha256 (or md5:<32 hex digits>).`);
  }
  return { algorithm, hex };
}

export function formatChecksum(checksum: Checksum): string {
  return `${checksum.algorithm}:${checksum.hex}`;
}
