// The notebooks: committed without outputs and with the tslab TypeScript kernel; and every one of
// them executes headlessly without an error (compile errors included) against the freshly built
// library, in order, sharing one temporary stage cache, the executed copies written to a
// temporary folder. Skipped when Python's Jupyter modules (nbclient, nbformat, jupyter_client)
// are missing: `npm run setup` installs them. The notebooks' grids and training runs take the
// smoke budget here (ANON_IMPACT_BUDGET=smoke: 50 steps on 48 images, the same code as the
// standard budget's 600 on 160); it still trains several small models: minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'notebooks');
const notebooks = readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

test('the notebooks are committed without outputs, with the tslab kernel', () => {
  for (const topic of ['00-quickstart', '01-datasets-and-regions', '02-anonymizers', '03-train-and-evaluate', '04-paper-tables', '05-ablations']) assert.ok(notebooks.includes(`${topic}.ipynb`), `notebooks/${topic}.ipynb`);
  for (const f of notebooks) {
    assert.match(f, /^\d\d-[a-z0-9-]+\.ipynb$/, 'named NN-topic.ipynb');
    const nb = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cells: Cell[]; metadata: { kernelspec?: Record<string, string> }; nbformat: number };
    assert.equal(nb.nbformat, 4, f);
    assert.deepEqual(
      { name: nb.metadata.kernelspec?.name, display_name: nb.metadata.kernelspec?.display_name, language: nb.metadata.kernelspec?.language },
      { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      `${f}: kernelspec`,
    );
    for (const [k, c] of nb.cells.entries()) {
      if (c.cell_type !== 'code') continue;
      assert.deepEqual(c.outputs, [], `${f}: cell ${k} has outputs`);
      assert.equal(c.execution_count, null, `${f}: cell ${k} has an execution count`);
    }
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    assert.match(code[0] ?? '', /from 'anon-impact'/, `${f}: imports the library by its package name`);
  }
});

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function jupyterMissing(): string | undefined {
  const r = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  if (r.error) return `${python} not found (${r.error.message}): run npm run setup`;
  if (r.status !== 0) return `${python} lacks Jupyter (nbclient, nbformat, jupyter_client): run npm run setup (${r.stderr.trim().split('\n').at(-1)})`;
  return undefined;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

test('every notebook executes without an error against the built library', { timeout: 60 * 60 * 1000 }, async (t) => {
  const missing = jupyterMissing();
  if (missing) return t.skip(missing);
  // the library as the notebooks import it: built by the project's TypeScript
  const build = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  assert.equal(build.code, 0, `npm run build failed:\n${build.out}${build.err}`);
  const tmp = await mkdtemp(join(tmpdir(), 'anon-impact-notebooks-'));
  try {
    const r = await run(process.execPath, [join(root, 'scripts', 'notebooks.mjs'), '--out', join(tmp, 'out')], { ...process.env, ANON_IMPACT_CACHE: join(tmp, 'cache'), ANON_IMPACT_BUDGET: 'smoke' });
    const lines = r.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { notebook: string; ok: boolean; errors: { cell: number; error: string }[] });
    assert.deepEqual(
      lines.map((l) => l.notebook.split('/').at(-1)),
      notebooks,
      `one result per notebook (exit ${r.code}):\n${r.out}\n${r.err.slice(-4000)}`,
    );
    for (const l of lines) assert.deepEqual(l.errors, [], `${l.notebook}: ${l.errors.map((e) => `cell ${e.cell}: ${e.error}`).join('\n')}`);
    assert.equal(r.code, 0, r.err.slice(-4000));
    // the executed copies went to the temporary folder, the committed notebooks stay without outputs
    for (const f of notebooks) assert.ok(existsSync(join(tmp, 'out', f)), `${f} executed copy`);
    // what they show: every plotly chart also as a static PNG; prediction pictures; tables that are not zero
    for (const f of notebooks) {
      const cells = executedCells(JSON.parse(await readFile(join(tmp, 'out', f), 'utf8')));
      for (const c of cells) {
        const charts = c.outputs.filter((o) => /class="anon-impact-figure"/.test(o['text/html'] ?? '')).length;
        const pngs = c.outputs.filter((o) => o['image/png']).length;
        if (charts) assert.ok(pngs >= charts, `${f}: a cell draws ${charts} chart(s) but shows ${pngs} static PNG(s):\n${c.source}`);
        if (c.source.includes('predictionPreview(')) assert.ok(pngs >= 1, `${f}: no prediction picture`);
      }
      if (['00-quickstart.ipynb', '03-train-and-evaluate.ipynb', '04-paper-tables.ipynb'].includes(f)) assert.ok(cells.some((c) => c.source.includes('predictionPreview(')), `${f} shows what the models predict`);
      if (f === '00-quickstart.ipynb' || f === '04-paper-tables.ipynb') {
        const table = cells.flatMap((c) => c.outputs.map((o) => o['text/markdown'] ?? '')).find((m) => /\| Original \|/.test(m));
        const person = table && /\| Original \| [^|]*\|[^|]*\|[^|]*\|[^|]*\| ([\d.]+)/.exec(table);
        assert.ok(person && Number(person[1]) > 0, `${f}: the original's person AP is not above zero:\n${table}`);
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

/** The code cells of an executed notebook: source, and each output's data by MIME type (text joined). */
function executedCells(nb: { cells: { cell_type: string; source: string | string[]; outputs?: { data?: Record<string, string | string[]> }[] }[] }) {
  const text = (v: string | string[]) => (Array.isArray(v) ? v.join('') : v);
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => ({ source: text(c.source), outputs: (c.outputs ?? []).map((o) => Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, text(v)])) as Record<string, string>) }));
}
