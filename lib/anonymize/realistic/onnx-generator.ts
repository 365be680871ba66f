// An exported generator (e.g. one of DeepPrivacy2's, exported from PyTorch with torch.onnx)
// run with onnxruntime-node on the CPU. onnxruntime-node is an optional dependency, loaded on
// first use; where it is missing the error says how to install it.
//
// I/O convention (DeepPrivacy2's tensors; NCHW float32, one crop per run):
//   inputs   condition  [1, 3, H, W]  RGB scaled to [-1, 1] (x / 127.5 - 1), times the mask, so
//                                     region pixels are 0 (DP2: batch["condition"] = mask * img)
//            mask       [1, 1, H, W]  1 = context (known), 0 = region (DP2's convention)
//            z          [1, zDim]     the latent, standard normal
//            keypoints  [1, 17, 3]    optional: x / W, y / H in [0, 1], visibility 0 or 1
//   output   the first output, [1, 3, H, W] RGB in [-1, 1] (clamped when converted)
// H, W and zDim are read from the model's input shapes when they are static; a sidecar JSON
// next to the model (MODEL.onnx.json) may set or override them and rename the tensors:
//   { "kind": "face" | "body", "size": [H, W], "zDim": 512,
//     "inputs": { "condition": "...", "mask": "...", "latent": "...", "keypoints": "..." },
//     "output": "..." }
// The latent space is the model's z (identity mapping): unimodal truncation pulls z toward its
// mean (about 0, as DP2's BaseGenerator.sample scales z), multimodal toward k-means centres of z.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { RegionKind } from '../../regions/region.ts';
import { checkGeneratorCall, type Generator, type GeneratorInput } from './generator.ts';

interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly { name: string; isTensor: boolean; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(model: Uint8Array, opts?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

export const ORT_PACKAGE = 'onnxruntime-node';

/** onnxruntime-node, or an error saying it is not installed and how to install it. */
export async function loadOnnxRuntime(): Promise<OrtModule> {
  try {
    const m = (await import(ORT_PACKAGE)) as unknown as OrtModule & { default?: OrtModule };
    return m.InferenceSession ? m : m.default!;
  } catch (e) {
    throw new Error(
      `ONNX generators need the optional package ${ORT_PACKAGE}, which is not installed or failed to load (${(e as Error).message.split('\n')[0]}); install it with: npm install --save-optional --save-exact ${ORT_PACKAGE}@1.30.0`,
    );
  }
}

export interface OnnxSidecar {
  kind?: RegionKind;
  size?: [number, number];
  zDim?: number;
  inputs?: { condition?: string; mask?: string; latent?: string; keypoints?: string };
  output?: string;
}

export interface OnnxGeneratorOptions {
  /** Region kind when neither the sidecar nor the caller says (default 'body'). */
  kind?: RegionKind;
}

function staticDims(s: OrtSession, name: string): number[] | null {
  const md = s.inputMetadata?.find((m) => m.name === name);
  if (!md?.shape || md.shape.some((d) => typeof d !== 'number' || d < 1)) return null;
  return md.shape as number[];
}

export async function loadOnnxGenerator(file: string, opts: OnnxGeneratorOptions = {}): Promise<Generator> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new Error(`${abs}: ONNX model not found`);
  const ort = await loadOnnxRuntime();
  const bytes = new Uint8Array(await readFile(abs));
  const side: OnnxSidecar = existsSync(abs + '.json') ? (JSON.parse(await readFile(abs + '.json', 'utf8')) as OnnxSidecar) : {};
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  } catch (e) {
    throw new Error(`${abs}: onnxruntime cannot load the model: ${(e as Error).message}`);
  }
  const names = {
    condition: side.inputs?.condition ?? 'condition',
    mask: side.inputs?.mask ?? 'mask',
    latent: side.inputs?.latent ?? 'z',
    keypoints: side.inputs?.keypoints ?? 'keypoints',
  };
  for (const k of ['condition', 'mask', 'latent'] as const) {
    if (!session.inputNames.includes(names[k])) {
      await session.release();
      throw new Error(`${abs}: the model has no input '${names[k]}' (${k}); its inputs are ${session.inputNames.join(', ')} (rename in ${basename(abs)}.json "inputs")`);
    }
  }
  const output = side.output ?? session.outputNames[0]!;
  if (!session.outputNames.includes(output)) throw new Error(`${abs}: the model has no output '${output}' (outputs: ${session.outputNames.join(', ')})`);
  const cd = staticDims(session, names.condition);
  const [H, W] = side.size ?? (cd ? [cd[2]!, cd[3]!] : [0, 0]);
  const zd = staticDims(session, names.latent);
  const zDim = side.zDim ?? (zd ? zd[1]! : 0);
  if (!(H > 0 && W > 0 && zDim > 0)) {
    await session.release();
    throw new Error(`${abs}: the crop size and latent size are not static in the model; give them in ${basename(abs)}.json as {"size": [H, W], "zDim": N}`);
  }
  const hasKp = session.inputNames.includes(names.keypoints);
  const key = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const runOne = async (inp: GeneratorInput, z: Float32Array): Promise<Float32Array> => {
    const px = W * H;
    const cond = new Float32Array(3 * px);
    const mask = new Float32Array(px);
    for (let i = 0; i < px; i++) {
      const known = inp.mask[i] === 0;
      mask[i] = known ? 1 : 0;
      if (known) for (let c = 0; c < 3; c++) cond[c * px + i] = inp.image[i * 3 + c]! / 127.5 - 1;
    }
    const feeds: Record<string, OrtTensor> = {
      [names.condition]: new ort.Tensor('float32', cond, [1, 3, H, W]),
      [names.mask]: new ort.Tensor('float32', mask, [1, 1, H, W]),
      [names.latent]: new ort.Tensor('float32', z, [1, zDim]),
    };
    if (hasKp) {
      const kp = new Float32Array(51);
      if (inp.keypoints) {
        for (let k = 0; k < 17; k++) {
          kp[3 * k] = inp.keypoints[3 * k]! / W;
          kp[3 * k + 1] = inp.keypoints[3 * k + 1]! / H;
          kp[3 * k + 2] = inp.keypoints[3 * k + 2]! > 0 ? 1 : 0;
        }
      }
      feeds[names.keypoints] = new ort.Tensor('float32', kp, [1, 17, 3]);
    }
    const res = await session.run(feeds);
    const y = res[output]!;
    const d = y.data as Float32Array;
    if (d.length !== 3 * px) throw new Error(`${abs}: output '${output}' has ${d.length} values, expected 3x${H}x${W}`);
    const out = new Float32Array(3 * px);
    for (let i = 0; i < px; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.min(1, Math.max(0, (d[c * px + i]! + 1) / 2));
    return out;
  };
  const g: Generator = {
    name: `onnx:${abs}`,
    kind: side.kind ?? opts.kind ?? 'body',
    width: W,
    height: H,
    usesKeypoints: hasKp,
    latent: { kind: 'z', zDim, wDim: zDim, map: (z) => z.slice() },
    cache: { dir: resolve(abs, '..'), key: `onnx-${key}` },
    async generate(inputs, w) {
      checkGeneratorCall(g, inputs, w);
      const outs: Float32Array[] = [];
      for (const [i, inp] of inputs.entries()) outs.push(await runOne(inp, w.slice(i * zDim, (i + 1) * zDim)));
      return outs;
    },
    dispose() {
      void session.release();
    },
  };
  return g;
}
