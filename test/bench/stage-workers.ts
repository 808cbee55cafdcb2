// Benchmark (a script, not a test): one epoch of rotation pretraining (the features stage) and one of
// S⁴L (the infer stage) on 1 thread vs N data-parallel workers, with the stages' own settings (default
// encoder for the resolution, 32 images a step, the same learning rates), on MNIST digits (28 px gray)
// and on synthetic 32 px colour images (CIFAR-10's shape). Writes bench-output/STAGE-WORKERS.md.
//   npm run bench:stage-workers
//   IMAGES=2000 (per dataset)  WORKERS=2  DATA=mnist,rgb  BACKEND=wasm  OUT=bench-output/STAGE-WORKERS.md
// It also reports the largest weight difference (relative L2 per tensor) between the 1-thread and the
// N-worker run: with synced batch norm only the order of sums differs, which an epoch of Adam steps can
// amplify but not into a different model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { Dataset } from '../../main/engine/base/dataset';
import { seededRng } from '../../main/engine/base/prng';
import { selectBackend } from '../../main/engine/backend/index';
import { loadMnistSubset, MNIST_SIZE } from '../../main/engine/data/mnist';
import { EncoderRanks } from '../../main/engine/selfsup/parallel/ranks';
import { defaultEncoderConfig, disposeEncoder, serializeEncoder, trainRotationEncoder, type EncoderState } from '../../main/engine/selfsup/rotation';
import { trainS4L } from '../../main/engine/selfsup/s4l';

const IMAGES = Number(process.env.IMAGES ?? 2000);
const WORKERS = Number(process.env.WORKERS ?? 2);
const DATA = (process.env.DATA ?? 'mnist,rgb').split(',');
const BACKEND = (process.env.BACKEND ?? 'wasm') as 'wasm' | 'cpu';
const OUT = process.env.OUT ?? join(process.cwd(), 'bench-output', 'STAGE-WORKERS.md');
const FEATURE_EPOCHS = 16; // the features stage's default up to 5,000 images: epoch 1 of 16 of its schedule
const LABELED = 0.1;

const classes = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `class ${i}`, color: '#808080' }));

function withLabels(pixels: Uint8Array, side: number, channels: 1 | 3, truth: Int32Array): Dataset {
  const n = truth.length;
  const rng = seededRng(11);
  const handLabels = Int32Array.from(truth, (c) => (rng() < LABELED ? c : -1));
  return { ids: Array.from({ length: n }, (_, i) => `img${i}`), n, height: side, width: side, channels, pixels, classes, handLabels, truth: null };
}

function mnist(n: number): Dataset {
  const s = loadMnistSubset({ count: n, seed: 5 });
  return withLabels(s.images, MNIST_SIZE, 1, Int32Array.from(s.labels));
}

/** 32 px RGB: per class a coloured gradient at its own angle plus noise (content does not change the cost). */
function rgb(n: number): Dataset {
  const side = 32;
  const pixels = new Uint8Array(n * side * side * 3);
  const truth = new Int32Array(n);
  const rng = seededRng(3);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    truth[i] = c;
    const angle = (c / 10) * Math.PI;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const t = ((x - 16) * Math.cos(angle) + (y - 16) * Math.sin(angle)) / 32 + 0.5;
        for (let k = 0; k < 3; k++) pixels[((i * side + y) * side + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(255 * t * ((c + k) % 3 === 0 ? 1 : 0.5) + 40 * (rng() - 0.5))));
      }
    }
  }
  return withLabels(pixels, side, 3, truth);
}

interface Timing { seconds: number; stepsSeconds: number; steps: number; loss: number }

async function timed<T>(fn: (onStep: (i: { step: number; total: number; loss: number }) => void) => Promise<T>): Promise<{ result: T; timing: Timing }> {
  const t0 = performance.now();
  let last = { at: t0, steps: 0, loss: NaN };
  const result = await fn((i) => { last = { at: performance.now(), steps: i.step, loss: i.loss }; });
  return { result, timing: { seconds: (performance.now() - t0) / 1000, stepsSeconds: (last.at - t0) / 1000, steps: last.steps, loss: last.loss } };
}

/** The largest relative L2 difference of one tensor (‖a − b‖ / ‖a‖), and which: absolute differences
 * mislead, batch norm's moving variances are in the tens. */
function maxWeightDiff(a: EncoderState, b: EncoderState): { rel: number; name: string } {
  const wb = new Map(serializeEncoder(b).weights.map((w) => [w.name, w.data]));
  let worst = { rel: 0, name: '' };
  for (const w of serializeEncoder(a).weights) {
    const other = wb.get(w.name)!;
    let num = 0;
    let den = 0;
    w.data.forEach((v, i) => { num += (v - other[i]!) ** 2; den += v * v; });
    const rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
    if (rel > worst.rel) worst = { rel, name: w.name };
  }
  return worst;
}

interface Row { data: string; stage: string; workers: number; t: Timing; diff?: { rel: number; name: string } }

async function bench(name: string, ds: Dataset, ranks: EncoderRanks): Promise<Row[]> {
  const config = defaultEncoderConfig(Math.max(ds.height, 8), ds.channels);
  const rows: Row[] = [];
  const encoders: EncoderState[] = [];
  for (const w of [1, WORKERS]) {
    console.error(`${name}: features epoch on ${w} worker(s)…`);
    const f = await timed((onStep) => trainRotationEncoder(ds, { config, epochs: 1, lr: 2e-3, schedule: { epoch: 0, epochs: FEATURE_EPOCHS }, ...(w > 1 ? { workers: ranks } : {}) }, { onStep }));
    encoders.push(f.result.state);
    rows.push({ data: name, stage: 'features (rotation, 1 epoch)', workers: w, t: f.timing, ...(w > 1 ? { diff: maxWeightDiff(encoders[0]!, f.result.state) } : {}) });
  }
  for (const w of [1, WORKERS]) {
    console.error(`${name}: infer epoch on ${w} worker(s)…`);
    const s = await timed((onStep) => trainS4L(ds, { config, epochs: 1, init: encoders[0], ...(w > 1 ? { workers: ranks } : {}) }, { onStep }));
    rows.push({ data: name, stage: 'infer (S⁴L, 1 epoch + predict all)', workers: w, t: s.timing });
  }
  encoders.forEach(disposeEncoder);
  return rows;
}

async function main(): Promise<void> {
  const info = await selectBackend({ prefer: BACKEND });
  if (info.backend !== BACKEND) throw new Error(`${BACKEND} backend unavailable (got ${info.backend})`);
  const load = [loadavg()[0]!];
  const ranks = await EncoderRanks.start({ workers: WORKERS, backend: BACKEND });
  const rows: Row[] = [];
  try {
    for (const d of DATA) rows.push(...(await bench(d === 'mnist' ? `MNIST ${IMAGES} × 28 px gray` : `synthetic ${IMAGES} × 32 px RGB`, d === 'mnist' ? mnist(IMAGES) : rgb(IMAGES), ranks)));
  } finally {
    await ranks.close();
  }
  load.push(loadavg()[0]!);
  const single = new Map(rows.filter((r) => r.workers === 1).map((r) => [`${r.data}|${r.stage}`, r.t]));
  const fmt = (x: number, d = 1) => x.toFixed(d);
  const md = [
    '# Features and infer stages: 1 thread vs data-parallel workers',
    '',
    `\`npm run bench:stage-workers\` (IMAGES=${IMAGES}, WORKERS=${WORKERS}, DATA=${DATA.join(',')}), ${new Date().toISOString()}.`,
    `Backend ${info.backend}${info.nativeKernels ? ` (native kernels: ${info.nativeKernels.loaded ? 'loaded' : 'not loaded'})` : ''}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); 1-min load average ${fmt(load[0]!, 2)} at the start, ${fmt(load[1]!, 2)} at the end (other work on the machine slows both columns).`,
    'One epoch with the stages\' settings: default encoder, 32 images per step (S⁴L: + 32 hand-labeled), 10 % of the images hand-labeled; synced batch norm. "steps" = time to the last training step; the infer call also predicts every image afterwards on one thread.',
    '',
    '| data | stage | workers | steps | steps s | call s | speed-up (steps) | last loss | weights vs 1 thread (worst tensor, relative L2) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const base = single.get(`${r.data}|${r.stage}`)!;
      const speed = r.workers > 1 ? `${fmt(base.stepsSeconds / r.t.stepsSeconds, 2)}×` : '';
      return `| ${r.data} | ${r.stage} | ${r.workers} | ${r.t.steps} | ${fmt(r.t.stepsSeconds)} | ${fmt(r.t.seconds)} | ${speed} | ${fmt(r.t.loss, 4)} | ${r.diff !== undefined ? `${r.diff.rel.toExponential(1)} (${r.diff.name})` : ''} |`;
    }),
    '',
  ].join('\n');
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, md);
  console.log(md);
}

await main();
