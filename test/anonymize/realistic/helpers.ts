// Shared by the realistic-anonymization tests: a small scene with two person regions, a tiny
// untrained built-in generator, and the privacy check (change the pixels under the regions,
// expect the same output).
import * as tf from '@tensorflow/tfjs';
import type { Image } from '../../../lib/data/image.ts';
import { encode, toBbox } from '../../../lib/data/masks/index.ts';
import type { Region } from '../../../lib/regions/region.ts';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { builtinGenerator } from '../../../lib/anonymize/realistic/builtin-generator.ts';
import { defaultConfig, GeneratorNet } from '../../../lib/anonymize/realistic/builtin-model.ts';
import type { Generator } from '../../../lib/anonymize/realistic/generator.ts';
import { lcgImage } from '../fixtures.ts';

let ready: Promise<unknown> | null = null;
/** The wasm backend with the project's training kernels (what the CLI picks here). */
export function useWasm(): Promise<unknown> {
  ready ??= initBackend({ backend: 'wasm', log: false });
  return ready;
}

export const SCENE_W = 64;
export const SCENE_H = 48;

/** COCO RLE of a row-major 0/1 mask. */
export function rleOf(mask: Uint8Array, w: number, h: number) {
  return encode(mask, h, w);
}

/** A person-like blob (ellipse body + head) as a row-major mask. */
function blob(cx: number, top: number, hgt: number): Uint8Array {
  const m = new Uint8Array(SCENE_W * SCENE_H);
  const rx = hgt * 0.18;
  for (let y = 0; y < SCENE_H; y++) {
    for (let x = 0; x < SCENE_W; x++) {
      const body = ((x - cx) / rx) ** 2 + ((y - (top + hgt * 0.6)) / (hgt * 0.4)) ** 2 <= 1;
      const head = (x - cx) ** 2 + (y - (top + hgt * 0.12)) ** 2 <= (hgt * 0.12) ** 2;
      if (body || head) m[y * SCENE_W + x] = 1;
    }
  }
  return m;
}

function kpFor(cx: number, top: number, hgt: number): number[] {
  const kp = new Array<number>(51).fill(0);
  const set = (k: number, x: number, y: number) => {
    kp[3 * k] = x;
    kp[3 * k + 1] = y;
    kp[3 * k + 2] = 2;
  };
  set(0, cx, top + hgt * 0.12);
  set(1, cx - 1, top + hgt * 0.1);
  set(2, cx + 1, top + hgt * 0.1);
  set(5, cx - hgt * 0.12, top + hgt * 0.28);
  set(6, cx + hgt * 0.12, top + hgt * 0.28);
  set(7, cx - hgt * 0.16, top + hgt * 0.45);
  set(8, cx + hgt * 0.16, top + hgt * 0.45);
  set(11, cx - hgt * 0.07, top + hgt * 0.58);
  set(12, cx + hgt * 0.07, top + hgt * 0.58);
  set(13, cx - hgt * 0.08, top + hgt * 0.78);
  set(14, cx + hgt * 0.08, top + hgt * 0.78);
  set(15, cx - hgt * 0.08, top + hgt * 0.97);
  set(16, cx + hgt * 0.08, top + hgt * 0.97);
  return kp;
}

export interface Scene {
  image: Image;
  regions: Region[];
  masks: Uint8Array[];
}

/** Two overlapping bodies (with keypoints), or two face boxes, on a seeded noise image. */
export function scene(kind: 'body' | 'face'): Scene {
  const image = lcgImage(11, SCENE_W, SCENE_H);
  let masks: Uint8Array[];
  if (kind === 'body') masks = [blob(20, 6, 36), blob(30, 10, 30)];
  else {
    masks = [
      [8, 6, 10, 11],
      [40, 20, 12, 12],
    ].map(([x0, y0, w, h]) => {
      const m = new Uint8Array(SCENE_W * SCENE_H);
      for (let y = y0!; y < y0! + h!; y++) for (let x = x0!; x < x0! + w!; x++) m[y * SCENE_W + x] = 1;
      return m;
    });
  }
  const regions: Region[] = masks.map((m, i) => {
    const mask = rleOf(m, SCENE_W, SCENE_H);
    const r: Region = { sampleId: 's', instanceId: i + 1, kind, mask, box: toBbox(mask), source: kind === 'body' ? 'mask' : 'annotation' };
    if (kind === 'body') {
      r.keypoints = i === 0 ? kpFor(20, 6, 36) : kpFor(30, 10, 30);
      r.dilation = 1;
    }
    return r;
  });
  return { image, regions, masks };
}

/** The scene's image with every region pixel replaced by other bytes. */
export function scrambled(s: Scene, seed = 99): Image {
  const other = lcgImage(seed, SCENE_W, SCENE_H);
  const data = new Uint8Array(s.image.data);
  for (let p = 0; p < SCENE_W * SCENE_H; p++) {
    if (!s.masks.some((m) => m[p])) continue;
    for (let c = 0; c < 3; c++) data[p * 3 + c] = other.data[p * 3 + c]!;
  }
  return { ...s.image, data };
}

/** A tiny untrained built-in generator (seeded weights). */
export function tinyBuiltin(kind: 'face' | 'body', seed = 3): Generator {
  const cfg = defaultConfig(kind, kind === 'face' ? [16, 16] : [24, 16], seed);
  cfg.channels = [4, 8, 8];
  cfg.dChannels = [4];
  cfg.zDim = 8;
  cfg.wDim = 8;
  return builtinGenerator(new GeneratorNet(cfg), `builtin:tiny-${kind}`);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export { tf };
