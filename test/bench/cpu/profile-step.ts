// Per-kernel time of one training step on wasm (tf.profile), for docs/perf-notes.md:
//   npx tsx test/bench/cpu/profile-step.ts [mnist|small32] [steps=2]
// Sums kernelTimeMs by kernel name (and by kernel + input shape for the top entries) over the steps.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../main/engine/backend';
import { BENCH_CONFIGS } from './configs';
import { SingleStepper } from './ours';

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'mnist';
  const steps = Number(process.argv[3] ?? 2);
  await selectBackend({ prefer: 'wasm' });
  const b = BENCH_CONFIGS[name]!();
  const s = new SingleStepper(b);
  await s.step();
  const byKernel = new Map<string, { ms: number; n: number }>();
  const byShape = new Map<string, { ms: number; n: number }>();
  let wall = 0;
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    const info = await tf.profile(() => { void s.step(); });
    wall += performance.now() - t;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const add = (m: Map<string, { ms: number; n: number }>, key: string) => {
        const e = m.get(key) ?? { ms: 0, n: 0 };
        e.ms += ms / steps;
        e.n += 1 / steps;
        m.set(key, e);
      };
      add(byKernel, k.name);
      add(byShape, `${k.name} ${k.inputShapes.map((sh) => `[${sh?.join(',')}]`).join(' ')}`);
    }
  }
  const total = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`${name}: profiled step wall ${(wall / steps).toFixed(0)} ms (profiling adds overhead), kernel sum ${total.toFixed(0)} ms`);
  const rows = (m: Map<string, { ms: number; n: number }>, top: number) => [...m.entries()].sort((p, q) => q[1].ms - p[1].ms).slice(0, top)
    .map(([k, e]) => `| ${k} | ${e.ms.toFixed(1)} | ${(100 * e.ms / total).toFixed(1)}% | ${e.n.toFixed(0)} |`);
  console.log('| kernel | ms/step | share | calls/step |\n|---|---|---|---|');
  console.log(rows(byKernel, 20).join('\n'));
  console.log('\n| kernel + input shapes | ms/step | share | calls/step |\n|---|---|---|---|');
  console.log(rows(byShape, 25).join('\n'));
  await s.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
