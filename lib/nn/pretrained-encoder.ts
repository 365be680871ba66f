// Pretrained encoders: networks trained on real photographs whose weights ship inside an
// installed npm package (no download at run time), used as feature extractors (fixed, or with
// their decoder fine-tuned) below a trainable head (lib/models/pretrained-backbone.ts). The
// studies fine-tune ImageNet-pretrained ResNets; no ImageNet classifier ships offline in npm, so
// the encoder here is a detector's:
//
//   centernet-mobilenetv3-coco  CenterNet (Zhou et al. 2019, "Objects as Points") on a
//     MobileNetV3 backbone, trained for COCO 2017 detection (80 classes, person among them) by
//     github.com/610265158/mobilenetv3_centernet, converted to a tfjs graph model and shipped as
//     models/centernet.{json,bin} in @vladmandic/human 3.3.6 (package licence MIT; the upstream
//     weights carry no separate licence in the package). Features: the CenterNet head's fused
//     stride-4 map (node tower_0/CenternetHead/mul, 128 channels, after its squeeze-excitation),
//     from which its class heatmaps and box sizes are read by one separable convolution each.
//     It has seen real people: COCO's person class is its most frequent, which may mute the
//     effect of anonymizing the people of a training set (docs/train.md measures it).
//
// Memo: a training run that sees each image in few variants (whole images without scale jitter,
// flipped or not) would compute the same features every epoch. With ANON_IMPACT_ENCODER_MEMO_MB
// set (default 0: off; the quick preset's random crops never repeat) the features of each image
// are kept, keyed by the SHA-1 of its input values, up to that many megabytes (least recently used
// first out). With the memo every image goes through the graph on its own, so a feature map is
// the same bytes whether it came from the memo or not; without it, a batch goes through at once.
//
// Fine-tuning: `trainableDecoder` re-executes the graph's decoder (the nodes under
// `decoderPrefix`, from the backbone's maps to the feature node) with its weights as variables
// (trainable-subgraph.ts), on the backbone's maps computed by the graph; the memo does not apply.
//
// The graph takes RGB in 0..255 (its converter's signature fixes [1, 512, 512, 3]; the input
// placeholder is freed here, and the three decoder up-samplings, whose target sizes the converted
// graph holds as constants for 512x512, are set for each input size: one graph per size, built
// on first use and kept). Inputs are padded at the bottom and right to multiples of 32 and the
// features cropped back to ceil(H / 4) x ceil(W / 4). Nothing here is trained: the features are
// constants to the training stage's gradients.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { humanModelDir, int32Weight, readGraphModelArtifacts, weightOffsets } from './graph-model-files.ts';
import type { Param } from './param.ts';
import { PIXEL_MEAN, PIXEL_STD } from './pixel-normalisation.ts';
import { trainableSubgraph, type GraphNodeDef } from './trainable-subgraph.ts';

export interface PretrainedEncoderInfo {
  /** Model file inside @vladmandic/human's models/ folder. */
  file: string;
  /** Graph node whose output is the feature map. */
  node: string;
  channels: number;
  stride: number;
  /** Where the weights come from, what they were trained on, their licence (recorded in run.json and results). */
  origin: string;
  trainedOn: string;
  licence: string;
  /** Whether the weights were trained to find people (which may mute the effect being measured). */
  detectsPeople: boolean;
  /** Name prefix of the graph's decoder nodes (from the backbone's maps up to `node`), which
   * `trainableDecoder` re-executes with trainable weights (lib/nn/trainable-subgraph.ts). */
  decoderPrefix: string;
}

export const PRETRAINED_ENCODERS = {
  'centernet-mobilenetv3-coco': {
    file: 'centernet.json',
    node: 'tower_0/CenternetHead/mul',
    channels: 128,
    stride: 4,
    origin: 'github.com/610265158/mobilenetv3_centernet, tfjs conversion shipped in @vladmandic/human 3.3.6 (models/centernet.json)',
    trainedOn: 'COCO 2017 detection (80 classes incl. person)',
    licence: '@vladmandic/human: MIT; upstream weights: no separate licence stated',
    detectsPeople: true,
    decoderPrefix: 'tower_0/CenternetHead/',
  },
} as const satisfies Record<string, PretrainedEncoderInfo>;

export type PretrainedEncoderName = keyof typeof PRETRAINED_ENCODERS;
export const PRETRAINED_ENCODER_NAMES = Object.keys(PRETRAINED_ENCODERS) as PretrainedEncoderName[];

export function pretrainedEncoderInfo(name: string): PretrainedEncoderInfo {
  const info = (PRETRAINED_ENCODERS as Record<string, PretrainedEncoderInfo>)[name];
  if (!info) throw new Error(`unknown pretrained encoder '${name}' (${PRETRAINED_ENCODER_NAMES.join(', ')})`);
  return info;
}

export interface FrozenEncoder {
  readonly name: PretrainedEncoderName;
  readonly info: PretrainedEncoderInfo;
  /** x [N,H,W,3] normalised as the task models' inputs (pixel-normalisation.ts) -> features [N, ceil(H/stride), ceil(W/stride), channels]. */
  apply(x: tf.Tensor4D): tf.Tensor4D;
  /** The decoder with trainable weights (starting from the graph's), for fine-tuning it: the same
   * features as `apply` until its weights change, from the frozen backbone's maps. */
  trainableDecoder(paramPrefix: string): TrainableDecoder;
}

export interface TrainableDecoder {
  readonly params: readonly Param[];
  apply(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/** Up-sampling size constants of the CenterNet decoder, by name, with the stride their output has. */
const CENTERNET_UPSAMPLINGS: readonly [string, number][] = [
  ['tower_0/CenternetHead/c5_upsample/up_sampling2d/mul', 16],
  ['tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul', 8],
  ['tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul', 4],
];

interface GraphNode {
  op: string;
  attr?: { shape?: { shape?: { dim?: { size?: string | number }[] } } };
}

let artifacts: tf.io.ModelArtifacts | undefined;
const graphs = new Map<string, tf.GraphModel<tf.io.IOHandlerSync>>();

/** The CenterNet graph for inputs of h x w (multiples of 32), built on first use. */
function centernetGraph(info: PretrainedEncoderInfo, h: number, w: number): tf.GraphModel<tf.io.IOHandlerSync> {
  const key = `${h}x${w}`;
  const hit = graphs.get(key);
  if (hit) return hit;
  const jsonPath = path.join(humanModelDir(), info.file);
  artifacts ??= readGraphModelArtifacts(jsonPath);
  const offsets = weightOffsets(artifacts, jsonPath);
  const data = (artifacts.weightData as ArrayBuffer).slice(0);
  for (const [name, stride] of CENTERNET_UPSAMPLINGS) {
    const v = int32Weight(data, offsets, name);
    if (v?.length !== 2) throw new Error(`${jsonPath}: no int32[2] constant ${name} (not the CenterNet graph this code knows)`);
    v[0] = h / stride;
    v[1] = w / stride;
  }
  const topo = structuredClone(artifacts.modelTopology) as { node: GraphNode[] };
  const inputs = topo.node.filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1 || !inputs[0].attr?.shape?.shape) throw new Error(`${jsonPath}: expected one input placeholder`);
  inputs[0].attr.shape.shape.dim = [{ size: '-1' }, { size: '-1' }, { size: '-1' }, { size: '3' }];
  const g = tf.loadGraphModelSync({ ...artifacts, modelTopology: topo, weightData: data });
  // the graph is built on first use, often inside a tidy or gradient scope: its weights must outlive it
  for (const ts of Object.values(g.weights)) for (const t of ts) tf.keep(t);
  graphs.set(key, g);
  return g;
}

/** Features by input hash, least recently used first. */
class FeatureMemo {
  private readonly map = new Map<string, { data: Float32Array; shape: [number, number, number] }>();
  private bytes = 0;
  constructor(readonly budget: number) {}
  get off(): boolean {
    return this.budget <= 0;
  }
  get(key: string) {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, v: { data: Float32Array; shape: [number, number, number] }): void {
    if (this.budget <= 0 || v.data.byteLength > this.budget) return;
    this.map.set(key, v);
    this.bytes += v.data.byteLength;
    while (this.bytes > this.budget) {
      const [k, old] = this.map.entries().next().value as [string, { data: Float32Array }];
      this.map.delete(k);
      this.bytes -= old.data.byteLength;
    }
  }
}

function memoBudget(): number {
  const v = process.env.ANON_IMPACT_ENCODER_MEMO_MB;
  const mb = v === undefined || v === '' ? 0 : Number(v);
  if (!(mb >= 0)) throw new Error(`ANON_IMPACT_ENCODER_MEMO_MB must be a number of megabytes >= 0, got '${v}'`);
  return mb * 2 ** 20;
}

let memo: FeatureMemo | undefined;

/** The frozen encoder `name`, for inputs normalised as the task models' (pixel-normalisation.ts). */
export function frozenEncoder(name: string): FrozenEncoder {
  const info = pretrainedEncoderInfo(name);
  const scale = PIXEL_STD.map((s) => 255 * s);
  const shift = PIXEL_MEAN.map((m) => 255 * m);
  /** The graph's RGB input (0..255, padded to multiples of 32) for x. */
  const graphInput = (x: tf.Tensor4D, ph: number, pw: number): tf.Tensor4D => {
    const [, H, W] = x.shape;
    const rgb = tf.add(tf.mul(x, tf.tensor1d(scale)), tf.tensor1d(shift)) as tf.Tensor4D;
    return ph !== H || pw !== W ? tf.pad(rgb, [[0, 0], [0, ph - H], [0, pw - W], [0, 0]]) : rgb;
  };
  const cropTo = (y: tf.Tensor4D, oh: number, ow: number): tf.Tensor4D =>
    y.shape[1] === oh && y.shape[2] === ow ? y : (tf.slice(y, [0, 0, 0, 0], [-1, oh, ow, -1]) as tf.Tensor4D);
  return {
    name: name as PretrainedEncoderName,
    info,
    trainableDecoder(paramPrefix: string): TrainableDecoder {
      const g = centernetGraph(info, 32, 32);
      const art = artifacts as tf.io.ModelArtifacts;
      const jsonPath = path.join(humanModelDir(), info.file);
      const offsets = weightOffsets(art, jsonPath);
      const intConstant = (n: string): number[] => {
        const v = int32Weight(art.weightData as ArrayBuffer, offsets, n);
        if (!v) throw new Error(`${jsonPath}: ${n} is not an int32 constant`);
        return Array.from(v);
      };
      const nodes = (art.modelTopology as { node: GraphNodeDef[] }).node;
      // the decoder doubles its maps' size at each up-sampling (stride 32 -> 16 -> 8 -> 4)
      const sub = trainableSubgraph({ nodes, weights: g.weights, target: info.node, prefix: info.decoderPrefix, paramPrefix, intConstant, resizeSize: (_n, x) => [2 * x.shape[1], 2 * x.shape[2]] });
      return {
        params: sub.params,
        apply(x: tf.Tensor4D): tf.Tensor4D {
          const [, H, W, C] = x.shape;
          if (C !== 3) throw new Error(`${name}: input must be [N,H,W,3], got [${x.shape}]`);
          const ph = Math.ceil(H / 32) * 32;
          const pw = Math.ceil(W / 32) * 32;
          const graph = centernetGraph(info, ph, pw);
          return tf.tidy(() => {
            const maps = graph.execute(graphInput(x, ph, pw), [...sub.inputs]) as tf.Tensor[];
            const y = sub.apply(new Map(sub.inputs.map((n, i) => [n, maps[i]])));
            return cropTo(y, Math.ceil(H / info.stride), Math.ceil(W / info.stride));
          });
        },
        dispose: () => sub.dispose(),
      };
    },
    apply(x: tf.Tensor4D): tf.Tensor4D {
      const [N, H, W, C] = x.shape;
      if (C !== 3) throw new Error(`${name}: input must be [N,H,W,3], got [${x.shape}]`);
      const budget = memoBudget();
      if (memo?.budget !== budget) memo = new FeatureMemo(budget);
      const ph = Math.ceil(H / 32) * 32;
      const pw = Math.ceil(W / 32) * 32;
      const oh = Math.ceil(H / info.stride);
      const ow = Math.ceil(W / info.stride);
      const graph = centernetGraph(info, ph, pw);
      const run = (input: tf.Tensor4D): tf.Tensor4D =>
        tf.tidy(() => cropTo(graph.execute(graphInput(input, ph, pw), info.node) as tf.Tensor4D, oh, ow));
      if (memo.off) return run(x);
      const values = x.dataSync() as Float32Array;
      const per = H * W * 3;
      const maps: tf.Tensor4D[] = [];
      for (let i = 0; i < N; i++) {
        const v = values.subarray(i * per, (i + 1) * per);
        const key = `${name}:${H}x${W}:` + createHash('sha1').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex');
        let hit = memo.get(key);
        if (!hit) {
          const xi = tf.tensor4d(v, [1, H, W, 3]);
          const f = run(xi);
          xi.dispose();
          hit = { data: f.dataSync() as Float32Array, shape: [oh, ow, f.shape[3]] };
          f.dispose();
          memo.set(key, hit);
        }
        maps.push(tf.tensor4d(hit.data, [1, ...hit.shape]));
      }
      if (maps.length === 1) return maps[0];
      const out = tf.concat(maps, 0);
      tf.dispose(maps);
      return out;
    },
  };
}
