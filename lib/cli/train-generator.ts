// `anon-impact train-generator`: trains the built-in realistic-anonymization generator.
import { BACKENDS, initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import { trainGenerator, TRAIN_DEFAULTS } from '../anonymize/realistic/train-generator.ts';
import { DEFAULT_SIZE } from '../anonymize/realistic/builtin-model.ts';
import { int, num, parse, required } from './args.ts';

const HELP = `usage: anon-impact train-generator --manifest M --region face|body --out GEN_DIR [options]

Trains the built-in generator (a conditional U-Net GAN with a mapping network to a latent w)
on the face or body regions of a dataset split: adversarial (patch discriminator, non-saturating
loss) plus L1 reconstruction. GEN_DIR receives generator.json, checkpoint.bin (written every
--checkpoint-every steps and at the end), log.csv (one row per step) and samples/ (PNG grids:
masked input | generated | original). Running the same command again resumes from the last
checkpoint (after a kill too); a larger --steps continues training.

  --manifest M           dataset manifest (YAML), e.g. the synthetic dataset's synth-coco.yaml
  --region face|body     which regions to train on
  --out GEN_DIR          output folder (created; resumed when it holds a checkpoint)
  --split S              split to train on (default ${TRAIN_DEFAULTS.split})
  --size HxW             generator size, height x width (default face ${DEFAULT_SIZE.face.join('x')}, body ${DEFAULT_SIZE.body.join('x')};
                         DP2 uses 128x128 for faces and 288x160 for bodies)
  --steps N              training steps (default 400)
  --batch B              crops per step (default ${TRAIN_DEFAULTS.batch})
  --seed S               initialisation, data order and latents (default ${TRAIN_DEFAULTS.seed})
  --checkpoint-every K   steps between checkpoints (default ${TRAIN_DEFAULTS.checkpointEvery})
  --channels a,b,c,...   generator channels per U-Net level (default 16,32,64,96)
  --lr X                 Adam learning rate of both networks (default ${TRAIN_DEFAULTS.lr})
  --l1-region X          weight of the L1 loss inside the region (default ${TRAIN_DEFAULTS.l1Region})
  --l1-context X         weight of the L1 loss outside the region (default ${TRAIN_DEFAULTS.l1Context})
  --min-crop N           leave out regions whose crop is under N image pixels on a side (default ${TRAIN_DEFAULTS.minCropSide})
  --backend B            tfjs backend (${BACKENDS.join(', ')}; default: the first that loads)`;

function parseSize(s: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--size must be HxW (e.g. 72x40), got '${s}'`);
  const h = Number(m[1]);
  const w = Number(m[2]);
  if (h < 8 || w < 8 || h > 1024 || w > 1024) throw new Error(`--size sides must be in [8, 1024], got ${s}`);
  return [h, w];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string' },
    region: { type: 'string' },
    out: { type: 'string' },
    split: { type: 'string' },
    size: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    channels: { type: 'string' },
    lr: { type: 'string' },
    'l1-region': { type: 'string' },
    'l1-context': { type: 'string' },
    'min-crop': { type: 'string' },
    backend: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const manifest = required(values, 'manifest');
  const region = required(values, 'region');
  if (region !== 'face' && region !== 'body') throw new Error(`--region must be face or body, got '${region}'`);
  const out = required(values, 'out');
  if (values.backend !== undefined && !(BACKENDS as readonly string[]).includes(values.backend)) {
    throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
  }
  let channels: number[] | undefined;
  if (values.channels !== undefined) {
    channels = values.channels.split(',').map((s) => Number(s));
    if (channels.length < 2 || channels.some((c) => !Number.isInteger(c) || c < 1 || c > 1024)) throw new Error(`--channels must be 2 or more integers in [1, 1024], got '${values.channels}'`);
  }
  await initBackend({ backend: values.backend as BackendChoice | undefined });
  const r = await trainGenerator({
    out,
    manifest,
    split: values.split ?? TRAIN_DEFAULTS.split,
    kind: region,
    size: values.size !== undefined ? parseSize(values.size) : undefined,
    steps: int(values, 'steps', 400, 1, 10_000_000),
    batch: int(values, 'batch', TRAIN_DEFAULTS.batch, 1, 4096),
    seed: int(values, 'seed', TRAIN_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    checkpointEvery: int(values, 'checkpoint-every', TRAIN_DEFAULTS.checkpointEvery, 1, 10_000_000),
    channels,
    lr: num(values, 'lr', TRAIN_DEFAULTS.lr),
    l1Region: num(values, 'l1-region', TRAIN_DEFAULTS.l1Region),
    l1Context: num(values, 'l1-context', TRAIN_DEFAULTS.l1Context),
    minCropSide: int(values, 'min-crop', TRAIN_DEFAULTS.minCropSide, 1, 100000),
  });
  console.log(`trained ${r.steps} steps on ${r.crops} crops${r.resumedFrom > 0 ? ` (resumed from step ${r.resumedFrom})` : ''}; samples: ${r.samplesFile}`);
  return 0;
}
