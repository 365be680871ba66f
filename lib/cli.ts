// The `anon-impact` command: a table of sub-commands, each a thin module in lib/cli/.
// Every sub-command module exports `run(argv): Promise<number>` (the exit code).

interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

// One line per command; keep sorted by the order a user meets them.
const commands: Record<string, Command> = {
  synth: { summary: 'generate the embedded synthetic street-scene dataset', load: () => import('./cli/synth.ts') },
  data: { summary: 'data check MANIFEST | data stats MANIFEST', load: () => import('./cli/data.ts') },
  stats: { summary: 'stats wilcoxon | stats mannwhitney (scipy.stats semantics)', load: () => import('./cli/stats.ts') },
  apply: { summary: 'anonymize one image inside a mask (maskout, blur, pixelate, cropout, inpaint)', load: () => import('./cli/apply.ts') },
  'match-histograms': { summary: 'skimage match_histograms of one image to another, per RGB channel', load: () => import('./cli/match-histograms.ts') },
  anonymize: { summary: 'anonymized copy of a dataset split (face|body regions, any method; provenance, resumable)', load: () => import('./cli/anonymize.ts') },
  privacy: { summary: 'privacy figures of an anonymized copy (face re-identification, detectability, appearance leak)', load: () => import('./cli/privacy.ts') },
  train: { summary: 'train a semseg, instances or keypoints model from scratch (resumable)', load: () => import('./cli/train.ts') },
  'train-generator': { summary: 'train the built-in realistic-anonymization generator on face or body crops (resumable)', load: () => import('./cli/train-generator.ts') },
  predict: { summary: 'write a trained run\'s predictions for the evaluators', load: () => import('./cli/predict.ts') },
  eval: { summary: 'eval coco | eval cityscapes-pixel | eval cityscapes-instance', load: () => import('./cli/eval.ts') },
  grid: { summary: 'run an experiment grid (a paper preset or a YAML spec) through the stage cache', load: () => import('./cli/grid.ts') },
  stage: { summary: 'stage run KEY --cache DIR: one stage of a planned grid, by its key (what cluster jobs run)', load: () => import('./cli/stage.ts') },
  backends: { summary: 'which tfjs backends load and on what device; --check: their agreement with wasm', load: () => import('./cli/backends.ts') },
  reproduce: { summary: 'the main job: the default grid on the embedded synthetic dataset, tables and figures', load: () => import('./cli/reproduce.ts') },
  table: { summary: 'aggregated results table (mean ± se (Δ), tests) as Markdown/HTML/CSV, or --compare with a paper', load: () => import('./cli/table.ts') },
  figures: { summary: 'figures of a results CSV (difference, relative IoU, depth, box sizes) as PNG/SVG/PDF', load: () => import('./cli/figures.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return ['usage: anon-impact <command> [options]', '', 'commands:', ...lines, '', 'Run `anon-impact <command> --help` for its options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`anon-impact: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).run(rest);
  } catch (e) {
    const err = e as Error;
    console.error(`anon-impact ${name}: ${err.message}`);
    if (process.env.ANON_IMPACT_DEBUG) console.error(err.stack);
    return 1;
  }
}
