/**
 * A tiny segmentation model written as ONNX protobuf by hand, with the contract every model here
 * has: `input` float [1,3,S,S] → `output` float [1,1,S,S]. It returns logits proportional to the
 * mean of the normalised channels (`scale × mean_c(x)`), so bright pixels read as foreground. Tests
 * serve it as a model pack and load it with the real ONNX Runtime. `paddingBytes` adds an unused
 * initializer, so downloads are big enough to cut halfway.
 */
export function tinySegmentationModel(size: number, options: { scale?: number; paddingBytes?: number } = {}): Buffer {
  const { scale = 4, paddingBytes = 0 } = options;
  const floatType = 1;
  const tensorType = (dims: number[]) =>
    message([field(1, message([varintField(1, floatType), field(2, message(dims.map((d) => field(1, message([varintField(1, d)])))))]))]);
  const valueInfo = (name: string, dims: number[]) => message([stringField(1, name), field(2, tensorType(dims))]);
  const scaleBytes = Buffer.alloc(4);
  scaleBytes.writeFloatLE(scale);

  const reduceMean = message([
    stringField(1, "input"),
    stringField(2, "channel_mean"),
    stringField(3, "mean"),
    stringField(4, "ReduceMean"),
    field(5, message([stringField(1, "axes"), varintField(8, 1), varintField(20, 7 /* INTS */)])),
    field(5, message([stringField(1, "keepdims"), varintField(3, 1), varintField(20, 2 /* INT */)])),
  ]);
  const mul = message([
    stringField(1, "channel_mean"),
    stringField(1, "scale"),
    stringField(2, "output"),
    stringField(3, "logits"),
    stringField(4, "Mul"),
  ]);
  const initializer = message([varintField(2, floatType), stringField(8, "scale"), field(9, scaleBytes)]);
  const floats = Math.ceil(paddingBytes / 4);
  const padding =
    floats > 0
      ? [
          field(
            5,
            message([varintField(1, floats), varintField(2, floatType), stringField(8, "padding"), field(9, Buffer.alloc(floats * 4, 7))]),
          ),
        ]
      : [];
  const graph = message([
    field(1, reduceMean),
    field(1, mul),
    stringField(2, "tiny-segmentation"),
    field(5, initializer),
    ...padding,
    field(11, valueInfo("input", [1, 3, size, size])),
    field(12, valueInfo("output", [1, 1, size, size])),
  ]);
  return message([
    varintField(1, 7 /* IR version */),
    stringField(2, "bgr-tests"),
    field(7, graph),
    field(8, message([stringField(1, ""), varintField(2, 13)])),
  ]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const key = (fieldNumber: number, wireType: number) => varint(fieldNumber * 8 + wireType);
const varintField = (n: number, value: number) => Buffer.concat([key(n, 0), varint(value)]);
const field = (n: number, bytes: Buffer) => Buffer.concat([key(n, 2), varint(bytes.length), bytes]);
const stringField = (n: number, text: string) => field(n, Buffer.from(text, "utf8"));
const message = (parts: Buffer[]) => Buffer.concat(parts);
