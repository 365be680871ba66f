// `anon-impact stage run KEY --cache DIR`: runs one stage of a planned grid by its key, from the
// spec the cache holds (lib/experiments/stage-run.ts). The entry point of the local executor's
// training children and of the Slurm executor's jobs. Exit 0 when the stage is finished (now or
// before), 1 with the error otherwise.
import { StageCache } from '../experiments/cache.ts';
import { runStage, readStageSpec } from '../experiments/stage-run.ts';
import { int, parse, required } from './args.ts';
import { progress } from './progress.ts';

const HELP = `usage: anon-impact stage run KEY --cache DIR [--backend B] [--workers N]
Runs the grid stage KEY (as \`grid --dry-run\` lists it) from the spec in the stage cache DIR, unless
it has finished; prints "cached" or "done" with what the stage is.
  --cache DIR     the stage cache the grid was planned into
  --backend B     training and inference backend (default: the best available)
  --workers N     anonymization worker threads (default: one per core)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { cache: { type: 'string' }, backend: { type: 'string' }, workers: { type: 'string' } }, true);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals[0] !== 'run' || positionals.length !== 2) {
    console.error(HELP);
    return 2;
  }
  const cache = new StageCache(required(values, 'cache'));
  const spec = await readStageSpec(cache, positionals[1]!);
  let bar: ReturnType<typeof progress> | undefined;
  const state = await runStage(cache, spec, {
    backend: values.backend,
    workers: values.workers === undefined ? undefined : int(values, 'workers', 1, 1, 256),
    log: (line) => process.stderr.write(line + '\n'),
    onTrainProgress: (p) => {
      bar ??= progress(`train ${spec.key}`, p.steps, 'step');
      bar.update(p.step, { loss: p.loss.toFixed(4), 'img/s': p.imagesPerSec.toFixed(1) });
    },
  });
  bar?.stop();
  console.log(`${state === 'cached' ? 'cached' : 'done'}: ${spec.kind} ${spec.key}: ${spec.describe}`);
  return 0;
}
