// Flip averaging (lib/train/mirrored-maps.ts) must be mirror-equivariant: the averaged maps of a
// mirrored image are the averaged maps of the image, mirrored, with the offsets' x component
// negated and the box's left and right distances swapped. A wrong sign or a missing swap breaks it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createTaskModel } from '../../lib/models/create.ts';
import { mirroredInstanceMaps } from '../../lib/train/mirrored-maps.ts';

test('flip-averaged instance maps are mirror-equivariant', async () => {
  await tf.setBackend('cpu');
  const model = createTaskModel({ task: 'instances', width: 4, numClasses: 3, thingClasses: [1, 2], outputStride: 4, seed: 3 });
  const x = tf.randomNormal([1, 32, 64, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const averaged = (v: tf.Tensor4D) => tf.div(tf.add(model.apply(v), mirroredInstanceMaps(model, v)), 2) as tf.Tensor4D;
  const a = averaged(tf.reverse(x, 2) as tf.Tensor4D);
  const b = averaged(x);
  const [, h, w, C] = b.shape;
  const bv = await b.data();
  const av = await a.data();
  const { offset, box } = model.heads;
  const dx = offset.offset + 1;
  const swap = (c: number) => (c === box!.offset ? box!.offset + 2 : c === box!.offset + 2 ? box!.offset : c);
  let worst = 0;
  for (let y = 0; y < h; y++)
    for (let u = 0; u < w; u++)
      for (let c = 0; c < C; c++) {
        const expected = (c === dx ? -1 : 1) * bv[(y * w + (w - 1 - u)) * C + swap(c)];
        worst = Math.max(worst, Math.abs(av[(y * w + u) * C + c] - expected));
      }
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
  // and the model alone is not (the test would pass for any flip-averaging otherwise)
  const raw = await model.apply(tf.reverse(x, 2) as tf.Tensor4D).data();
  const own = await model.apply(x).data();
  let rawWorst = 0;
  for (let y = 0; y < h; y++) for (let u = 0; u < w; u++) rawWorst = Math.max(rawWorst, Math.abs(raw[(y * w + u) * C + dx] + own[(y * w + (w - 1 - u)) * C + dx]));
  assert.ok(rawWorst > 1e-3, 'the untrained model happens to be mirror-equivariant');
  model.dispose();
});
