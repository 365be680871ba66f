// Starting tfjs's WebGPU backend in Node, on Dawn's Node binding (the optional `webgpu` package,
// whose prebuilt dawn.node needs no download) and any Vulkan device: a GPU's driver, or on a
// machine without one the SwiftShader CPU device that Debian's chromium ships
// (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, with the Vulkan loader libvulkan1).
// Upstream tfjs never merged Node support for this backend; what it needs here:
//   - `navigator.gpu` and the WebGPU constants (GPUBufferUsage, ...) exist before
//     @tensorflow/tfjs-backend-webgpu is loaded: it registers itself at load time only if they do;
//   - the Vulkan loader wants XDG_RUNTIME_DIR: set to a private temporary folder when unset;
//   - reads are asynchronous only (`await t.data()`): the backend's synchronous read (dataSync,
//     arraySync, moving a tensor to another backend) draws through an OffscreenCanvas, which Node
//     lacks, and Dawn completes a buffer mapping only between event-loop turns. Such a read
//     throws an error that says so instead of "OffscreenCanvas is not defined".
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runningBackend } from './start.ts';

/** The adapter the backend runs on, as Dawn describes it. */
export interface WebgpuAdapter {
  /** Driver's description, e.g. "SwiftShader driver 5.0.0" or the GPU's name. */
  description: string;
  vendor: string;
  architecture: string;
  device: string;
  /** A CPU implementation (SwiftShader, lavapipe, llvmpipe), not a GPU. */
  cpu: boolean;
}

/** Where Debian's chromium package puts SwiftShader's Vulkan driver manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let started: WebgpuAdapter | undefined;

const SYNC_READ_ERROR =
  'the webgpu backend in Node cannot read a tensor synchronously (dataSync, arraySync, or moving a tensor to another backend): ' +
  'read it with `await tensor.data()`; code that reads synchronously runs on another backend (--backend wasm)';

function describe(info: GPUAdapterInfo): WebgpuAdapter {
  const description = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  const cpu = /swiftshader|lavapipe|llvmpipe/i.test(`${description} ${info.architecture} ${info.device}`);
  return { description, vendor: info.vendor, architecture: info.architecture, device: info.device, cpu };
}

/** Makes the synchronous read fail with an error that names the remedy. */
function guardSyncRead(): void {
  const backend = tf.findBackend('webgpu') as unknown as { readSync(id: object): unknown; guarded?: boolean } | null;
  if (!backend || backend.guarded) return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    try {
      return readSync(dataId);
    } catch (e) {
      if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') throw new Error(SYNC_READ_ERROR, { cause: e });
      throw e;
    }
  };
  backend.guarded = true;
}

/**
 * Makes webgpu the running tfjs backend and returns its adapter; throws, naming the cause, where
 * the `webgpu` package, a Vulkan device or the tfjs WebGPU backend is missing.
 */
export async function startWebgpu(): Promise<WebgpuAdapter> {
  if (started && runningBackend() === 'webgpu') return started;
  if (!started) {
    let dawn: typeof import('webgpu');
    try {
      dawn = await import('webgpu');
    } catch (e) {
      throw new Error(`the optional package 'webgpu' (Dawn's Node binding) cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
    }
    process.env.XDG_RUNTIME_DIR ||= mkdtempSync(path.join(tmpdir(), 'anon-impact-xdg-'));
    const g = globalThis as Record<string, unknown>;
    for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
    const gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      throw new Error(
        `Dawn found no WebGPU adapter: no Vulkan device (is libvulkan1 installed? a GPU's Vulkan driver, or SwiftShader: VK_ICD_FILENAMES=${SWIFTSHADER_ICD})`,
      );
    }
    const nav = (g.navigator ?? {}) as object;
    Object.defineProperty(globalThis, 'navigator', { value: Object.assign(Object.create(nav), { gpu }), configurable: true, writable: true });
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
    } catch (e) {
      throw new Error(`the optional package '@tensorflow/tfjs-backend-webgpu' cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!tf.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu was loaded before navigator.gpu was set, and did not register');
    started = describe(adapter.info);
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error(`the tfjs webgpu backend failed to initialise on ${started.description}`);
  guardSyncRead();
  return started;
}
