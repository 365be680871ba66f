// `anon-impact match-histograms` end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, encodeImage } from '../../lib/data/image.ts';
import { matchHistograms } from '../../lib/anonymize/histogram-match.ts';
import { lcgImage } from '../anonymize/fixtures.ts';
import { cli as runCli } from './fixtures.ts';

const cli = (args: string[]) => runCli(['match-histograms', ...args]);

test('match-histograms writes skimage match_histograms of the source to the reference', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-hm-'));
  try {
    const a = lcgImage(71, 16, 12, 3);
    const b = lcgImage(72, 9, 21, 3);
    b.data = b.data.map((v) => 30 + (v >> 1));
    await writeFile(join(dir, 'a.png'), await encodeImage(a, 'png'));
    await writeFile(join(dir, 'b.png'), await encodeImage(b, 'png'));
    const r = await cli(['--source', join(dir, 'a.png'), '--reference', join(dir, 'b.png'), '--out', join(dir, 'c.png')]);
    assert.equal(r.code, 0, r.stderr);
    const c = await decodeImage(join(dir, 'c.png'));
    assert.deepEqual(c.data, matchHistograms(a, b).data);
    const bad = await cli(['--source', join(dir, 'a.png'), '--reference', join(dir, 'nope.png'), '--out', join(dir, 'd.png')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /nope\.png/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
