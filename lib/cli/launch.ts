// The command line run from the built library: `node dist/cli/launch.js <command> ...` is
// `anon-impact <command> ...` without tsx. Grids started from the built library (notebooks) run
// their training child processes through it, so that parent and children run the same build.
import { main } from '../cli.ts';

process.exitCode = await main(process.argv.slice(2));
