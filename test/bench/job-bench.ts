// `npm run bench:job` (issue 13, not in CI): ms per training step of the PyTorch job vs the app's own
// trainer on the same run config — S³GAN at the CPU defaults (32 px, ch 8, D ch 16, batch 32, 2 D steps)
// on the MNIST demo's 1,000 digits with 5 hand labels per class — with 1 and 2 processes each: the app's
// data-parallel workers (--workers) and the job's torchrun processes (NPROC_PER_NODE, 1 torch thread
// each, plus one process on 2 threads: torch's default here). Each run is a real run (the app through
// its train.start request, the job through train.exportJob + its run.sh); the figure is the median of
// the step times both write to metrics.jsonl (step_s, logged every step), after a warm-up.
//   npm run bench:job -- [--steps 40] [--warmup 5] [--images 1000]
// Writes bench-output/JOB.md and bench-output/job-bench.json. Run it on a quiet machine: it measures time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload, Params, RequestName, Result } from '../../shared/contract';
import type { Handler } from '../../main/engine/base/handlers';
import { prepareDemoProject } from '../../main/engine/pipeline/demo-project';
import { createEngine } from '../../main/engine/service';
import { freePort } from '../resources/pytorch-job/launch';
import { PYTHON, torchMissing } from './cpu/torch-process';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const STEPS = arg('steps', 40);
const WARMUP = arg('warmup', 5);
const IMAGES = arg('images', 1000);
const OUT = join(process.cwd(), 'bench-output');
const CONFIG = { method: 's3gan' as const, resolution: 32, ch: 8, dCh: 16, batch: 32, dSteps: 2, seed: 1, steps: STEPS, logEvery: 1, checkpointEvery: STEPS, gridEvery: 0, evalEvery: 0 };

interface Row { trainer: string; processes: number; threads: string; msPerStep: number; imgPerS: number; steps: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Median step time (ms) of the logged rows after the warm-up. */
function stepTimes(runDir: string): { ms: number; n: number } {
  const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>)
    .filter((r) => typeof r.step_s === 'number' && r.step! > WARMUP);
  if (rows.length === 0) throw new Error(`no step times after step ${WARMUP} in ${runDir}/metrics.jsonl`);
  return { ms: median(rows.map((r) => r.step_s! * 1000)), n: rows.length };
}

function cpuName(): string {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  } catch {
    return cpus()[0]?.model ?? '?';
  }
}

async function main(): Promise<void> {
  const missing = torchMissing();
  if (missing) throw new Error(missing);
  const work = mkdtempSync(join(tmpdir(), 's3gan-job-bench-'));
  const emit = <E extends EventName>(_e: E, _p: EventPayload<E>) => undefined;
  const engine = createEngine({ emit, mode: 'cli' });
  const call = <K extends RequestName>(name: K, params: Params<K>) => (engine.handlers[name] as Handler<K>)(params, { emit }) as Promise<Result<K>>;
  const rows: Row[] = [];
  let backend = '?';
  let torch = '?';
  try {
    const project = join(work, 'mnist');
    await prepareDemoProject(project, { images: IMAGES, labelsPerClass: 5, seed: 1 }, call, (m) => console.error(m));
    for (const workers of [1, 2]) {
      console.error(`app trainer, ${workers} worker(s), ${STEPS} steps…`);
      const r = await call('train.start', { ...CONFIG, workers });
      backend = r.backend;
      const t = stepTimes(join(project, 'runs', r.run));
      rows.push({ trainer: `app (${r.backend})`, processes: workers, threads: '1 per worker', msPerStep: t.ms, imgPerS: CONFIG.batch / (t.ms / 1000), steps: t.n });
    }
    for (const [nproc, threads] of [[1, 1], [2, 1], [1, 2]] as const) {
      console.error(`PyTorch job, ${nproc} process(es) × ${threads} thread(s), ${STEPS} steps…`);
      const out = join(work, `job-${nproc}x${threads}`);
      await call('train.exportJob', { ...CONFIG, out });
      const run = spawnSync('bash', [join(out, 'run.sh'), '--threads', String(threads)], {
        encoding: 'utf8', env: { ...process.env, PYTHON, NPROC_PER_NODE: String(nproc), MASTER_PORT: String(await freePort()), OMP_NUM_THREADS: String(threads) },
      });
      if (run.status !== 0) throw new Error(`the job failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
      torch = (JSON.parse(readFileSync(join(out, 'run', 'origin.json'), 'utf8')) as { torch: string }).torch;
      const t = stepTimes(join(out, 'run'));
      rows.push({ trainer: `PyTorch job (torch ${torch})`, processes: nproc, threads: `${threads} per process`, msPerStep: t.ms, imgPerS: CONFIG.batch / (t.ms / 1000), steps: t.n });
    }
  } finally {
    await engine.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const when = new Date().toISOString();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'job-bench.json'), `${JSON.stringify({ when, commit, cpu: cpuName(), cores: cpus().length, backend, torch, config: CONFIG, warmup: WARMUP, rows }, null, 1)}\n`);
  const md = [
    '# PyTorch job vs the app\'s trainer (ms per step)', '',
    `\`npm run bench:job\` at ${commit}, ${when.slice(0, 10)}: ${cpuName()}, ${cpus().length} cores, no GPU. S³GAN on the MNIST demo (${IMAGES.toLocaleString('en')} digits, 5 hand labels per class) at the CPU defaults: ${CONFIG.resolution} px, ch ${CONFIG.ch}, D ch ${CONFIG.dCh}, batch ${CONFIG.batch}, ${CONFIG.dSteps} D steps per G step. One step = ${CONFIG.dSteps} D updates + 1 G update + EMA; median of the step times each trainer logs (steps ${WARMUP + 1}–${STEPS}).`, '',
    '| trainer | processes | threads | ms / step | images / s |', '|---|---:|---|---:|---:|',
    ...rows.map((r) => `| ${r.trainer} | ${r.processes} | ${r.threads} | ${Math.round(r.msPerStep)} | ${r.imgPerS.toFixed(1)} |`), '',
  ].join('\n');
  writeFileSync(join(OUT, 'JOB.md'), md);
  console.log(md);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
