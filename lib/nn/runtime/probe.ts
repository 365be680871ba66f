// Which tfjs backends load in this process and on what device: each is started in turn (tfjs
// state is global, so the last one probed stays running).
import { BACKENDS, initBackend, type BackendChoice } from './backend.ts';

export interface BackendProbe {
  name: BackendChoice;
  loads: boolean;
  /** Where it computes (loads) or why it does not load. */
  detail: string;
}

function device(info: Awaited<ReturnType<typeof initBackend>>): string {
  switch (info.name) {
    case 'webgpu':
      return `${info.adapter!.description} (${[info.adapter!.vendor, info.adapter!.architecture].filter(Boolean).join(' ')}${info.adapter!.cpu ? '; a CPU device, not a GPU' : ''})`;
    case 'wasm':
      return `CPU, WebAssembly SIMD ${info.simd ? 'on' : 'off'}, ${info.wasmKernels ? 'anon-impact training kernels' : 'stock kernels'}`;
    case 'cpu':
      return 'CPU, plain JavaScript';
    case 'tfjs-node-gpu':
      return 'libtensorflow with CUDA';
    default:
      return 'libtensorflow on the CPU';
  }
}

export async function probeBackends(names: readonly BackendChoice[] = BACKENDS): Promise<BackendProbe[]> {
  const out: BackendProbe[] = [];
  for (const name of names) {
    try {
      out.push({ name, loads: true, detail: device(await initBackend({ backend: name, log: false, env: {} })) });
    } catch (e) {
      out.push({ name, loads: false, detail: (e as Error).message.replace(/^backend option '[^']+': cannot use this backend: /, '') });
    }
  }
  return out;
}
