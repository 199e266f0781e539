// Just enough PNG and ZIP reading to check results without an image or archive library.
import { inflateRawSync, inflateSync } from "node:zlib";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngAlpha {
  width: number;
  height: number;
  /** Colour type 6 (RGBA) or 4 (grey + alpha). */
  hasAlphaChannel: boolean;
  /** Share of pixels with alpha 0 and alpha 255. */
  transparent: number;
  opaque: number;
}

/** Decodes an 8-bit non-interlaced PNG far enough to count its alpha values. */
export function pngAlpha(bytes: Uint8Array): PngAlpha {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG");
  let width = 0,
    height = 0,
    bitDepth = 0,
    colorType = 0,
    interlace = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colorType = data[9]!;
      interlace = data[12]!;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels) throw new Error(`unknown PNG colour type ${colorType}`);
  const hasAlphaChannel = colorType === 4 || colorType === 6;
  if (!hasAlphaChannel) return { width, height, hasAlphaChannel, transparent: 0, opaque: 1 };
  if (bitDepth !== 8 || interlace !== 0)
    throw new Error(`only 8-bit non-interlaced PNGs are read here (got depth ${bitDepth}, interlace ${interlace})`);

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = new Uint8Array(stride);
  let transparent = 0,
    opaque = 0;
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start]!;
    const row = new Uint8Array(raw.subarray(start + 1, start + 1 + stride));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? row[x - channels]! : 0;
      const up = previous[x]!;
      const upLeft = x >= channels ? previous[x - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter} in row ${y}`);
      row[x] = (row[x]! + predictor) & 0xff;
    }
    for (let x = channels - 1; x < stride; x += channels) {
      if (row[x] === 0) transparent++;
      else if (row[x] === 255) opaque++;
    }
    previous = row;
  }
  const pixels = width * height;
  return { width, height, hasAlphaChannel, transparent: transparent / pixels, opaque: opaque / pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Every entry of a ZIP, read through its central directory. */
export function zipEntries(bytes: Uint8Array): { name: string; data: Buffer }[] {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a ZIP: no end-of-central-directory record");
  const count = zip.readUInt16LE(end + 10);
  const entries: { name: string; data: Buffer }[] = [];
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`ZIP central directory entry ${i} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const stored = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`ZIP entry ${name} uses method ${method}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(stored) : stored });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
