// computeRegions (and what the runner imports) loads without tfjs; only detector.ts loads it.
// Each module is imported in a fresh node process, which then reports whether any
// @tensorflow/* file is in the CommonJS module cache (tfjs is loaded through its CommonJS
// build) or tfjs-core's global engine exists (created when tfjs-core is evaluated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Imports `file` (relative to the repository) in a new node process: what of tfjs got loaded. */
async function tfjsLoadedBy(file: string): Promise<{ files: number; engine: boolean }> {
  const script = [
    "import { createRequire } from 'node:module';",
    `await import(${JSON.stringify('./' + file)});`,
    "const require = createRequire(process.cwd() + '/');",
    "const files = Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length;",
    'console.log(JSON.stringify({ files, engine: globalThis._tfengine !== undefined }));',
  ].join('\n');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { files: number; engine: boolean };
}

test('importing regions.ts, face-crops.ts and face-detector.ts does not load tfjs; detector.ts does', async () => {
  for (const f of ['lib/regions/regions.ts', 'lib/regions/face-crops.ts', 'lib/regions/face-detector.ts']) {
    assert.deepEqual(await tfjsLoadedBy(f), { files: 0, engine: false }, f);
  }
  // the check sees tfjs when it is there
  const d = await tfjsLoadedBy('lib/regions/detector.ts');
  assert.ok(d.files > 0 && d.engine, JSON.stringify(d));
});

test('the runner and its per-image step import without tfjs', async () => {
  for (const f of ['lib/anonymize/process-image.ts', 'lib/anonymize/runner.ts']) {
    assert.deepEqual(await tfjsLoadedBy(f), { files: 0, engine: false }, f);
  }
});
