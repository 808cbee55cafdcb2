// The longer GAN bench (documented, not in CI, not in `npm run bench`): S³GAN vs `supervised` (the
// paper's BigGAN-k%: hand-labeled images only) vs `clustering` on the MNIST demo project at 5% hand
// labels — the same model config and number of steps for each, then FD-SS / KID-SS / CAS per method
// and each run's grid side by side. It drives the real `s3gan` CLI, one process per run.
//
//   npm run bench:methods -- [--project DIR] [--steps N] [--methods s3gan,supervised,clustering]
//                            [--resolution R] [--ch C] [--batch B] [--reuse method=RUN ...]
//
// --project: a project with features, clusters and inferred labels (default: created with
//   `s3gan demo --images 1000 --labels-per-class 5` in bench-output/tmp/gan-methods).
// --reuse s3gan=RUN: evaluate an existing run of that method at --steps instead of training a new one
//   (its config must match; the GAN trainer has no schedule that depends on the run's total steps).
// Writes bench-output/gan-methods.json, bench-output/GAN-METHODS.md and bench-output/gan-methods/<method>.png.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = process.cwd();
const OUT = join(root, 'bench-output');
const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const reuse = new Map(argv.flatMap((a, i) => (argv[i - 1] === '--reuse' ? [a.split('=') as [string, string]] : [])));
const steps = Number(flag('steps', '2000'));
const methods = flag('methods', 's3gan,supervised,clustering').split(',');
const model = ['--resolution', flag('resolution', '16'), '--ch', flag('ch', '8'), '--batch', flag('batch', '32')];

function s3gan(args: string[]): Record<string, unknown> {
  console.error(`$ s3gan ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [join(root, 'bin', 's3gan.js'), ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0) throw new Error(`s3gan ${args[0]} failed (${r.status}): ${last}`);
  return JSON.parse(last) as Record<string, unknown>;
}

function project(): string {
  const given = argv.includes('--project') ? resolve(flag('project', '')) : null;
  if (given) return given;
  const dir = join(OUT, 'tmp', 'gan-methods');
  if (!existsSync(join(dir, 'infer', 'result.json'))) s3gan(['demo', '--out', dir, '--images', '1000', '--labels-per-class', '5', '--train-steps', '0']);
  return dir;
}

interface Row {
  method: string;
  run: string;
  step: number;
  seconds: number | null;
  img_per_s: number | null;
  metrics: Record<string, number>;
}

function main(): void {
  const dir = project();
  mkdirSync(join(OUT, 'gan-methods'), { recursive: true });
  const rows: Row[] = [];
  for (const method of methods) {
    let run = reuse.get(method);
    let seconds: number | null = null;
    let imgPerS: number | null = null;
    if (!run) {
      const t = Date.now();
      const r = s3gan(['train', dir, '--method', method, '--steps', String(steps), ...model, '--grid-every', String(steps), '--checkpoint-every', String(steps), '--seed', '1']);
      seconds = (Date.now() - t) / 1000;
      run = String(r.run);
      imgPerS = Number(r.img_per_s);
    }
    const e = s3gan(['eval', dir, '--run', run, '--step', String(steps)]);
    s3gan(['sample', dir, '--run', run, '--step', String(steps), '--out', join(OUT, 'gan-methods', `${method}.png`)]);
    rows.push({ method, run, step: Number(e.step), seconds, img_per_s: imgPerS, metrics: e.metrics as Record<string, number> });
    writeResults(dir, rows);
  }
}

function writeResults(dir: string, rows: Row[]): void {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const md = [
    `# S³GAN vs supervised vs clustering (\`npm run bench:methods\`)`,
    '',
    `Project ${dir.replace(root, '.')}; ${steps} steps each, ${model.join(' ')}; ${new Date().toISOString()}, ${process.platform} ${process.arch}, Node ${process.version}.`,
    'FD-SS / KID-SS: Fréchet distance / KID in the project\'s frozen self-supervised feature space (lower is better; `*_floor` = real half B vs real half A, the same m per side as the score; KID subsets without replacement).',
    'CAS: accuracy of the S⁴L classifier (trained on hand labels) on generated images of each class; `cas_truth` uses a classifier trained on truth (evaluation only).',
    '`diversity_ss`: within-class spread of generated samples over that of real images of the class (≈ 1 as varied as the data, → 0 when G ignores z).',
    '',
    `| method | run | step | ${keys.join(' | ')} |`,
    `|---|---|---|${keys.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.method} | ${r.run} | ${r.step} | ${keys.map((k) => (r.metrics[k] === undefined ? '' : round(r.metrics[k]!))).join(' | ')} |`),
    '',
    ...rows.map((r) => `![${r.method}](gan-methods/${r.method}.png)`),
    '',
  ].join('\n');
  writeFileSync(join(OUT, 'GAN-METHODS.md'), md);
  writeFileSync(join(OUT, 'gan-methods.json'), `${JSON.stringify({ steps, model, rows }, null, 2)}\n`);
}

function round(v: number): string {
  return String(Number(v.toPrecision(3)));
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
