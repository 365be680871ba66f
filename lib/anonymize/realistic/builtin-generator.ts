// The built-in generator (builtin-model.ts) behind the Generator interface, loaded from a folder
// written by `anon-impact train-generator` (train-generator.ts):
//   GEN_DIR/generator.json   the model configuration and the training record
//   GEN_DIR/checkpoint.bin   weights-file.ts: G/*, EMA/* (the averaged generator used for
//                            inference), D/*, Adam moments; meta.step = steps done
//   GEN_DIR/log.csv, GEN_DIR/samples/*.png, GEN_DIR/latent-stats-*.json (latent.ts cache)
// Inference runs on whatever tfjs backend is active (the CLI and the dataset runner choose one
// with lib/nn/runtime/backend.ts initBackend; tfjs's default otherwise).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkConfig, GeneratorNet, inputTensor, type BuiltinConfig } from './builtin-model.ts';
import { checkGeneratorCall, type Generator, type GeneratorInput, type PreparedBatch } from './generator.ts';
import { readWeights, takeArray } from './weights-file.ts';

export const GENERATOR_JSON = 'generator.json';
export const CHECKPOINT_BIN = 'checkpoint.bin';
export const GENERATOR_FORMAT = 'anon-impact-generator';

export interface GeneratorRecord {
  format: typeof GENERATOR_FORMAT;
  version: 1;
  config: BuiltinConfig;
  /** Training options and data source, as the trainer recorded them. */
  training: Record<string, unknown>;
}

interface Prepared extends PreparedBatch {
  x: tf.Tensor4D;
}

/** A Generator over a GeneratorNet (weights as they are now). */
export function builtinGenerator(net: GeneratorNet, name: string, cache?: { dir: string; key: string }): Generator {
  const c = net.config;
  const g: Generator = {
    name,
    kind: c.kind,
    width: c.width,
    height: c.height,
    usesKeypoints: c.keypoints,
    latent: {
      kind: 'w',
      zDim: c.zDim,
      wDim: c.wDim,
      async map(z, n) {
        if (z.length !== n * c.zDim) throw new Error(`${name}: ${z.length} values for ${n} latents of zDim ${c.zDim}`);
        const w = tf.tidy(() => net.map(tf.tensor2d(z, [n, c.zDim])));
        try {
          return ((await w.data()) as Float32Array).slice();
        } finally {
          w.dispose();
        }
      },
    },
    async generate(inputs: readonly GeneratorInput[], w: Float32Array) {
      checkGeneratorCall(g, inputs, w);
      if (inputs.length === 0) return [];
      const y = tf.tidy(() => {
        const out = net.forward(inputTensor(c, inputs), tf.tensor2d(w, [inputs.length, c.wDim]));
        return tf.clipByValue(tf.add(tf.mul(out, 0.5), 0.5), 0, 1);
      });
      const data = (await y.data()) as Float32Array;
      y.dispose();
      const px = c.width * c.height * 3;
      return inputs.map((_, i) => data.slice(i * px, (i + 1) * px));
    },
    differentiable: {
      prepare(inputs) {
        const x = inputTensor(c, inputs);
        const p: Prepared = { n: inputs.length, x, dispose: () => x.dispose() };
        return p;
      },
      forward(batch, w) {
        const x = (batch as Prepared).x;
        return tf.tidy(() => tf.add(tf.mul(net.forward(x, w), 0.5), 0.5) as tf.Tensor4D);
      },
    },
    dispose: () => net.dispose(),
  };
  if (cache) Object.assign(g, { cache });
  return g;
}

export async function readGeneratorRecord(dir: string): Promise<GeneratorRecord> {
  const file = join(dir, GENERATOR_JSON);
  if (!existsSync(file)) throw new Error(`${dir}: not a generator folder (no ${GENERATOR_JSON}; make one with anon-impact train-generator)`);
  const rec = JSON.parse(await readFile(file, 'utf8')) as GeneratorRecord;
  if (rec.format !== GENERATOR_FORMAT) throw new Error(`${file}: format is '${String(rec.format)}', expected '${GENERATOR_FORMAT}'`);
  if (rec.version !== 1) throw new Error(`${file}: version ${String(rec.version)}, expected 1`);
  checkConfig(rec.config);
  return rec;
}

/** Loads a trained generator folder: the averaged (EMA) weights of its latest checkpoint. */
export async function loadBuiltinGenerator(dir: string): Promise<Generator> {
  const abs = resolve(dir);
  const rec = await readGeneratorRecord(abs);
  const file = join(abs, CHECKPOINT_BIN);
  if (!existsSync(file)) throw new Error(`${abs}: no ${CHECKPOINT_BIN} (training has not saved a checkpoint yet)`);
  const wf = await readWeights(file);
  const net = new GeneratorNet(rec.config);
  try {
    tf.tidy(() => {
      for (const p of net.params) p.variable.assign(tf.tensor(takeArray(wf, `EMA/${p.name}`, p.variable.shape, file), p.variable.shape));
    });
  } catch (e) {
    net.dispose();
    throw e;
  }
  return builtinGenerator(net, `builtin:${abs}`, { dir: abs, key: wf.sha256.slice(0, 16) });
}
