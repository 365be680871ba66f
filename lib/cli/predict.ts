// `anon-impact predict`: writes a trained run's predictions on a split in the form the evaluators
// read, and prints the evaluation commands.
import { resolve } from 'node:path';
import { loadManifest } from '../data/manifest.ts';
import { BACKENDS, initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import { predict } from '../train/predict.ts';
import { int, parse, required } from './args.ts';
import { progress } from './progress.ts';

const HELP = `usage: anon-impact predict --run RUN_DIR --manifest M --out PRED_DIR [--split val] [--data DIR] [--backend B] [--pose-iterations N] [--pose-flip]
       [--no-flip-test] [--no-refine] [--refine-cells N]

Writes the predictions of a finished training run on a split:
  semseg (Cityscapes format)  PRED_DIR/labelIds/<id>_labelIds.png  -> eval cityscapes-pixel
  semseg (other formats)      PRED_DIR/labels/<id>.png (category id per pixel, 0 background)
  instances, keypoints        PRED_DIR/results.json (COCO results) -> eval coco
Instances and keypoints are evaluated against COCO ground truth: a COCO manifest's own split
annotations, or PRED_DIR/gt.json written from a Cityscapes/BDD100K split. The commands that
evaluate the predictions are printed at the end.

  --run RUN_DIR    a finished 'anon-impact train' run folder
  --manifest M     dataset manifest whose split is predicted
  --out PRED_DIR   output folder (created)
  --split NAME     split (default val)
  --data DIR       read the split's images from this copy of the dataset instead
  --backend B      tfjs backend (${BACKENDS.join(', ')})
  --pose-iterations N   keypoints runs with a pose stage: times each person is cropped again
                   around the box its keypoints imply (default 2; 0: the first stage's box only)
  --pose-flip      keypoints runs with a pose stage: average each person crop's heatmaps with
                   those of its mirror image (left and right swapped)
  --no-flip-test   instances: do not average the maps with those of the mirrored image
  --no-refine      instances: do not refine the class probabilities with the image (a colour
                   guided filter, He et al. 2013, that brings the stride-4 maps to the image's edges;
                   its statistics on the image subsampled twice, He & Sun's fast guided filter)
  --refine-cells N instances: the refinement's window radius in output cells (default 2)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    run: { type: 'string' },
    manifest: { type: 'string' },
    out: { type: 'string' },
    split: { type: 'string' },
    data: { type: 'string' },
    backend: { type: 'string' },
    'pose-iterations': { type: 'string' },
    'pose-flip': { type: 'boolean' },
    'no-flip-test': { type: 'boolean' },
    'no-refine': { type: 'boolean' },
    'refine-cells': { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const runDir = required(values, 'run');
  const manifest = await loadManifest(resolve(required(values, 'manifest')));
  const out = required(values, 'out');
  if (values.backend !== undefined && !(BACKENDS as readonly string[]).includes(values.backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
  await initBackend({ backend: values.backend as BackendChoice | undefined });
  let bar: ReturnType<typeof progress> | undefined;
  const r = await predict({
    runDir,
    manifest,
    split: values.split ?? 'val',
    dataDir: values.data,
    outDir: out,
    poseIterations: int(values, 'pose-iterations', 2, 0, 10),
    poseFlip: values['pose-flip'] === true,
    flipTest: values['no-flip-test'] !== true,
    refine: values['no-refine'] === true ? false : { cells: int(values, 'refine-cells', 2, 1, 64) },
    onProgress: (done, total) => {
      bar ??= progress('predict', total, 'img');
      bar.update(done);
    },
  });
  bar?.stop();
  console.log(`wrote ${r.predictions} ${r.task === 'semseg' ? 'label images' : r.task === 'keypoints' ? 'people' : 'instances'} for ${r.samples} images to ${r.outDir}`);
  if (r.evalCommands.length) console.log(`evaluate with:\n${r.evalCommands.map((c) => '  ' + c).join('\n')}`);
  else console.log('no evaluator reads these label images (Cityscapes-format datasets are evaluated with eval cityscapes-pixel)');
  return 0;
}
