// Writes docs/images/synth-{1,2,3}.png: synthetic samples with their annotations drawn over them
// (masks, keypoint skeletons, face boxes). Run: node --import tsx scripts/readme-images.ts
import { join } from 'node:path';
import { writeImage } from '../lib/data/image.ts';
import { fromJson } from '../lib/data/masks/index.ts';
import { cocoRecords } from '../lib/data/synth/coco-json.ts';
import { generateSample } from '../lib/data/synth/generate.ts';
import { drawPreview, type PreviewInstance } from '../lib/data/synth/preview.ts';

const root = new URL('..', import.meta.url).pathname;
// Frames of seed 0 chosen to show large and small pedestrians, riders and crowds.
const picks = [20, 12, 9];
for (let n = 0; n < picks.length; n++) {
  const s = generateSample({ seed: 0, split: 'train', index: picks[n], width: 512, height: 256 });
  const { annotations } = cocoRecords(s, 1);
  const instances: PreviewInstance[] = annotations.map((a, k) => ({
    mask: fromJson(a.segmentation),
    category: s.instances[k].kind === 'crowd' ? 'person' : s.instances[k].kind,
    iscrowd: a.iscrowd === 1,
    keypoints: a.keypoints,
    faceBox: a.face_box,
  }));
  const img = drawPreview({ width: s.width, height: s.height, channels: 3, data: s.rgb }, instances);
  const file = join(root, 'docs', 'images', `synth-${n + 1}.png`);
  await writeImage(file, img);
  console.log(`wrote ${file}`);
}
