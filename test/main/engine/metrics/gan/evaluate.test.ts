import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun, realHalves } from '../../../../../main/engine/metrics/gan/evaluate';
import { Prng } from '../../../../../main/engine/base/prng';
import { runTraining } from '../../../../../main/engine/gan/train/run-train';
import { createEncoder } from '../../../../../main/engine/models/encoder';
import { encodeEncoder } from '../../../../../main/engine/pipeline/encoder-file';
import { stagePaths } from '../../../../../main/engine/pipeline/stage-files';
import { serializeEncoder, disposeEncoder } from '../../../../../main/engine/selfsup/rotation';
import { fakeProject } from '../../gan/fake-project';
import { useBackend } from '../../gan/helpers';

beforeAll(() => useBackend('wasm'));

describe('realHalves', () => {
  it('gives the score and its floor the same m per side, from disjoint real halves', () => {
    const { m, a, b } = realHalves(48, 1000, new Prng(3));
    expect(m).toBe(24); // capped at half the images, never overlapping
    expect(a.length).toBe(m);
    expect(b.length).toBe(m);
    expect(new Set([...a, ...b]).size).toBe(2 * m);
    expect(realHalves(1000, 300, new Prng(3)).b.length).toBe(300);
    expect(realHalves(3, 1000, new Prng(3)).m).toBe(1); // too few for FD: evaluateRun says so in notes
  });
});

describe('evaluateRun', () => {
  it('reports FD-SS, KID-SS with floors, CAS on hand labels, cas_truth, within-class diversity and the head accuracy — all finite', async () => {
    const project = fakeProject({ n: 48 });
    const r = await runTraining(project, { method: 's3gan', steps: 2, resolution: 16, ch: 4, batch: 8, seed: 5, gridEvery: 0 }, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
    const noEncoder = await evaluateRun(project, r.run, { samples: 24 });
    expect(noEncoder.metrics.fd_ss).toBeUndefined();
    expect(noEncoder.notes.join(' ')).toMatch(/s3gan features/);
    expect(noEncoder.metrics.cotrain_head_accuracy_truth).toBeGreaterThanOrEqual(0);

    const encoder = createEncoder({ resolution: 16, channels: 1, width: 4, depth: 1, featureDim: 8, seed: 1 });
    mkdirSync(stagePaths(project.dir).featuresDir, { recursive: true });
    writeFileSync(stagePaths(project.dir).encoder, encodeEncoder(serializeEncoder(encoder)));
    disposeEncoder(encoder);
    const before = tf.memory().numTensors;
    const e = await evaluateRun(project, r.run, { samples: 24 });
    expect(tf.memory().numTensors).toBe(before);
    for (const key of ['fd_ss', 'kid_ss', 'fd_ss_floor', 'kid_ss_floor', 'cas', 'cas_truth', 'cas_chance', 'diversity_ss', 'cotrain_head_accuracy_truth']) {
      expect(Number.isFinite(e.metrics[key]), key).toBe(true);
    }
    expect(e.metrics.samples).toBe(24); // per side: generated 24 vs real half A 24; floor: real half B 24 vs A
    const fewer = await evaluateRun(project, r.run, { samples: 1000 });
    expect(fewer.metrics.samples).toBe(24); // 48 images: two disjoint real halves of 24, never overlapping
    expect(e.metrics.cas).toBeGreaterThanOrEqual(0);
    expect(e.metrics.cas).toBeLessThanOrEqual(1);
    expect(e.metrics.diversity_ss).toBeGreaterThan(0);
    expect(Object.keys(e.metrics).some((k) => /fid|inception/i.test(k))).toBe(false);
    expect(JSON.stringify(e)).not.toMatch(/null|NaN/);
  }, 180_000);
});
