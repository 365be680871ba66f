#!/usr/bin/env node
// Executes the notebooks headlessly (scripts/execute-notebook.py: nbclient + the tslab kernel)
// and writes the executed copies to a folder, never over the committed notebooks.
//   node scripts/notebooks.mjs [--out DIR] [NOTEBOOK.ipynb ...]
// Default: every notebooks/*.ipynb, executed copies in .cache/notebooks-out. The notebooks import
// the built library (`npm run build` first; `npm run notebooks` does both). The TypeScript kernel
// is registered under .jupyter/ when it is not yet. Prints one JSON line per notebook with its
// errors; exit status 1 when any cell failed. The stage cache is $ANON_IMPACT_CACHE, else
// .cache/stages.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
let out = join(root, '.cache', 'notebooks-out');
const notebooks = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i] ?? '');
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: node scripts/notebooks.mjs [--out DIR] [NOTEBOOK.ipynb ...]');
    process.exit(0);
  } else notebooks.push(resolve(args[i]));
}
if (notebooks.length === 0) {
  const dir = join(root, 'notebooks');
  notebooks.push(...readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(dir, f)));
}

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const probe = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`notebooks: ${python} cannot import nbclient, nbformat and jupyter_client (Jupyter): run npm run setup, or install python3-nbclient and jupyter-client\n${probe.stderr ?? probe.error?.message ?? ''}`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('notebooks: dist/index.js not found: the notebooks import the built library; run npm run build first');
  process.exit(2);
}

const jupyterPath = join(root, '.jupyter', 'share', 'jupyter');
if (!existsSync(join(jupyterPath, 'kernels', 'tslab', 'kernel.json'))) {
  const tslab = join(root, 'node_modules', '.bin', 'tslab');
  const r = spawnSync(tslab, ['install', '--python', python, '--binary', tslab, '--prefix', join(root, '.jupyter')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error(`notebooks: registering the tslab kernel failed (${tslab} install)`);
    process.exit(2);
  }
}
// the notebooks import `anon-impact` by name: node_modules/anon-impact -> ..
spawnSync(process.execPath, [join(root, 'scripts', 'link-self.mjs')], { cwd: root, stdio: 'inherit' });

const r = spawnSync(python, [join(root, 'scripts', 'execute-notebook.py'), ...notebooks, '--out', out], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, JUPYTER_PATH: process.env.JUPYTER_PATH ? `${jupyterPath}:${process.env.JUPYTER_PATH}` : jupyterPath },
});
process.exit(r.status ?? 1);
