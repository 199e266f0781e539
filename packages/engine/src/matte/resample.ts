/**
 * Bilinear resampling of a single-channel float plane with pixel-centre alignment
 * (the same geometry as align_corners=false in the model's training code).
 */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  if (sw === dw && sh === dh) {
    out.set(src);
    return out;
  }
  const x0 = new Int32Array(dw), x1 = new Int32Array(dw), fx = new Float32Array(dw);
  const sx = sw / dw;
  for (let x = 0; x < dw; x++) {
    const pos = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
    const left = Math.floor(pos);
    x0[x] = left;
    x1[x] = Math.min(left + 1, sw - 1);
    fx[x] = pos - left;
  }
  const sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const pos = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const top = Math.floor(pos);
    const fy = pos - top;
    const r0 = top * sw;
    const r1 = Math.min(top + 1, sh - 1) * sw;
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = src[r0 + x0[x]!]!, b = src[r0 + x1[x]!]!, c = src[r1 + x0[x]!]!, d = src[r1 + x1[x]!]!;
      const f = fx[x]!;
      const topValue = a + (b - a) * f;
      const bottomValue = c + (d - c) * f;
      out[o + x] = topValue + (bottomValue - topValue) * fy;
    }
  }
  return out;
}
