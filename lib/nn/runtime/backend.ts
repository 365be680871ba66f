// Run-time choice of the tfjs backend: tfjs-node-gpu > tfjs-node > wasm > cpu.
// The tfjs-node packages are optional dependencies (their install downloads libtensorflow and may
// fail); they are tried by dynamic import and used when present. The choice can be forced by an
// option or by ANON_IMPACT_BACKEND=tfjs-node-gpu|webgpu|tfjs-node|wasm|cpu; a forced backend that
// cannot be loaded is an error, not a silent fallback. The choice is logged as one line on stderr.
// webgpu (webgpu.ts) is chosen only when forced: it reads tensors asynchronously only, and the
// training loop, prediction and the anonymizers read synchronously.
import * as tf from '@tensorflow/tfjs';
import { startWasm as setWasm } from './start.ts';
import { startWebgpu, type WebgpuAdapter } from './webgpu.ts';
import { registerCpuKernelFixes, registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './wasm-kernels.ts';

export const BACKENDS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** The automatic order: every backend but webgpu. */
export const AUTO_BACKENDS: readonly BackendChoice[] = BACKENDS.filter((b) => b !== 'webgpu');

export const BACKEND_ENV = 'ANON_IMPACT_BACKEND';

export interface BackendOptions {
  /** Force a backend (wins over the environment variable). */
  backend?: BackendChoice;
  /** On wasm: register our training kernels (default true); false keeps the stock kernels. */
  wasmKernels?: boolean;
  /** Where the one-line choice is written (default: stderr); false for silence. */
  log?: ((line: string) => void) | false;
  /** Environment to read ANON_IMPACT_BACKEND from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Module loader for the optional native packages (default: dynamic import). */
  importModule?: (specifier: string) => Promise<unknown>;
}

export interface BackendInfo {
  /** What was chosen. */
  name: BackendChoice;
  /** The tfjs backend name now active ('tensorflow', 'webgpu', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** How it was chosen. */
  source: 'option' | 'env' | 'auto';
  /** wasm: SIMD in use; wasm: our training kernels registered. */
  simd?: boolean;
  wasmKernels?: boolean;
  /** webgpu: the adapter it runs on. */
  adapter?: WebgpuAdapter;
  /** Native packages tried and why they were not used (auto mode). */
  skipped: string[];
}

const nativePackage: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

function parseChoice(value: string, where: string): BackendChoice {
  const v = value.trim();
  if ((BACKENDS as readonly string[]).includes(v)) return v as BackendChoice;
  throw new Error(`${where}: unknown backend '${value}'; expected one of ${BACKENDS.join(', ')}`);
}

async function tryNative(which: 'tfjs-node-gpu' | 'tfjs-node', load: (s: string) => Promise<unknown>): Promise<void> {
  await load(nativePackage[which]);
  // Both packages register the 'tensorflow' backend on the shared tfjs-core.
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${nativePackage[which]} loaded but the 'tensorflow' backend failed to initialise`);
}

async function startWasm(wasmKernels: boolean): Promise<boolean> {
  const why = await setWasm();
  if (why !== null) throw new Error(`the tfjs wasm backend failed to initialise: ${why}`);
  if (wasmKernels) registerWasmTrainingKernels();
  else unregisterWasmTrainingKernels();
  return tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
}

/**
 * Chooses and activates the tfjs backend. Order of precedence: `opts.backend`, then
 * ANON_IMPACT_BACKEND, then the first that loads of tfjs-node-gpu, tfjs-node, wasm, cpu.
 */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const env = opts.env ?? process.env;
  const load = opts.importModule ?? ((s: string) => import(s));
  const wasmKernels = opts.wasmKernels ?? true;
  let forced: BackendChoice | undefined;
  let source: BackendInfo['source'] = 'auto';
  if (opts.backend !== undefined) {
    forced = parseChoice(opts.backend, 'backend option');
    source = 'option';
  } else if (env[BACKEND_ENV] !== undefined && env[BACKEND_ENV] !== '') {
    forced = parseChoice(env[BACKEND_ENV]!, BACKEND_ENV);
    source = 'env';
  }
  registerCpuKernelFixes();
  const skipped: string[] = [];
  const candidates: BackendChoice[] = forced ? [forced] : [...AUTO_BACKENDS];
  let info: BackendInfo | undefined;
  for (const c of candidates) {
    try {
      if (c === 'tfjs-node-gpu' || c === 'tfjs-node') {
        await tryNative(c, load);
        info = { name: c, tfBackend: tf.getBackend(), source, skipped };
      } else if (c === 'webgpu') {
        const adapter = await startWebgpu();
        info = { name: c, tfBackend: 'webgpu', source, adapter, skipped };
      } else if (c === 'wasm') {
        const simd = await startWasm(wasmKernels);
        info = { name: c, tfBackend: 'wasm', source, simd, wasmKernels, skipped };
      } else {
        if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
        info = { name: c, tfBackend: 'cpu', source, skipped };
      }
      break;
    } catch (e) {
      const why = (e as Error).message.split('\n')[0];
      if (forced) {
        const from = source === 'env' ? `${BACKEND_ENV}=${forced}` : `backend option '${forced}'`;
        throw new Error(`${from}: cannot use this backend: ${why}`);
      }
      skipped.push(`${c}: ${why}`);
    }
  }
  if (!info) throw new Error(`no tfjs backend could be initialised (${skipped.join('; ')})`);
  const log = opts.log === undefined ? (line: string) => process.stderr.write(line + '\n') : opts.log;
  if (log) {
    const extra =
      info.name === 'wasm'
        ? ` (simd ${info.simd ? 'on' : 'off'}, ${info.wasmKernels ? 'anon-impact training kernels' : 'stock kernels'})`
        : info.adapter
          ? ` (${info.adapter.description}${info.adapter.cpu ? ', a CPU device' : ''})`
          : '';
    const why = info.source === 'auto' ? (skipped.length ? `; not available: ${skipped.map((s) => s.split(':')[0]).join(', ')}` : '') : ` (from ${info.source === 'env' ? BACKEND_ENV : 'option'})`;
    log(`tfjs backend: ${info.name}${extra}${why}`);
  }
  return info;
}
