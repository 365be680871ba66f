#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner and tsx (Node 20 has no --test glob).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const filter = process.argv.slice(2);
// The longest files first (the notebooks take about 9 minutes, the Slurm cluster 3), so that the
// lanes end together instead of one long file running on its own at the end. Three lanes on two
// cores: the notebooks, Slurm and webgpu tests spend part of their time waiting (kernels, the
// scheduler, shader compilation), which a third lane fills.
const FIRST = ['test/notebooks/', 'test/cluster/', 'test/cli/train-webgpu'];
const rank = (f) => {
  const i = FIRST.findIndex((p) => f.startsWith(p));
  return i < 0 ? FIRST.length : i;
};
const files = walk('test')
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
