import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toWireError } from '../../../../../../shared/contract';
import { listCheckpoints } from '../../../../../../main/engine/gan/run/checkpoint';
import { chooseWorkers, debugCheckEvery, defaultWorkers, type RunStepper } from '../../../../../../main/engine/gan/train/parallel/run-workers';
import { readRunState } from '../../../../../../main/engine/gan/run/run-store';
import { runTraining, type TrainHooks, type TrainRequest } from '../../../../../../main/engine/gan/train/run-train';
import { fakeProject } from '../../fake-project';
import { useBackend } from '../../helpers';

const rotating = { heads: { projection: true, rotation: true, classifier: true } };
const plain = { heads: { projection: true, rotation: false, classifier: false } };
const settings = { batch: 32, labeledFraction: 0.25, rotatedFraction: 0.25 };

describe('chooseWorkers', () => {
  it('uses the requested count when the batch splits evenly', () => {
    expect(chooseWorkers({ requested: 2, backend: 'wasm', cfg: rotating, settings, coTraining: true })).toEqual({ workers: 2 });
    expect(chooseWorkers({ requested: 4, backend: 'cpu', cfg: rotating, settings, coTraining: true })).toEqual({ workers: 4 });
  });

  it('rejects an explicit count that cannot split the batch, naming what does not divide', () => {
    const err = (() => {
      try {
        chooseWorkers({ requested: 3, backend: 'wasm', cfg: rotating, settings, coTraining: true });
        return null;
      } catch (e) {
        return toWireError(e);
      }
    })();
    expect(err?.code).toBe('INVALID_PAYLOAD');
    expect(err?.message).toMatch(/--workers 3.*batch 32.*not divisible by 3/);
  });

  it('falls back to one rank (with a note) when the default cannot split the batch', () => {
    const c = chooseWorkers({ backend: 'wasm', cfg: plain, settings: { ...settings, batch: 9 }, coTraining: false, fallbackDefault: 2 });
    expect(c.workers).toBe(1);
    expect(c.note).toMatch(/one core.*batch 9/);
    expect(chooseWorkers({ backend: 'wasm', cfg: plain, settings, coTraining: false, fallbackDefault: 2 })).toEqual({ workers: 2 });
  });

  it('counts labeled and rotated images per shard only when the preset uses them', () => {
    // batch 12 over 4: labeled 3 and rotated 3 do not divide, but a plain preset has neither.
    const small = { ...settings, batch: 12 };
    expect(chooseWorkers({ requested: 4, backend: 'wasm', cfg: plain, settings: small, coTraining: false }).workers).toBe(4);
    expect(() => chooseWorkers({ requested: 4, backend: 'wasm', cfg: rotating, settings: small, coTraining: true })).toThrow(/labeled images per batch 3/);
  });

  it('ignores workers on the tensorflow backends, saying so only when they were asked for', () => {
    expect(chooseWorkers({ requested: 2, backend: 'tensorflow', cfg: plain, settings, coTraining: false })).toEqual({
      workers: 1, note: '--workers 2 ignored: the tensorflow backend uses every core itself',
    });
    expect(chooseWorkers({ backend: 'tensorflow-gpu', cfg: plain, settings, coTraining: false, fallbackDefault: 8 })).toEqual({ workers: 1 });
  });

  it('reads the debug checksum cadence from S3GAN_PARALLEL_CHECK', () => {
    expect(debugCheckEvery({ S3GAN_PARALLEL_CHECK: '10' })).toBe(10);
    expect(debugCheckEvery({ S3GAN_PARALLEL_CHECK: '0' })).toBe(0);
    expect(debugCheckEvery({})).toBe(0);
  });

  it('defaults to the cores, or S3GAN_WORKERS when set', () => {
    expect(defaultWorkers({ S3GAN_WORKERS: '3' })).toBe(3);
    expect(defaultWorkers({ S3GAN_WORKERS: 'x' })).toBeGreaterThanOrEqual(1);
    expect(defaultWorkers({})).toBeGreaterThanOrEqual(1);
  });
});

describe('s3gan train --workers 2 (wasm ranks in worker threads)', () => {
  beforeAll(() => useBackend('wasm'));
  const tiny: Partial<TrainRequest> = { method: 's3gan', resolution: 16, ch: 4, batch: 8, seed: 5, logEvery: 1, gridEvery: 0, checkpointEvery: 2 };
  const hooks = (extra: Partial<TrainHooks> = {}): TrainHooks => ({
    control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend(), ...extra,
  });

  it('trains on two ranks with finite losses, identical ranks (debug checksums) and no tensor growth on rank 0', async () => {
    const project = fakeProject();
    const before = tf.memory().numTensors;
    const logs: string[] = [];
    process.env.S3GAN_PARALLEL_CHECK = '1'; // compare every rank's checksum after every G step
    const r = await runTraining(project, { ...tiny, steps: 3, workers: 2 }, hooks({ log: (m) => logs.push(m) }))
      .finally(() => delete process.env.S3GAN_PARALLEL_CHECK);
    expect(r).toMatchObject({ step: 3, workers: 2, backend: 'wasm', state: 'done' });
    for (const v of Object.values(r.losses)) expect(Number.isFinite(v)).toBe(true);
    expect(logs.join('\n')).toMatch(/data-parallel: 2 workers, 4 images each/);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);

  it('an impossible --workers fails before a run folder exists', async () => {
    const project = fakeProject();
    const err = await runTraining(project, { ...tiny, steps: 2, workers: 3 }, hooks()).then(() => null, (e: unknown) => toWireError(e));
    expect(err?.code).toBe('INVALID_PAYLOAD');
    expect(existsSync(join(project.dir, 'runs'))).toBe(false);
  });

  it('a worker crash ends the run with a clear error, and the run resumes from its checkpoint', async () => {
    const project = fakeProject();
    let ranks: RunStepper | null = null;
    let run = '';
    const crashing = hooks({
      onRun: (id) => (run = id),
      onParallel: (s) => (ranks = s),
      // After step 2's checkpoint, rank 1 dies inside its next step (process.exit in the thread).
      onLog: (_id, row) => { if (row.step === 2) ranks!.trainer!.injectCrash(1, 'exit'); },
    });
    const err = await runTraining(project, { ...tiny, steps: 6, workers: 2 }, crashing).then(() => null, (e: unknown) => toWireError(e));
    expect(err?.code).toBe('ENGINE_DIED');
    expect(err?.message).toMatch(/worker 1 crashed.*checkpoint at step 2.*--resume/);
    const dir = join(project.dir, 'runs', run);
    expect(readRunState(dir)?.state).toBe('failed');
    expect(listCheckpoints(dir)).toEqual([2]);

    const resumed = await runTraining(project, { resume: run, workers: 2 }, hooks());
    expect(resumed).toMatchObject({ run, step: 6, workers: 2, state: 'done' });
    expect(listCheckpoints(dir).at(-1)).toBe(6);
  }, 240_000);
});
