// Writes a generator folder (generator.json + checkpoint.bin) holding a tiny untrained built-in
// generator, so that tests can load it by path as `builtin:DIR` without training.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../../lib/data/atomic.ts';
import { CHECKPOINT_BIN, GENERATOR_FORMAT, GENERATOR_JSON } from '../../../lib/anonymize/realistic/builtin-generator.ts';
import { defaultConfig, GeneratorNet } from '../../../lib/anonymize/realistic/builtin-model.ts';
import { writeWeights } from '../../../lib/anonymize/realistic/weights-file.ts';

export async function saveTinyBuiltin(dir: string, kind: 'face' | 'body', seed = 3): Promise<void> {
  const cfg = defaultConfig(kind, kind === 'face' ? [16, 16] : [24, 16], seed);
  cfg.channels = [4, 8, 8];
  cfg.dChannels = [4];
  cfg.zDim = 8;
  cfg.wDim = 8;
  await mkdir(dir, { recursive: true });
  await writeJsonAtomic(join(dir, GENERATOR_JSON), { format: GENERATOR_FORMAT, version: 1, config: cfg, training: {} }, 2);
  const net = new GeneratorNet(cfg);
  await writeWeights(
    join(dir, CHECKPOINT_BIN),
    { step: 0 },
    net.params.map((p) => ({ key: `EMA/${p.name}`, shape: p.variable.shape, data: new Float32Array(p.variable.dataSync()) })),
  );
  net.dispose();
}
