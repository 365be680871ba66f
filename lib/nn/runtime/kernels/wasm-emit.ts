// A minimal WebAssembly binary emitter for small SIMD kernels that run on the tfjs wasm backend's
// own memory (imported as env.memory, so they read and write tensors in place on the heap).
// Only what our kernels use: i32 arithmetic and control flow, v128 loads/stores/splats and f32x4
// arithmetic. Encoding per the WebAssembly core specification 2.0 (binary format, chapter 5), plus
// f32x4.relaxed_madd of the relaxed SIMD extension (opcode 0xfd 0x105).
import v8 from 'node:v8';

export const I32 = 0x7f;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** A function body under construction (stack-machine instructions). */
export class Code {
  readonly bytes: number[] = [];
  private op(...x: number[]): this {
    this.bytes.push(...x);
    return this;
  }
  get(i: number) { return this.op(0x20, ...uleb(i)); }
  set(i: number) { return this.op(0x21, ...uleb(i)); }
  i32(n: number) { return this.op(0x41, ...sleb(n | 0)); }
  add() { return this.op(0x6a); }
  sub() { return this.op(0x6b); }
  mul() { return this.op(0x6c); }
  eqz() { return this.op(0x45); }
  block() { return this.op(0x02, 0x40); }
  loop() { return this.op(0x03, 0x40); }
  end() { return this.op(0x0b); }
  br(depth: number) { return this.op(0x0c, ...uleb(depth)); }
  brIf(depth: number) { return this.op(0x0d, ...uleb(depth)); }
  private simd(opcode: number, ...rest: number[]) { return this.op(0xfd, ...uleb(opcode), ...rest); }
  /** v128.load (align 2^4) at byte offset. */
  vload(offset = 0) { return this.simd(0x00, 0x04, ...uleb(offset)); }
  /** v128.store (align 2^4) at byte offset. */
  vstore(offset = 0) { return this.simd(0x0b, 0x04, ...uleb(offset)); }
  /** v128.load32_splat (align 2^2): one f32 into all four lanes. */
  vsplat32(offset = 0) { return this.simd(0x09, 0x02, ...uleb(offset)); }
  f32x4Add() { return this.simd(0xe4); }
  /** f32x4.relaxed_madd (relaxed SIMD): a * b + c, fused where the CPU has FMA. */
  f32x4RelaxedMadd() { return this.simd(0x105); }
  /**
   * acc += a * b for v128 locals, fused (relaxed_madd) when `fma`, else multiply then add.
   */
  madd(acc: number, a: number, b: number, fma: boolean) {
    if (fma) return this.get(a).get(b).get(acc).f32x4RelaxedMadd().set(acc);
    return this.get(acc).get(a).get(b).f32x4Mul().f32x4Add().set(acc);
  }
  f32x4Mul() { return this.simd(0xe6); }
  f32x4Div() { return this.simd(0xe7); }
  f32x4Sqrt() { return this.simd(0xe3); }
  f32x4Max() { return this.simd(0xe9); }
  f32x4Gt() { return this.simd(0x44); }
  v128And() { return this.simd(0x4e); }
  /** v128.const 0. */
  vzero() { return this.simd(0x0c, ...new Array(16).fill(0)); }
  f32x4Sub() { return this.simd(0xe5); }
  f32x4Nearest() { return this.simd(0x6a); }
  f32x4Splat() { return this.simd(0x13); }
  f32x4ExtractLane(lane: number) { return this.simd(0x1f, lane); }
  i32x4TruncSatF32x4S() { return this.simd(0xf8); }
  i32x4Add() { return this.simd(0xae); }
  i32x4Shl() { return this.simd(0xab); }
  /** v128.const of four f32 lanes. */
  vconstF32(a: number, b = a, c = a, d = a) {
    const buf = new Uint8Array(new Float32Array([a, b, c, d]).buffer);
    return this.simd(0x0c, ...buf);
  }
  /** v128.const of four i32 lanes. */
  vconstI32(a: number) {
    const buf = new Uint8Array(new Int32Array([a, a, a, a]).buffer);
    return this.simd(0x0c, ...buf);
  }
  f32Const(x: number) {
    return this.op(0x43, ...new Uint8Array(new Float32Array([x]).buffer));
  }
  f32Load(offset = 0) { return this.op(0x2a, 0x02, ...uleb(offset)); }
  f32Store(offset = 0) { return this.op(0x38, 0x02, ...uleb(offset)); }
  i32Load(offset = 0) { return this.op(0x28, 0x02, ...uleb(offset)); }
  f32Add() { return this.op(0x92); }
  f32Sub() { return this.op(0x93); }
  f32Div() { return this.op(0x95); }
  f32Max() { return this.op(0x97); }
  i32LtS() { return this.op(0x48); }
  /** if (no result) ... end */
  if_() { return this.op(0x04, 0x40); }
  else_() { return this.op(0x05); }
  /** drop (the top of the stack). */
  simdDrop() { return this.op(0x1a); }
  ltU() { return this.op(0x49); }
}

export interface Func {
  name: string;
  params: number[];
  /** Extra locals, as [count, type] runs. */
  locals: [number, number][];
  code: Code;
}

/** A module importing env.memory (any size) and exporting the given void functions. */
export function emitModule(funcs: Func[]): Uint8Array {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0x00]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]);
  const functions = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const bodies = vec(
    funcs.map((f) => {
      const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.code.bytes, 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, functions),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}

// The WebAssembly JS API, typed minimally (the project's TypeScript libs do not declare it).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type WasmFn = (...args: number[]) => void;

interface HeapOwner {
  wasm: unknown;
}

const compiled = new Map<string, object>();
const instances = new WeakMap<object, Map<string, Record<string, WasmFn>>>();

/**
 * The exports of module `key` (built once by `build`) instantiated on the wasm backend's memory
 * (one instance per backend, i.e. per thread).
 */
export function kernelsOnHeap(backend: HeapOwner, key: string, build: () => Func[]): Record<string, WasmFn> {
  const memory = (backend.wasm as { asm: { memory: object } }).asm.memory;
  let perMemory = instances.get(memory);
  if (!perMemory) {
    perMemory = new Map();
    instances.set(memory, perMemory);
  }
  let k = perMemory.get(key);
  if (!k) {
    let mod = compiled.get(key);
    if (!mod) {
      mod = new WA.Module(emitModule(build()));
      compiled.set(key, mod);
    }
    k = new WA.Instance(mod, { env: { memory } }).exports as Record<string, WasmFn>;
    perMemory.set(key, k);
  }
  return k;
}

let fmaChecked: boolean | null = null;
let fmaOff = false;

/** Test hook: build kernels with separate multiply and add even where relaxed SIMD exists. */
export function disableRelaxedSimd(off: boolean): void {
  fmaOff = off;
}

/**
 * Whether kernels may use f32x4.relaxed_madd (relaxed SIMD, WebAssembly 3.0). V8 in Node 20 has it
 * behind --experimental-wasm-relaxed-simd: the flag is set here (V8 flags are process-wide and this
 * one only enables the instructions); newer engines have it on. Set ANON_IMPACT_WASM_FMA=0 to use
 * separate multiply and add instead. On one machine the result is deterministic either way.
 */
export function relaxedSimdAvailable(): boolean {
  if (fmaOff) return false;
  if (fmaChecked !== null) return fmaChecked;
  if (process.env.ANON_IMPACT_WASM_FMA === '0') return (fmaChecked = false);
  const c = new Code();
  c.vzero().vzero().vzero().f32x4RelaxedMadd().simdDrop();
  const probe = emitModule([{ name: 'probe', params: [], locals: [], code: c }]);
  if (!WA.validate(probe)) {
    try {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // not settable here: plain SIMD
    }
  }
  return (fmaChecked = WA.validate(probe));
}
