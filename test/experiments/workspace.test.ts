import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/experiments/grid-presets.ts';
import { workspace } from '../../lib/experiments/workspace.ts';

test('the stage cache from ANON_IMPACT_CACHE, else .cache/stages in the package root; work and results inside it', () => {
  const w = workspace('00-quickstart', { ANON_IMPACT_CACHE: '/tmp/some-cache' });
  assert.deepEqual({ cache: w.cache, work: w.work, results: w.results }, { cache: '/tmp/some-cache', work: '/tmp/some-cache/notebooks/00-quickstart', results: '/tmp/some-cache/notebooks/results' });
  assert.equal(w.stageCache.root, '/tmp/some-cache');
  const d = workspace('x', {});
  assert.equal(d.cache, join(PACKAGE_ROOT, '.cache', 'stages'));
  assert.equal(d.work, join(PACKAGE_ROOT, '.cache', 'stages', 'notebooks', 'x'));
  assert.throws(() => workspace('../up', {}), /letters, digits/);
  assert.throws(() => workspace('..', {}), /letters, digits/);
});
