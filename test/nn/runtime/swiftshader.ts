// Whether the CPU Vulkan device that the webgpu tests run on is here: the Vulkan loader
// (libvulkan1), SwiftShader from Debian's chromium and the optional `webgpu` package; else the
// reason, for the skip message.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SWIFTSHADER_ICD } from '../../../lib/nn/runtime/webgpu.ts';

export function swiftshaderMissing(): string | false {
  let loader = false;
  try {
    loader = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    loader = existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1') || existsSync('/usr/lib/aarch64-linux-gnu/libvulkan.so.1');
  }
  if (!loader) return 'no Vulkan loader (apt-get install libvulkan1; npm run setup does)';
  if (!existsSync(SWIFTSHADER_ICD)) return `no SwiftShader Vulkan device at ${SWIFTSHADER_ICD} (apt-get install chromium; npm run setup does)`;
  try {
    createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return "the optional package 'webgpu' is not installed";
  }
  return false;
}
