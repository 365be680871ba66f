// The library's stages depend only downward (README, "Stages depend only downward"): every
// relative import in lib/ (static, dynamic, or a module URL) goes to the same stage or one listed
// before it, and evaluation never reads the training stage's code; the few crossings
// are listed in CROSSINGS with their reasons, so that no other can appear unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const lib = resolve(import.meta.dirname, '..', '..', 'lib');

/** Bottom to top; `models` belongs to the training stage, `nn` are building blocks just above `data`; `privacy` measures anonymized copies (below the grid, which may call it). */
const ORDER = ['data', 'nn', 'regions', 'anonymize', 'models', 'train', 'eval', 'stats', 'privacy', 'experiments', 'report', 'cli', 'index.ts'];

/** The upward references there are, and why. */
const CROSSINGS: Record<string, string> = {
  // the grid runs each training in a child process through the command line
  'experiments/grid-job.ts -> cli/launch.js': 'training child processes',
};

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const stageOf = (file: string) => relative(lib, file).split('/')[0].replace(/^cli\.ts$/, 'cli');

test('every relative import in lib/ goes to the same stage or a lower one; eval imports neither train nor models', async () => {
  const bad: string[] = [];
  const seen = new Set<string>();
  let imports = 0;
  for (const file of await files(lib)) {
    const from = stageOf(file);
    assert.ok(ORDER.includes(from), `${relative(lib, file)}: stage '${from}' is not in the order`);
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'|new URL\('(\.{1,2}\/[^'$]+)/g)) {
      const target = resolve(dirname(file), m[1] ?? m[2]);
      if (!target.startsWith(lib + '/')) continue;
      imports++;
      const to = stageOf(target);
      const edge = `${relative(lib, file)} -> ${relative(lib, target)}`;
      if (CROSSINGS[edge]) seen.add(edge);
      else if (ORDER.indexOf(to) > ORDER.indexOf(from) || (from === 'eval' && (to === 'train' || to === 'models'))) bad.push(edge);
    }
  }
  assert.ok(imports > 500, `found only ${imports} imports`);
  assert.deepEqual(bad, []);
  assert.deepEqual([...seen].sort(), Object.keys(CROSSINGS).sort(), 'every listed crossing still exists (remove the ones that do not)');
});
