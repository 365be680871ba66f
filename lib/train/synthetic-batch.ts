// A task model's config and one batch as the trainer builds them (lib/train/trainer.ts
// modelConfigFor, buildBatch), from a synthetic dataset written for the purpose at the preset's
// image size: for comparisons of backends and for timing steps, where the data's content does
// not matter but its layout and targets must be the trainer's.
import { join } from 'node:path';
import { loadManifest } from '../data/manifest.ts';
import { readSplit } from '../data/open.ts';
import { writeSynthDataset } from '../data/synth/write.ts';
import { createTaskModel, type ModelConfig } from '../models/create.ts';
import type { Task } from '../models/dense.ts';
import type { Batch } from './batch.ts';
import { classSpec } from './classes.ts';
import { SampleSource } from './loader.ts';
import type { Preset } from './presets.ts';
import { buildBatch, modelConfigFor } from './trainer.ts';

export interface SyntheticStep {
  task: Task;
  preset: Preset;
  config: ModelConfig;
  batch: Batch;
}

/**
 * Writes a synthetic dataset of `preset.batchSize` training images into `dir` (an empty folder
 * the caller removes) and builds the batch of step 0 and the model config for `task`.
 */
export async function syntheticStep(dir: string, task: Task, preset: Preset, seed: number): Promise<SyntheticStep> {
  const [width, height] = preset.imageSize;
  await writeSynthDataset({ out: dir, train: preset.batchSize, val: 1, width, height, seed });
  const manifest = await loadManifest(join(dir, task === 'keypoints' ? 'synth-coco.yaml' : 'synth-cityscapes.yaml'));
  const ds = await readSplit(manifest, 'train');
  const classes = classSpec(ds, task);
  const config = modelConfigFor(task, preset, classes, seed);
  const model = createTaskModel(config);
  try {
    const batch = await buildBatch(new SampleSource(ds, { task, classes, size: preset.imageSize }), model, preset, seed, 0);
    return { task, preset, config, batch };
  } finally {
    model.dispose();
  }
}
