// The grid's stage scheduler: dependencies first, at most `slots` at a time, one preparation
// stage (generator, anonymization) at a time beside trainings, and a failure stops new starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Stage } from '../../lib/experiments/plan.ts';
import { schedule } from '../../lib/experiments/run-grid.ts';

const stage = (key: string, kind: Stage['kind'], deps: string[] = []): Stage => ({ key, kind, deps, describe: key, input: { kind, inputs: deps, params: {} } });

/** Runs the stages with `slots`, each taking `ms[key]` (default 5) milliseconds; returns the start/end log. */
async function trace(stages: Stage[], slots: number, ms: Record<string, number> = {}, fail?: string) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  await schedule(stages, slots, async (s) => {
    events.push(`+${s.key}`);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, ms[s.key] ?? 5));
    running--;
    events.push(`-${s.key}`);
    if (s.key === fail) throw new Error(`${s.key} failed`);
  });
  return { events, most };
}

const grid = [
  stage('data', 'dataset'),
  stage('gen', 'generator', ['data']),
  stage('anonA', 'anonymize', ['data']),
  stage('anonB', 'anonymize', ['data', 'gen']),
  stage('train0', 'train', ['data']),
  stage('train1', 'train', ['data']),
  stage('trainA', 'train', ['data', 'anonA']),
  stage('trainB', 'train', ['data', 'anonB']),
  stage('eval0', 'evaluate', ['train0']),
  stage('evalA', 'evaluate', ['trainA']),
  stage('evalB', 'evaluate', ['trainB']),
];

test('every stage runs once, after its dependencies, at most `slots` at a time', async () => {
  const { events, most } = await trace(grid, 2);
  assert.equal(most, 2);
  for (const s of grid) {
    assert.equal(events.filter((e) => e === `+${s.key}`).length, 1, s.key);
    for (const d of s.deps) assert.ok(events.indexOf(`-${d}`) < events.indexOf(`+${s.key}`), `${d} ends before ${s.key} starts`);
  }
});

test('beside the generator and the anonymizations (one at a time) the other slot trains', async () => {
  const { events } = await trace(grid, 2, { gen: 40, anonA: 20, anonB: 20 });
  // the original's trainings start while the generator runs, not after every anonymized copy
  assert.ok(events.indexOf('+train0') < events.indexOf('-gen'));
  // never two preparation stages at once
  let prep = 0;
  for (const e of events) {
    if (/^\+(gen|anon)/.test(e)) assert.equal(++prep, 1, e);
    if (/^-(gen|anon)/.test(e)) prep--;
  }
});

test('one slot runs the stages one by one in priority order', async () => {
  const { events, most } = await trace(grid, 1);
  assert.equal(most, 1);
  assert.deepEqual(events.filter((e) => e.startsWith('+')).slice(0, 4), ['+data', '+gen', '+anonA', '+anonB']);
});

test('after a failure no new stage starts, the running ones finish, and the error is thrown', async () => {
  const seen: string[] = [];
  await assert.rejects(
    schedule(grid, 2, async (s) => {
      seen.push(s.key);
      await new Promise((r) => setTimeout(r, s.key === 'train0' ? 30 : 5));
      if (s.key === 'gen') throw new Error('gen failed');
    }),
    /gen failed/,
  );
  assert.ok(!seen.includes('anonB') && !seen.includes('trainB'));
  assert.ok(seen.includes('train0'));
});

test('a dependency outside the plan is refused before anything runs', async () => {
  await assert.rejects(schedule([stage('t', 'train', ['nowhere'])], 2, async () => assert.fail('ran')), /depends on a stage not in the plan/);
});
