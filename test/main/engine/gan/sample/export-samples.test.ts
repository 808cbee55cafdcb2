// A generated, labeled dataset from a run: N images per class in class folders, labels.csv with one
// row per image, a manifest; refuses a non-empty folder unless asked; the same seed gives the same images.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../../../shared/contract';
import { classFolders, exportSamples } from '../../../../../main/engine/gan/sample/export-samples';
import { runTraining } from '../../../../../main/engine/gan/train/run-train';
import { registerTempDir } from '../../../../setup/temp-dirs';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

const project = fakeProject({ stages: true });
let run = '';
const outDir = () => registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-export-')));

beforeAll(async () => {
  await useBackend('wasm');
  const r = await runTraining(project, { method: 's3gan', steps: 2, resolution: 8, ch: 2, batch: 4, seed: 1, gridEvery: 0 }, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
  run = r.run;
}, 60_000);

describe('exportSamples', () => {
  it('writes N images per class, labels.csv with one row per image and a manifest, without leaking tensors', async () => {
    const out = outDir();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await exportSamples(project.dir, { run, perClass: 3, truncation: 1.5, out, progress: (done) => seen.push(done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject({ run, step: 2, images: 9, classes: ['stripes-h', 'stripes-v', 'stripes-d'] });
    for (const name of r.classes) expect(readdirSync(join(out, name)).sort()).toEqual(['0.png', '1.png', '2.png']);
    const meta = await sharp(join(out, 'stripes-v', '2.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([8, 8, 1]);
    const csv = readFileSync(join(out, 'labels.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('path,label');
    expect(csv.slice(1)).toHaveLength(9);
    expect(csv).toContain('stripes-d/1.png,stripes-d');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ run, step: 2, truncation: 1.5, perClass: 3, images: 9 });
    expect(typeof manifest.seed).toBe('number');
    expect(seen.at(-1)).toBe(9);
  });

  it('refuses a non-empty folder unless asked, and then replaces its contents; same seed, same images', async () => {
    const out = outDir();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const err = await exportSamples(project.dir, { run, perClass: 1, out }).then(() => null, (e: unknown) => toWireError(e));
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(readdirSync(out)).toEqual(['keep.txt']); // nothing written
    await exportSamples(project.dir, { run, perClass: 1, out, overwrite: true, seed: 5 });
    expect(existsSync(join(out, 'keep.txt'))).toBe(false);
    const first = readFileSync(join(out, 'stripes-h', '0.png'));
    const again = outDir();
    await exportSamples(project.dir, { run, perClass: 1, out: again, seed: 5 });
    expect(readFileSync(join(again, 'stripes-h', '0.png')).equals(first)).toBe(true);
    const other = outDir();
    await exportSamples(project.dir, { run, perClass: 1, out: other, seed: 6 });
    expect(readFileSync(join(other, 'stripes-h', '0.png')).equals(first)).toBe(false);
  });

  it('names class folders safely and uniquely; an unknown step writes nothing', async () => {
    expect(classFolders(['cat', 'a/b', 'Cat', '..', ''])).toEqual(['cat', 'a_b', 'Cat-2', '_', 'class-4']);
    const out = join(outDir(), 'new');
    mkdirSync(out);
    const err = await exportSamples(project.dir, { run, step: 99, perClass: 1, out }).then(() => null, (e: unknown) => toWireError(e));
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(out)).toEqual([]);
  });
});
