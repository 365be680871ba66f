// A tiny ONNX generator written byte by byte (protobuf wire format of onnx.proto: ModelProto,
// GraphProto, NodeProto, TensorProto, ValueInfoProto), so the ONNX path can be tested without
// any model file or Python. The graph follows the I/O convention of onnx-generator.ts:
//   inputs  condition [1,3,H,W], mask [1,1,H,W] (1 = context), z [1,D]
//   output  img = condition + (1 - mask) * tanh(reshape(z @ Wz, [1,3,1,1]))
// so a region pixel's value is tanh((z @ Wz)[c]) whatever the input, and a context pixel's is the
// condition. IR version 8, opset 13 (MatMul, Reshape, Tanh, Sub, Mul, Add).

class Writer {
  bytes: number[] = [];
  varint(v: number): this {
    let x = v;
    while (x >= 0x80) {
      this.bytes.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.bytes.push(x);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytesField(field: number, b: Uint8Array | number[]): this {
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytesField(field, [...Buffer.from(s, 'utf8')]);
  }
  msg(field: number, w: Writer): this {
    return this.bytesField(field, w.bytes);
  }
  out(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, dims: number[]): Writer {
  const shape = new Writer();
  for (const d of dims) shape.msg(1, new Writer().int(1, d));
  const tensorType = new Writer().int(1, FLOAT).msg(2, shape);
  return new Writer().str(1, name).msg(2, new Writer().msg(1, tensorType));
}

function floatTensor(name: string, dims: number[], values: number[]): Writer {
  const t = new Writer();
  for (const d of dims) t.int(1, d);
  t.int(2, FLOAT);
  t.str(8, name);
  t.bytesField(9, new Uint8Array(Float32Array.from(values).buffer));
  return t;
}

function int64Tensor(name: string, dims: number[], values: number[]): Writer {
  const t = new Writer();
  for (const d of dims) t.int(1, d);
  t.int(2, INT64);
  t.str(8, name);
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  t.bytesField(9, b);
  return t;
}

function node(op: string, inputs: string[], outputs: string[]): Writer {
  const n = new Writer();
  for (const i of inputs) n.str(1, i);
  for (const o of outputs) n.str(2, o);
  n.str(3, `${op}_${outputs[0]}`);
  n.str(4, op);
  return n;
}

/** The model bytes for a W x H crop and latent size D; Wz is D x 3, row-major. */
export function tinyOnnxGenerator(H: number, W: number, D: number, Wz: number[]): Uint8Array {
  if (Wz.length !== D * 3) throw new Error('Wz must have D * 3 values');
  const g = new Writer();
  g.msg(1, node('MatMul', ['z', 'Wz'], ['zc']));
  g.msg(1, node('Reshape', ['zc', 'shape4'], ['z4']));
  g.msg(1, node('Tanh', ['z4'], ['zt']));
  g.msg(1, node('Sub', ['one', 'mask'], ['inv']));
  g.msg(1, node('Mul', ['zt', 'inv'], ['fill']));
  g.msg(1, node('Add', ['condition', 'fill'], ['img']));
  g.str(2, 'tiny_generator');
  g.msg(5, floatTensor('Wz', [D, 3], Wz));
  g.msg(5, int64Tensor('shape4', [4], [1, 3, 1, 1]));
  g.msg(5, floatTensor('one', [], [1]));
  g.msg(11, valueInfo('condition', [1, 3, H, W]));
  g.msg(11, valueInfo('mask', [1, 1, H, W]));
  g.msg(11, valueInfo('z', [1, D]));
  g.msg(12, valueInfo('img', [1, 3, H, W]));
  const m = new Writer();
  m.int(1, 8); // ir_version
  m.str(2, 'anon-impact-test');
  m.msg(7, g);
  m.msg(8, new Writer().str(1, '').int(2, 13)); // opset_import
  return m.out();
}

/** onnxruntime-node's native library leaves an empty `mat-debug-<pid>.log` in the temporary
 * folder when a process creates its first session; tests that load ONNX models remove it. */
export async function removeOnnxDebugLog(): Promise<void> {
  const { rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  await rm(join(tmpdir(), `mat-debug-${process.pid}.log`), { force: true });
}
