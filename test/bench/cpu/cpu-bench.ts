// `npm run bench:cpu` — our trainer's step vs the same model's step in PyTorch (Debian's python3-torch),
// side by side in one invocation: per config, both sides warm up, then steps alternate (PyTorch, ours,
// ours, PyTorch, ...) so machine noise hits both alike; medians over ≥ 10 steps. Not part of CI.
//   npm run bench:cpu [-- --configs small32,mnist --steps 10 --warmup 2 --threads 2 --workers 1,2]
// Prints ms/step each, our GFLOP/s vs the same run's wasm matmul GFLOP/s, and one line per config
//   RATIO ours/pytorch <config>: <ours ms ÷ PyTorch ms>
// Writes bench-output/cpu-bench.json.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../../main/engine/backend';
import { trainingStepFlops } from '../../../main/engine/gan/train/flops';
import { DEFAULT_TRAIN } from './configs';
import { BENCH_CONFIGS, torchSpec, type BenchConfig } from './configs';
import { matmulGflops, median, SingleStepper, type OursStepper } from './ours';
import { TorchStepper, torchMissing } from './torch-process';
import { oursStepperFor, PARALLEL_READY } from './variants';

interface Args { configs: string[]; steps: number; warmup: number; threads: number; workers: number[] }

function parse(argv: string[]): Args {
  const get = (k: string) => { const i = argv.indexOf(`--${k}`); return i >= 0 ? argv[i + 1] : undefined; };
  const cores = availableParallelism();
  return {
    configs: (get('configs') ?? 'small32,mnist').split(','),
    steps: Math.max(10, Number(get('steps') ?? 10)),
    warmup: Number(get('warmup') ?? 2),
    threads: Number(get('threads') ?? cores),
    workers: (get('workers') ?? (PARALLEL_READY ? [...new Set([1, cores])] : [1]).join(',')).split(',').map(Number),
  };
}

interface ConfigResult {
  config: string;
  step_gflop: number;
  pytorch_ms: number;
  ours_ms: Record<string, number>;
  ours_gflops: Record<string, number>;
  wasm_matmul_gflops: number;
  ratio: number;
  ratio_variant: string;
  speedup_vs_1_worker?: number;
  pytorch_samples: number[];
  ours_samples: Record<string, number[]>;
}

async function benchConfig(b: BenchConfig, a: Args): Promise<ConfigResult> {
  const torch = await TorchStepper.start(torchSpec(b), a.threads);
  const ours: OursStepper[] = [];
  for (const w of a.workers) ours.push(w === 1 ? new SingleStepper(b) : await oursStepperFor(b, w));
  const flops = trainingStepFlops(b.cfg, b.batch, b.dSteps, DEFAULT_TRAIN.rotatedFraction);
  const mm: number[] = [matmulGflops()];
  try {
    for (let i = 0; i < a.warmup; i++) {
      await torch.step();
      for (const o of ours) await o.step();
    }
    const pt: number[] = [];
    const us: number[][] = ours.map(() => []);
    for (let i = 0; i < a.steps; i++) {
      // Alternate the order every round so neither side always runs right after the other.
      const order = i % 2 === 0 ? ['torch', ...ours.keys()] : [...[...ours.keys()].reverse(), 'torch'];
      for (const who of order) {
        if (who === 'torch') pt.push(await torch.step());
        else us[who as number]!.push(await ours[who as number]!.step());
      }
      if (i % 3 === 2) mm.push(matmulGflops());
      process.stderr.write(`  ${b.name} round ${i + 1}/${a.steps}: pytorch ${pt.at(-1)!.toFixed(0)} ms, ours ${us.map((u) => u.at(-1)!.toFixed(0)).join(' / ')} ms\n`);
    }
    mm.push(matmulGflops());
    const oursMs = Object.fromEntries(ours.map((o, k) => [o.label, median(us[k]!)]));
    const best = ours[ours.length - 1]!; // the widest variant is what `s3gan train` uses by default (N = cores)
    const ptMs = median(pt);
    const one = ours.findIndex((o) => o.label === '1 thread');
    return {
      config: b.name, step_gflop: flops / 1e9, pytorch_ms: ptMs, ours_ms: oursMs,
      ours_gflops: Object.fromEntries(Object.entries(oursMs).map(([k, ms]) => [k, flops / (ms / 1000) / 1e9])),
      wasm_matmul_gflops: median(mm), ratio: oursMs[best.label]! / ptMs, ratio_variant: best.label,
      ...(one >= 0 && ours.length > 1 ? { speedup_vs_1_worker: median(us[one]!) / oursMs[best.label]! } : {}),
      pytorch_samples: pt, ours_samples: Object.fromEntries(ours.map((o, k) => [o.label, us[k]!])),
    };
  } finally {
    await torch.close();
    for (const o of ours) await o.close();
  }
}

async function main(): Promise<number> {
  const a = parse(process.argv.slice(2));
  const missing = torchMissing();
  if (missing) {
    console.error(missing);
    return 3;
  }
  const unknown = a.configs.filter((c) => !BENCH_CONFIGS[c]);
  if (unknown.length) {
    console.error(`Unknown config(s) ${unknown.join(', ')}; known: ${Object.keys(BENCH_CONFIGS).join(', ')}`);
    return 2;
  }
  const backend = await selectBackend({ prefer: 'wasm' });
  if (backend.backend !== 'wasm') throw new Error(`wasm backend unavailable (got ${backend.backend})`);
  const results: ConfigResult[] = [];
  for (const name of a.configs) {
    const b = BENCH_CONFIGS[name]!();
    console.error(`== ${name}: ${b.cfg.resolution}px ch ${b.cfg.ch} c${b.cfg.channels} batch ${b.batch}, ${b.dSteps} D steps, s3gan heads`);
    const r = await benchConfig(b, a);
    results.push(r);
    const ours = Object.entries(r.ours_ms).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms (${r.ours_gflops[k]!.toFixed(2)} GFLOP/s)`).join(', ');
    console.log(`${name}: ${r.step_gflop.toFixed(2)} GFLOP/step; pytorch ${r.pytorch_ms.toFixed(0)} ms/step (${a.threads} threads); ours ${ours}`);
    console.log(`${name}: wasm matmul ${r.wasm_matmul_gflops.toFixed(2)} GFLOP/s (1 thread) → ours at ${(100 * r.ours_gflops['1 thread']! / r.wasm_matmul_gflops).toFixed(0)}% of it per thread`
      + (r.speedup_vs_1_worker ? `; ${r.ratio_variant} vs 1 thread speed-up ×${r.speedup_vs_1_worker.toFixed(2)}` : ''));
    console.log(`RATIO ours/pytorch ${name}: ${r.ratio.toFixed(2)}`);
  }
  mkdirSync('bench-output', { recursive: true });
  const out = { finishedAt: new Date().toISOString(), node: process.version, backend: backend.version, tfNumTensors: tf.memory().numTensors, args: a, results };
  writeFileSync(join('bench-output', 'cpu-bench.json'), `${JSON.stringify(out, null, 1)}\n`);
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
