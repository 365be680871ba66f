// Part of a tfjs graph model run as differentiable tfjs ops, with its float weights as trainable
// variables. tfjs graph models are inference-only (their weights are constants); to fine-tune a
// pretrained network's top layers, the nodes under one name prefix that lead to a target node are
// re-executed here from the graph's own topology: the weights start as the graph's (dequantized)
// values, the ops are the same kernels with the same attributes, and nodes outside the prefix are
// the subgraph's inputs (computed by the frozen rest of the graph).
//
// The ops that occur in the decoders fine-tuned here are supported (anything else is refused by
// name): _FusedConv2D with BiasAdd [+ Relu] (1x1, or 'same' padding, stride 1: lib/nn/ops/conv-bias-act.ts),
// Conv2D, DepthwiseConv2dNative, Add, Mul, Relu, Sigmoid, Mean, ConcatV2, ResizeBilinear. A bilinear
// resize's target size is asked of the caller (a converted graph holds it as a constant for one
// input size).
import * as tf from '@tensorflow/tfjs';
import { convBiasAct } from './ops/conv-bias-act.ts';
import type { Param } from './param.ts';

interface AttrValue {
  s?: string;
  b?: boolean;
  i?: string | number;
  list?: { s?: string[]; i?: (string | number)[] };
}

export interface GraphNodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

export interface TrainableSubgraph {
  /** Names of the nodes outside the prefix that the subgraph reads, in first-use order. */
  readonly inputs: readonly string[];
  /** The subgraph's float weights, as variables, in topological order of first use. */
  readonly params: readonly Param[];
  /** Computes the target node from the values of `inputs`. */
  apply(inputs: ReadonlyMap<string, tf.Tensor>): tf.Tensor4D;
  dispose(): void;
}

export interface SubgraphOptions {
  nodes: readonly GraphNodeDef[];
  /** The graph model's weights by node name (tf.GraphModel.weights): the initial values. */
  weights: Readonly<Record<string, tf.Tensor[]>>;
  /** The node computed. */
  target: string;
  /** Nodes whose name starts with this are re-executed (with the constants they read). */
  prefix: string;
  /** Target [height, width] of a ResizeBilinear node, given its input. */
  resizeSize: (node: string, x: tf.Tensor4D) => [number, number];
  /** Prefix of the parameters' names (checkpoint keys). */
  paramPrefix: string;
  /** The values of an integer constant (concatenation axis, reduced axes), read from the model
   * files: a tensor on a backend that reads asynchronously (webgpu) cannot be read here. */
  intConstant: (name: string) => number[];
}

const strip = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');

function attrList(n: GraphNodeDef, key: string): number[] {
  const v = n.attr?.[key]?.list?.i;
  return v ? v.map(Number) : [];
}

function attrString(n: GraphNodeDef, key: string): string | undefined {
  const s = n.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString();
}

function fusedOps(n: GraphNodeDef): string[] {
  return (n.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString());
}

function stride1(n: GraphNodeDef): void {
  const st = attrList(n, 'strides');
  const dl = attrList(n, 'dilations');
  if (st.some((v) => v !== 1) || dl.some((v) => v !== 1)) throw new Error(`${n.name}: ${n.op} with strides [${st}] / dilations [${dl}] is not supported here`);
}

export function trainableSubgraph(o: SubgraphOptions): TrainableSubgraph {
  const byName = new Map(o.nodes.map((n) => [n.name, n]));
  const order: GraphNodeDef[] = [];
  const inputs: string[] = [];
  const consts = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const n = byName.get(name);
    if (!n) throw new Error(`graph has no node ${name}`);
    if (n.op === 'Const') {
      consts.add(name);
      return;
    }
    if (!name.startsWith(o.prefix)) {
      inputs.push(name);
      return;
    }
    for (const i of n.input ?? []) visit(strip(i));
    order.push(n);
  };
  visit(o.target);

  const params: Param[] = [];
  const variables = new Map<string, tf.Variable>();
  const ints = new Map<string, number[]>();
  for (const name of consts) {
    const t = o.weights[name]?.[0];
    if (!t) throw new Error(`graph has no weight ${name}`);
    if (t.dtype === 'float32') variables.set(name, tf.variable(t.clone(), true));
    else ints.set(name, o.intConstant(name));
  }
  // parameters in the order the nodes first read them
  for (const n of order) for (const i of n.input ?? []) {
    const name = strip(i);
    const v = variables.get(name);
    if (v && !params.some((p) => p.variable === v)) params.push({ name: `${o.paramPrefix}${name}`, variable: v });
  }

  return {
    inputs,
    params,
    apply(given) {
      const values = new Map<string, tf.Tensor>();
      for (const name of inputs) {
        const t = given.get(name);
        if (!t) throw new Error(`subgraph input ${name} not given`);
        values.set(name, t);
      }
      const get = (input: string): tf.Tensor => {
        const name = strip(input);
        const t = values.get(name) ?? variables.get(name);
        if (!t) throw new Error(`subgraph: no value for ${name}`);
        return t;
      };
      const int = (input: string): number[] => {
        const v = ints.get(strip(input));
        if (!v) throw new Error(`subgraph: ${strip(input)} is not an integer constant`);
        return v;
      };
      for (const n of order) {
        const ins = n.input?.filter((i) => !i.startsWith('^')) ?? [];
        let y: tf.Tensor;
        switch (n.op) {
          case '_FusedConv2D': {
            const ops = fusedOps(n);
            if (ops[0] !== 'BiasAdd' || ops.length > 2 || (ops[1] !== undefined && ops[1] !== 'Relu')) throw new Error(`${n.name}: fused ops [${ops}] are not supported here`);
            stride1(n);
            const w = get(ins[1]) as tf.Tensor4D;
            if (attrString(n, 'padding') !== 'SAME' && (w.shape[0] !== 1 || w.shape[1] !== 1)) throw new Error(`${n.name}: only 1x1 or 'same' convolutions are supported here`);
            const x = get(ins[0]) as tf.Tensor4D;
            y = convBiasAct({ xs: [x], filters: [w], bias: get(ins[2]) as tf.Tensor1D, activation: ops[1] === 'Relu' ? 'relu' : 'linear', inputGrads: [!inputs.includes(strip(ins[0]))] });
            break;
          }
          case 'Conv2D': {
            stride1(n);
            const pad = attrString(n, 'padding') === 'VALID' ? 'valid' : 'same';
            y = tf.conv2d(get(ins[0]) as tf.Tensor4D, get(ins[1]) as tf.Tensor4D, 1, pad);
            break;
          }
          case 'DepthwiseConv2dNative': {
            const st = attrList(n, 'strides');
            const dl = attrList(n, 'dilations');
            const pad = attrString(n, 'padding') === 'VALID' ? 'valid' : 'same';
            y = tf.depthwiseConv2d(get(ins[0]) as tf.Tensor4D, get(ins[1]) as tf.Tensor4D, [st[1] ?? 1, st[2] ?? 1], pad, 'NHWC', [dl[1] ?? 1, dl[2] ?? 1]);
            break;
          }
          case 'Add':
            y = tf.add(get(ins[0]), get(ins[1]));
            break;
          case 'Mul':
            y = tf.mul(get(ins[0]), get(ins[1]));
            break;
          case 'Relu':
            y = tf.relu(get(ins[0]));
            break;
          case 'Sigmoid':
            y = tf.sigmoid(get(ins[0]));
            break;
          case 'Mean':
            y = tf.mean(get(ins[0]), int(ins[1]), n.attr?.keep_dims?.b ?? false);
            break;
          case 'ConcatV2': {
            const axis = int(ins[ins.length - 1])[0];
            y = tf.concat(ins.slice(0, -1).map(get), axis);
            break;
          }
          case 'ResizeBilinear': {
            const x = get(ins[0]) as tf.Tensor4D;
            y = tf.image.resizeBilinear(x, o.resizeSize(n.name, x), n.attr?.align_corners?.b ?? false, n.attr?.half_pixel_centers?.b ?? false);
            break;
          }
          default:
            throw new Error(`${n.name}: op ${n.op} is not supported in a trainable subgraph`);
        }
        values.set(n.name, y);
      }
      return values.get(o.target) as tf.Tensor4D;
    },
    dispose() {
      for (const v of variables.values()) v.dispose();
    },
  };
}
