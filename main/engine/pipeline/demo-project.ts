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

  const counts = unevenLabelCounts(spec.labelsPerClass);
  // the first counts[d] imported digits of each class (in subset order) get hand labels, the rest truth
  const firstPerClass = (imported: number[]) => {
    const taken = counts.map(() => 0);
    return new Set(imported.filter((i) => {
      const digit = subset.labels[i]!;
      if (taken[digit]! >= counts[digit]!) return false;
      taken[digit]! += 1;
      return true;
    }));
  };
  const made = await createLabeledProject(out, {
    name: 'MNIST demo', settings: { resolution: MNIST_SIZE, channels: '1' }, classNames: Array.from({ length: 10 }, (_, d) => String(d)),
    imagesDir: join(out, 'images'), rels, labels: subset.labels, hand: firstPerClass,
  }, call, log, job);
  const handLabels = made.handLabels;
  log(`${handLabels} hand labels (${counts.join('/')} per digit), ${made.truth} digits with truth kept apart`);

  const info: DemoInfo = { ...spec, handLabels, truth: made.truth, createdAt: new Date().toISOString() };
  await writeJsonAtomic(marker, info);
  rmSync(join(out, IN_PROGRESS), { force: true });
  return { info, reused: false };
}

export interface LabeledProjectSpec {
  name: string;
  /** Project settings to set before importing (unset fields keep the project defaults). */
  settings?: Partial<Params<'project.settings'>>;
  /** Class names in label order: label c is classNames[c]. */
  classNames: string[];
  /** The folder of images to import (already written). */
  imagesDir: string;
  /** Path of image i relative to imagesDir ("/"-separated). */
  rels: string[];
  /** True class of image i. */
  labels: ArrayLike<number>;
  /** Picks the images (indices into rels) that get a hand label among the imported ones (ascending). */
  hand: (imported: number[]) => ReadonlySet<number>;
  /** Also store truth for hand-labeled images (benches that change hand labels later); default false. */
  truthForAll?: boolean;
}

/**
 * A project in `out` built through the engine's requests, as a user would: create, settings, classes,
 * import the folder, hand labels for `spec.hand`, every other image's label imported as evaluation
 * truth. Returns the project id of each image (undefined where the import skipped it, e.g. a duplicate).
 */
export async function createLabeledProject(out: string, spec: LabeledProjectSpec, call: CallFn, log: (m: string) => void, job?: DemoJob): Promise<{ ids: (string | undefined)[]; handLabels: number; truth: number }> {
  await call('project.create', { path: out, name: spec.name });
  if (spec.settings) await call('project.settings', spec.settings);
  const classIds: string[] = [];
  for (const name of spec.classNames) classIds.push((await call('classes.add', { name })).id);
  log(`Importing the ${spec.rels.length} images`);
  const report = await call('images.import', { folders: [spec.imagesDir] });
  job?.throwIfCancelled();
  job?.progress(0, 1, 'labeling', 'hand labels and truth');
  if (report.imported !== spec.rels.length) log(`note: ${report.imported} of ${spec.rels.length} images imported (${report.duplicates} duplicates, ${report.failed.length} failed)`);

  const idByRel = new Map((await call('images.list', {})).items.map((it) => [it.rel.replace(/\\/g, '/'), it.id]));
  const ids = spec.rels.map((rel) => idByRel.get(rel));
  const hand = spec.hand(ids.flatMap((id, i) => (id ? [i] : [])));
  const handByClass: string[][] = classIds.map(() => []);
  const truthRows: string[] = [];
  spec.rels.forEach((rel, i) => {
    const id = ids[i];
    if (!id) return;
    const c = spec.labels[i]!;
    if (hand.has(i)) handByClass[c]!.push(id);
    if (!hand.has(i) || spec.truthForAll) truthRows.push(`${csvField(rel)},${csvField(spec.classNames[c]!)}`);
  });
  let handLabels = 0;
  for (let c = 0; c < classIds.length; c++) {
    if (handByClass[c]!.length === 0) continue;
    handLabels += (await call('labels.set', { ids: handByClass[c]!, classId: classIds[c]!, source: 'hand' })).applied;
  }
  let truth = 0;
  if (truthRows.length) {
    const truthCsv = join(out, 'truth.csv');
    writeFileSync(truthCsv, `path,label\n${truthRows.join('\n')}\n`);
    truth = (await call('labels.import', { file: truthCsv, truth: true })).applied;
  }
  return { ids, handLabels, truth };
}

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
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
