import { contracts } from "@bgr/api";
import { DomainError, type BatchOptions, type ComposeRequest } from "@bgr/domain";
import { parseInput } from "./respond.ts";

const HINT =
  'Send the field "options" as JSON such as {"background":{"kind":"colour","colour":"#ffffff"},"shadow":null,"crop":{"marginPercent":10},"aspect":"1:1","format":"png","size":"original"}.';

/** The multipart field `options` (JSON text) → a checked ComposeRequest. */
export function parseComposeRequest(text: string | undefined): ComposeRequest {
  return parseInput(contracts.composeRequest, parseJson(text, HINT), HINT);
}

const BATCH_HINT =
  'Send the field "options" as JSON such as {"background":{"kind":"colour","colour":"#ffffff"},"crop":{"marginPercent":10},"format":"jpg"}, or leave it out for transparent PNGs; an image background goes in the file "background".';

/** POST /batch's optional multipart field `options` (JSON text) → checked batch options; absent: none. */
export function parseBatchOptions(text: string | undefined): BatchOptions | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  return parseInput(contracts.batchOptions, parseJson(text, BATCH_HINT), BATCH_HINT);
}

function parseJson(text: string | undefined, hint: string): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    throw new DomainError("INVALID_OPTIONS", `The options are not valid JSON. ${hint}`);
  }
}
