// Builds the MNIST demo project through the engine's own requests (as a user would): digits written
// as 28×28 gray PNGs into <out>/images/<digit>/, project created in <out>, classes "0".."9", K hand
// labels per class (unevenly spread, ≥ 1 each), every other digit's label stored as evaluation truth.
// <out>/demo.json is written last: it marks a finished setup that later runs reuse.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ContractError, type Params, type RequestName, type Result } from '../../../shared/contract';
import { loadMnistSubset, MNIST_SIZE } from '../data/mnist';
import { readJsonOrNull, writeJsonAtomic } from './stage-files';

export type CallFn = <K extends RequestName>(name: K, params: Params<K>) => Promise<Result<K>>;

export interface DemoSpec {
  images: number;
  labelsPerClass: number;
  seed: number;
}

/** Progress and cancellation when the setup runs as an engine job (the CLI passes none). */
export interface DemoJob {
  progress(done: number, total: number, phase?: string, message?: string): void;
  throwIfCancelled(): void;
}

export interface DemoInfo extends DemoSpec {
  handLabels: number;
  truth: number;
  createdAt: string;
}

/** Present in <out> while a setup runs: an interrupted one is rebuilt from scratch next time. */
export const IN_PROGRESS = '.demo-setup-in-progress';

/** Hand labels per digit: K with offsets (+2, −2, +1, −1, 0, …) so classes differ, never below 1. */
export function unevenLabelCounts(k: number, classes = 10): number[] {
  const offsets = [2, -2, 1, -1, 0];
  return Array.from({ length: classes }, (_, c) => Math.max(1, k + (k > 2 ? offsets[c % offsets.length]! : 0)));
}

/** Opens <out> if it already holds this demo, else creates it; returns the demo's description. */
export async function prepareDemoProject(out: string, spec: DemoSpec, call: CallFn, log: (m: string) => void, job?: DemoJob): Promise<{ info: DemoInfo; reused: boolean }> {
  const marker = join(out, 'demo.json');
  const existing = readJsonOrNull<DemoInfo>(marker);
  if (existing) {
    if (existing.images !== spec.images || existing.labelsPerClass !== spec.labelsPerClass || existing.seed !== spec.seed) {
      throw new ContractError('CONFLICT', `${out} holds a demo with --images ${existing.images} --labels-per-class ${existing.labelsPerClass} (seed ${existing.seed}); use another --out or the same options`);
    }
    await call('project.open', { path: out });
    return { info: existing, reused: true };
  }
  if (existsSync(join(out, IN_PROGRESS))) rmSync(out, { recursive: true, force: true }); // an interrupted setup of ours
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new ContractError('CONFLICT', `${out} exists and is not an MNIST demo project: choose an empty or new --out folder`);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, IN_PROGRESS), '');

  log(`Writing ${spec.images} MNIST digits as PNGs into ${join(out, 'images')}`);
  const subset = loadMnistSubset({ count: spec.images, seed: spec.seed });
  const rels = await writeDigitPngs(join(out, 'images'), subset, job);

  await call('project.create', { path: out, name: 'MNIST demo' });
  await call('project.settings', { resolution: MNIST_SIZE, channels: '1' });
  const classIds: string[] = [];
  for (let d = 0; d < 10; d++) classIds.push((await call('classes.add', { name: String(d) })).id);
  log('Importing the digits');
  const report = await call('images.import', { folders: [join(out, 'images')] });
  job?.throwIfCancelled();
  job?.progress(0, 1, 'labeling', 'hand labels and truth');
  if (report.imported !== subset.n) log(`note: ${report.imported} of ${subset.n} digits imported (${report.duplicates} duplicates, ${report.failed.length} failed)`);

  const idByRel = new Map((await call('images.list', {})).items.map((it) => [it.rel.replace(/\\/g, '/'), it.id]));
  const counts = unevenLabelCounts(spec.labelsPerClass);
  const handByClass: string[][] = classIds.map(() => []);
  const truthRows: string[] = [];
  rels.forEach((rel, i) => {
    const digit = subset.labels[i]!;
    const id = idByRel.get(rel);
    if (!id) return;
    if (handByClass[digit]!.length < counts[digit]!) handByClass[digit]!.push(id);
    else truthRows.push(`${rel},${digit}`);
  });
  let handLabels = 0;
  for (let d = 0; d < 10; d++) {
    if (handByClass[d]!.length === 0) continue;
    handLabels += (await call('labels.set', { ids: handByClass[d]!, classId: classIds[d]!, source: 'hand' })).applied;
  }
  const truthCsv = join(out, 'truth.csv');
  writeFileSync(truthCsv, `path,label\n${truthRows.join('\n')}\n`);
  const truth = await call('labels.import', { file: truthCsv, truth: true });
  log(`${handLabels} hand labels (${counts.join('/')} per digit), ${truth.applied} digits with truth kept apart`);

  const info: DemoInfo = { ...spec, handLabels, truth: truth.applied, createdAt: new Date().toISOString() };
  await writeJsonAtomic(marker, info);
  rmSync(join(out, IN_PROGRESS), { force: true });
  return { info, reused: false };
}

/** images/<digit>/<digit>-<index in the package>.png; returns each image's path relative to images/. */
async function writeDigitPngs(dir: string, subset: ReturnType<typeof loadMnistSubset>, job?: DemoJob): Promise<string[]> {
  const rels: string[] = [];
  const pixels = MNIST_SIZE * MNIST_SIZE;
  for (let d = 0; d < 10; d++) mkdirSync(join(dir, String(d)), { recursive: true });
  for (let start = 0; start < subset.n; start += 32) {
    job?.throwIfCancelled();
    job?.progress(start, subset.n, 'writing digits');
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(subset.n, start + 32); i++) {
      const rel = `${subset.labels[i]}/${subset.labels[i]}-${subset.sourceIndex[i]}.png`;
      rels.push(rel);
      const raw = Buffer.from(subset.images.subarray(i * pixels, (i + 1) * pixels));
      batch.push(sharp(raw, { raw: { width: MNIST_SIZE, height: MNIST_SIZE, channels: 1 } }).png().toFile(join(dir, rel)));
    }
    await Promise.all(batch);
  }
  job?.progress(subset.n, subset.n, 'writing digits');
  return rels;
}
