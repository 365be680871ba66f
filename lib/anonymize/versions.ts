// The versions an anonymized dataset's bytes depend on, recorded in its provenance: this
// package, Node, sharp and the libraries inside its libvips (codecs, zlib, colour management),
// tfjs (the face detector and generators) and the package holding the detector's weights.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** The nearest package.json above this file named `anon-impact` (works from lib/ and dist/). */
function ownPackage(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'anon-impact' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // no package.json here
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the anon-impact package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

function packageVersion(name: string): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    return (require(`${name}/package.json`) as { version?: string }).version;
  } catch {
    // packages that do not export their package.json: find it next to the entry point
    try {
      let dir = dirname(require.resolve(name));
      for (let i = 0; i < 6; i++) {
        try {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (pkg.name === name) return pkg.version;
        } catch {
          // keep climbing
        }
        dir = dirname(dir);
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
}

let cached: Record<string, string> | undefined;

/** Name -> version of everything that can change the output bytes. */
export function runtimeVersions(): Record<string, string> {
  if (cached) return { ...cached };
  const v: Record<string, string> = {};
  v['anon-impact'] = ownPackage().version;
  v.node = process.versions.node;
  v.platform = `${process.platform}-${process.arch}`;
  const sv = sharp.versions as Record<string, string | undefined>;
  const fromSharp: [string, string][] = [
    ['sharp', 'sharp'],
    ['vips', 'libvips'],
    ['mozjpeg', 'libvips:mozjpeg'],
    ['png', 'libvips:libpng'],
    ['spng', 'libvips:spng'],
    ['zlib-ng', 'libvips:zlib-ng'],
    ['lcms', 'libvips:lcms'],
  ];
  for (const [k, name] of fromSharp) {
    const x = sv[k];
    if (x) v[name] = x;
  }
  for (const p of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@vladmandic/human', 'zod', 'yaml']) {
    const x = packageVersion(p);
    if (x) v[p] = x;
  }
  cached = v;
  return { ...v };
}
