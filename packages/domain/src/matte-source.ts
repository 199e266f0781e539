/**
 * Who made a matte, as the engine and the remote providers name it: `provider:model` (`local:isnet-fp16`,
 * `huggingface:briaai/RMBG-1.4`) or a bare provider (`external`, `image-upscaler`). Rows keep the two apart.
 */
export interface MatteSource {
  provider: string;
  model: string | null;
}

export function parseMatteSource(source: string): MatteSource {
  const colon = source.indexOf(":");
  return colon < 0 ? { provider: source, model: null } : { provider: source.slice(0, colon), model: source.slice(colon + 1) || null };
}

export function formatMatteSource(source: MatteSource): string {
  return source.model ? `${source.provider}:${source.model}` : source.provider;
}
