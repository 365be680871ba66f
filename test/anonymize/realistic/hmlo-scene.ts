// realistic+hmlo on the body scene of helpers.ts with a built-in generator folder: the sha256 of
// the output, HM-LO's steps per region and the tfjs backend it ran on. Imported by methods.test.ts
// in its own process and in a child process.
import { createHash } from 'node:crypto';
import { createRealisticAnonymizer, resolveRealisticParams } from '../../../lib/anonymize/realistic/methods.ts';
import { imageRng } from '../../../lib/anonymize/rng.ts';
import { runningBackend } from '../../../lib/nn/runtime/start.ts';
import { scene } from './helpers.ts';

export async function hmloSceneHash(genDir: string): Promise<{ hash: string; steps: number[]; backend: string | null }> {
  const params = resolveRealisticParams('realistic+hmlo', { generator: `builtin:${genDir}`, samples: 64, centres: 8, maxSteps: 3, bodySize: [24, 16], truncation: 'multimodal' });
  const an = await createRealisticAnonymizer('realistic+hmlo', params);
  try {
    const s = scene('body');
    const out = await an.apply(s.image, s.regions, imageRng(5, 'img'));
    return { hash: createHash('sha256').update(out.data).digest('hex'), steps: an.hmloRecords.map((r) => r.steps), backend: runningBackend() };
  } finally {
    await an.dispose();
  }
}
