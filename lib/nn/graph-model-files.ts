// tfjs graph models read from local files: a model.json and its weight shards, concatenated into
// one buffer (plain tfjs in Node has no file:// loader). The pretrained models used here ship
// inside the installed npm package @vladmandic/human (models/*.json + *.bin), so nothing is
// downloaded at run time. Used by the face detector (lib/regions/detector.ts) and the frozen
// pretrained encoders of the task models (pretrained-encoder.ts).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The models/ folder of the installed @vladmandic/human package. */
export function humanModelDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@vladmandic/human'); // .../@vladmandic/human/dist/human.node.js
  return path.join(path.dirname(path.dirname(entry)), 'models');
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** The artifacts of the graph model at `jsonPath` (its shards read from the same folder), read synchronously. */
export function readGraphModelArtifacts(jsonPath: string): tf.io.ModelArtifacts {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${jsonPath}: cannot read model JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const manifest = json.weightsManifest as WeightsGroup[] | undefined;
  if (!Array.isArray(manifest) || json.modelTopology === undefined) throw new Error(`${jsonPath}: not a tfjs model JSON (no modelTopology or weightsManifest)`);
  const dir = path.dirname(jsonPath);
  const shards: Buffer[] = [];
  for (const g of manifest) {
    for (const p of g.paths) {
      try {
        shards.push(readFileSync(path.join(dir, p)));
      } catch (e) {
        throw new Error(`${jsonPath}: cannot read weight shard ${p}: ${(e as Error).message}`);
      }
    }
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return {
    modelTopology: json.modelTopology as {},
    format: json.format as string | undefined,
    generatedBy: json.generatedBy as string | undefined,
    convertedBy: json.convertedBy as string | null | undefined,
    userDefinedMetadata: json.userDefinedMetadata as {} | undefined,
    signature: json.signature as {} | undefined,
    weightSpecs: manifest.flatMap((g) => g.weights),
    weightData,
  };
}

/** A tfjs IO handler reading a graph model's JSON and weight shards from a local folder. */
export function fileModelHandler(jsonPath: string): tf.io.IOHandler {
  return { load: async () => readGraphModelArtifacts(jsonPath) };
}

/** The graph model at `jsonPath`, whose input must be [batch, size, size, 3]; another input shape
 * is refused with an error naming the file (`batch` describes the batch dimension in it). */
export async function loadSquareInputModel(jsonPath: string, size: number, batch = 'batch'): Promise<tf.GraphModel> {
  const model = await tf.loadGraphModel(fileModelHandler(jsonPath));
  const shape = model.inputs[0]?.shape;
  if (!shape || shape[1] !== size || shape[2] !== size || shape[3] !== 3) {
    model.dispose();
    throw new Error(`${jsonPath}: expected a [${batch}, ${size}, ${size}, 3] input, got ${JSON.stringify(shape)}`);
  }
  return model;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Byte offset and spec of every weight in `art.weightData`, by name (quantized weights take their stored size). */
export function weightOffsets(art: tf.io.ModelArtifacts, where: string): Map<string, { offset: number; spec: tf.io.WeightsManifestEntry }> {
  if (!art.weightSpecs || !(art.weightData instanceof ArrayBuffer)) throw new Error(`${where}: not a graph model with one weight buffer`);
  const out = new Map<string, { offset: number; spec: tf.io.WeightsManifestEntry }>();
  let offset = 0;
  for (const spec of art.weightSpecs) {
    const bytes = BYTES[spec.quantization?.dtype ?? spec.dtype];
    if (bytes === undefined) throw new Error(`${where}: weight ${spec.name}: ${spec.quantization?.dtype ?? spec.dtype} weights are not supported`);
    out.set(spec.name, { offset, spec });
    offset += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  if (offset !== art.weightData.byteLength) throw new Error(`${where}: weight specs describe ${offset} bytes, the weight data has ${art.weightData.byteLength}`);
  return out;
}

/** The int32 weight `name` (unquantized) as a view on `data`, the artifacts' weight buffer or a
 * copy of it laid out the same (a write changes the copy); undefined when there is no such weight. */
export function int32Weight(data: ArrayBuffer, offsets: ReturnType<typeof weightOffsets>, name: string): Int32Array | undefined {
  const at = offsets.get(name);
  if (!at || at.spec.dtype !== 'int32' || at.spec.quantization) return undefined;
  return new Int32Array(data, at.offset, at.spec.shape.reduce((a, b) => a * b, 1));
}
