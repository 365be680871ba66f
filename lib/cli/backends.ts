// `anon-impact backends`: which tfjs backends load here and on what device; with --check, each
// one's agreement with wasm (lib/nn/runtime/parity.ts, lib/train/backend-parity.ts).
import { AUTO_BACKENDS, BACKEND_ENV, BACKENDS, type BackendChoice } from '../nn/runtime/backend.ts';
import { KERNEL_CASES, kernelParity, PARITY_TOLERANCE } from '../nn/runtime/parity.ts';
import { probeBackends } from '../nn/runtime/probe.ts';
import { LOSS_TOLERANCE, SOFTMAX_CE_CASE, stepParity } from '../train/backend-parity.ts';
import { parse } from './args.ts';

const HELP = `usage: anon-impact backends [--check] [--only NAME[,NAME...]]

Lists the tfjs backends (${BACKENDS.join(', ')}): whether each loads in this
process and on what device (the GPU's name; SwiftShader for the CPU Vulkan device). The
automatic choice takes the first that loads of ${AUTO_BACKENDS.join(', ')}; webgpu
only when forced (--backend webgpu or ${BACKEND_ENV}=webgpu).

  --check      also compare each loaded backend but wasm with wasm (the project's training
               kernels): every custom kernel's forward output and gradient, and one training
               step of each task model (loss, gradients, weights after the update); max relative
               difference, tolerance ${PARITY_TOLERANCE} (the loss: ${LOSS_TOLERANCE}, for the
               precision WGSL allows its log). Exit status 1 if any differs by more.
  --only LIST  probe (and check) only these backends

webgpu runs on Dawn's Vulkan backend: a GPU's Vulkan driver, or SwiftShader on the CPU
(VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, with libvulkan1 installed).`;

const fmt = (d: number) => (d === 0 ? '0' : d.toExponential(1));

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { check: { type: 'boolean' }, only: { type: 'string' } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const names = (values.only?.split(',').map((s) => s.trim()) ?? [...BACKENDS]) as BackendChoice[];
  for (const n of names) if (!(BACKENDS as readonly string[]).includes(n)) throw new Error(`--only: unknown backend '${n}'; expected one of ${BACKENDS.join(', ')}`);
  const probes = await probeBackends(names);
  const width = Math.max(...probes.map((p) => p.name.length));
  for (const p of probes) console.log(`${p.name.padEnd(width)}  ${p.loads ? 'loads    ' : 'no       '}  ${p.detail}`);
  const auto = AUTO_BACKENDS.find((b) => probes.find((p) => p.name === b)?.loads);
  if (!values.only) console.log(`automatic choice: ${auto ?? 'none'}${process.env[BACKEND_ENV] ? ` (${BACKEND_ENV}=${process.env[BACKEND_ENV]} overrides it)` : ''}`);
  if (!values.check) return 0;
  let failed = 0;
  for (const p of probes.filter((q) => q.loads && q.name !== 'wasm')) {
    console.log(`\n${p.name} against wasm (max relative difference, tolerance ${PARITY_TOLERANCE}; losses ${LOSS_TOLERANCE}):`);
    const t0 = performance.now();
    for (const r of await kernelParity(p.name, [...KERNEL_CASES, SOFTMAX_CE_CASE])) {
      if (!r.ok) failed++;
      console.log(`  kernel  ${r.name.padEnd(52)} ${fmt(r.maxRelDiff).padStart(7)}  ${r.ok ? 'ok' : 'DIFFERS'}  (${r.kernels.join(', ')})`);
    }
    for (const r of await stepParity(p.name)) {
      if (!r.ok) failed++;
      const what = `${r.task} step, ${r.params.toLocaleString('en-US')} parameters${r.poseCrops ? `, ${r.poseCrops} pose crops` : ''}`;
      const part = r.worstPart[1] > 1e-5 ? ` (${r.worstPart[0]} ${fmt(r.worstPart[1])})` : '';
      console.log(`  step    ${what.padEnd(52)} loss ${fmt(r.lossRelDiff)}${part}, gradients ${fmt(r.gradRelDiff)}, weights ${fmt(r.weightsRelDiff)}  ${r.ok ? 'ok' : 'DIFFERS'}`);
    }
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (failed) console.log(`\n${failed} comparison(s) differ by more than their tolerance`);
  return failed ? 1 : 0;
}
