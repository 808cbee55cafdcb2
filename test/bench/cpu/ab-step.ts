// Before/after of one optimisation on a whole training step, in one process: the step alternates
// between "before" and "after" states (order flipped every round), medians of each, and the ratio.
//   npx tsx test/bench/cpu/ab-step.ts <toggle> [config=mnist] [rounds=8]
// A toggle switches one optimisation off (before) and on (after) at run time — see TOGGLES.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { selectBackend } from '../../../main/engine/backend';
import { loadNativeKernels } from '../../../main/engine/backend/native-addon';
import { registerNativeKernels, unregisterNativeKernels } from '../../../main/engine/backend/native-kernels';
import { original, wasmPoolKernelOverrides } from '../../../main/engine/backend/wasm-pool-kernels';
import { BENCH_CONFIGS } from './configs';
import { median, SingleStepper } from './ours';

interface Toggle { before(): void; after(): void }

/** before: the kernels an override replaced; after: the overrides. */
function swapKernels(mine: KernelConfig[]): Toggle {
  const originals = mine.map((k) => ({ ...k, kernelFunc: original(k.kernelName) }));
  const use = (set: KernelConfig[]) => () => {
    for (const k of set) {
      tf.unregisterKernel(k.kernelName, k.backendName);
      tf.registerKernel(k);
    }
  };
  return { before: use(originals), after: use(mine) };
}

const TOGGLES: Record<string, () => Promise<Toggle>> = {
  pool: () => Promise.resolve(swapKernels(wasmPoolKernelOverrides())),
  // before: wasm's conv kernels (and ours in wasm-kernels.ts); after: the OpenBLAS addon's
  native: () => {
    const { kernels, status } = loadNativeKernels();
    if (!kernels) return Promise.reject(new Error(`native kernels not loaded: ${status.reason}`));
    return Promise.resolve({ before: unregisterNativeKernels, after: () => registerNativeKernels(kernels) });
  },
};

async function main(): Promise<void> {
  const [name = 'pool', config = 'mnist', roundsArg = '8'] = process.argv.slice(2);
  await selectBackend({ prefer: 'wasm' });
  const toggle = await TOGGLES[name]!();
  const s = new SingleStepper(BENCH_CONFIGS[config]!());
  toggle.before();
  await s.step();
  toggle.after();
  await s.step();
  const t: Record<'before' | 'after', number[]> = { before: [], after: [] };
  for (let r = 0; r < Number(roundsArg); r++) {
    for (const side of (r % 2 ? ['after', 'before'] : ['before', 'after']) as ('before' | 'after')[]) {
      toggle[side]();
      t[side].push(await s.step());
    }
  }
  const [b, a] = [median(t.before), median(t.after)];
  console.log(`${name} on ${config}: before ${b.toFixed(0)} ms/step, after ${a.toFixed(0)} ms/step, after/before ${(a / b).toFixed(3)} (medians of ${t.before.length}, alternating)`);
  console.log(JSON.stringify(t));
  await s.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
