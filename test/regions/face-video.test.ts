// Face regions on frames of a real pedestrian video: OpenCV's sample `vtest.avi` (Debian's
// opencv-doc, 768x576, a pedestrian street seen from above), frames decoded by python3-opencv. The
// video has no annotations, so its persons are the CenterNet (COCO) person detector's boxes, as a
// dataset without masks gives them (box masks). Every person tall enough to show a face
// (MIN_FACE_PERSON_HEIGHT) must get a face region, from BlazeFace inside its head part or else an
// estimated head, and say which; none is left untouched, and a face blur changes the pixels of
// those regions only. Skips, naming what is missing, without the video or python3-opencv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeImage, type Image } from '../../lib/data/image.ts';
import { decode, encode, toBbox } from '../../lib/data/masks/index.ts';
import type { Instance, Sample } from '../../lib/data/types.ts';
import { createAnonymizer } from '../../lib/anonymize/anonymizer.ts';
import { imageRng } from '../../lib/anonymize/rng.ts';
import { loadPersonDetector } from '../../lib/privacy/person-detector.ts';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import { headPart, MIN_FACE_PERSON_HEIGHT } from '../../lib/regions/head.ts';
import { computeRegions } from '../../lib/regions/regions.ts';

const VIDEO = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';
const FRAMES = [0, 150, 300, 450, 600];

function missing(): string | false {
  if (!existsSync(VIDEO)) return `${VIDEO} not found (apt-get install opencv-doc)`;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import cv2'], { stdio: 'ignore' });
  } catch {
    return 'python3-opencv not found (apt-get install python3-opencv)';
  }
  return false;
}

/** The frames as PNG files in `dir`, by OpenCV's own decoder. */
function extractFrames(dir: string): void {
  const script = [
    'import cv2, sys',
    'cap = cv2.VideoCapture(sys.argv[1])',
    'for f in [int(x) for x in sys.argv[3].split(",")]:',
    '    cap.set(cv2.CAP_PROP_POS_FRAMES, f)',
    '    ok, img = cap.read()',
    '    assert ok, f"frame {f}"',
    '    cv2.imwrite(f"{sys.argv[2]}/frame{f:04d}.png", img)',
  ].join('\n');
  execFileSync('/usr/bin/python3', ['-c', script, VIDEO, dir, FRAMES.join(',')]);
}

/** A sample of `img` whose persons are the detector's boxes (clipped to the image), as box masks. */
function sampleOf(id: string, img: Image, boxes: [number, number, number, number][]): Sample {
  const instances: Instance[] = boxes.map(([x, y, w, h], k) => {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(img.width, Math.round(x + w));
    const y1 = Math.min(img.height, Math.round(y + h));
    const m = new Uint8Array(img.width * img.height);
    for (let yy = y0; yy < y1; yy++) m.fill(1, yy * img.width + x0, yy * img.width + x1);
    const mask = encode(m, img.height, img.width);
    return { id: k + 1, categoryId: 1, category: 'person', mask, bbox: toBbox(mask), iscrowd: false, ignore: false, area: (x1 - x0) * (y1 - y0) };
  });
  return { id, file: `${id}.png`, width: img.width, height: img.height, instances: instances.filter((i) => i.area > 0) };
}

test('vtest.avi frames: every person tall enough gets a face region (detector in the head part, or an estimated head), said so; a face blur changes only those regions', { timeout: 600_000 }, async (t) => {
  const why = missing();
  if (why) return t.skip(`skipped: ${why}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'vtest-'));
  const persons = await loadPersonDetector();
  const faces = await loadFaceDetector();
  const blur = await createAnonymizer('blur', {});
  try {
    extractFrames(dir);
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, FRAMES.length);
    const tally = { frames: 0, persons: 0, tall: 0, detector: 0, estimated: 0, skipped: 0 };
    for (const file of files) {
      const img = await decodeImage(path.join(dir, file), 3);
      assert.deepEqual([img.width, img.height], [768, 576]);
      const boxes = (await persons.detect(img)).map((d) => d.box);
      const s = sampleOf(file.replace('.png', ''), img, boxes);
      const { regions, records } = await computeRegions(s, img, { kind: 'face', detector: faces });
      tally.frames++;
      assert.equal(records.length, s.instances.length);
      for (const r of records) {
        const inst = s.instances.find((i) => i.id === r.instanceId)!;
        const [bx, by, bw, bh] = inst.bbox;
        tally.persons++;
        if (bh >= MIN_FACE_PERSON_HEIGHT) {
          tally.tall++;
          // none left untouched
          assert.equal(r.status, 'anonymized', `${file} person ${r.instanceId} (${inst.bbox}): ${r.reason}`);
        }
        if (r.status !== 'anonymized') {
          tally.skipped++;
          assert.match(r.reason!, /below 32 px tall/);
          continue;
        }
        const reg = regions.find((x) => x.instanceId === r.instanceId)!;
        assert.equal(reg.source, r.source);
        if (r.source === 'detector') {
          tally.detector++;
          const part = headPart({ mask: inst.mask }, [bx, by, bx + bw, by + bh], s.height);
          const [x, y, w, h] = reg.box;
          assert.ok(x + w / 2 >= part.box[0] && x + w / 2 < part.box[2] && y + h / 2 >= part.box[1] && y + h / 2 < part.box[3], `${file} person ${r.instanceId}: face ${reg.box} outside the head part ${part.box}`);
        } else {
          assert.equal(r.source, 'estimated-head');
          tally.estimated++;
        }
      }
      // a face blur: pixels change inside the regions only
      const out = await blur.apply(img, regions, imageRng(0, s.id));
      const inRegion = new Uint8Array(img.width * img.height);
      for (const reg of regions) decode(reg.mask).forEach((v, i) => v && (inRegion[i] = 1));
      let changedInside = 0;
      for (let i = 0; i < inRegion.length; i++) {
        const same = out.data[3 * i] === img.data[3 * i] && out.data[3 * i + 1] === img.data[3 * i + 1] && out.data[3 * i + 2] === img.data[3 * i + 2];
        if (!inRegion[i]) assert.ok(same, `${file}: pixel ${i} outside every face region changed`);
        else if (!same) changedInside++;
      }
      if (regions.length > 0) assert.ok(changedInside > 0, `${file}: the blur changed nothing inside ${regions.length} face regions`);
    }
    t.diagnostic(`vtest.avi frames ${FRAMES.join(', ')}: ${JSON.stringify(tally)}`);
    assert.ok(tally.tall >= 10, `only ${tally.tall} persons of ${MIN_FACE_PERSON_HEIGHT} px or more found: nothing was tested`);
  } finally {
    persons.dispose();
    faces.dispose();
    await blur.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
