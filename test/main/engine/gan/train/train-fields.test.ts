// Every TrainConfig field changes what the trainer does or writes (a loss, a shape, a schedule, the
// files and cadence of logs, checkpoints and grids): one tiny run per field against a baseline. A new
// field without a row here fails the completeness check, so no setting can be validated, stored and
// then ignored again (--rotated-fraction once was).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_FIELD_NAMES, type TrainField } from '../../../../../shared/contract';
import { latestCheckpoint, listCheckpoints, loadCheckpoint } from '../../../../../main/engine/gan/run/checkpoint';
import { runTraining, type TrainRequest } from '../../../../../main/engine/gan/train/run-train';
import { listGrids, readMetrics } from '../../../../../main/engine/gan/run/run-store';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

beforeAll(() => useBackend('wasm'));

const BASE: TrainRequest = {
  method: 's3gan', labels: 'project', resolution: 8, ch: 4, dCh: 4, steps: 4, batch: 8, lrG: 2e-4, lrD: 4e-4, dSteps: 2,
  emaDecay: 0.9, emaStart: 1, diffaug: false, rotatedFraction: 0.25, labeledFraction: 0.25, rotationWeightD: 1,
  rotationWeightG: 0.2, classifierWeight: 1, seed: 3, logEvery: 1, checkpointEvery: 1, keepCheckpoints: 3,
  milestoneEvery: 1000, gridEvery: 0, evalEvery: 0, workers: 1,
};

/** The value each field is changed to, and which observable it must move. */
const CHANGES: Record<TrainField, [unknown, keyof Fingerprint]> = {
  method: ['s2gan-co', 'losses'], // no rotation head: no d_rot / g_rot
  labels: ['truth', 'losses'], // every image labeled from evaluation truth
  resolution: [16, 'weights'],
  ch: [2, 'weights'],
  dCh: [2, 'weights'],
  steps: [5, 'losses'],
  batch: [4, 'losses'],
  lrG: [1e-2, 'losses'],
  lrD: [1e-2, 'losses'],
  dSteps: [1, 'losses'],
  emaDecay: [0.5, 'weights'], // only the EMA generator moves
  emaStart: [3, 'weights'],
  diffaug: [true, 'losses'],
  rotatedFraction: [0.5, 'losses'],
  labeledFraction: [0.5, 'losses'],
  rotationWeightD: [2, 'losses'],
  rotationWeightG: [2, 'losses'],
  classifierWeight: [2, 'losses'],
  seed: [4, 'losses'],
  logEvery: [2, 'losses'], // fewer rows
  checkpointEvery: [2, 'files'],
  keepCheckpoints: [1, 'files'],
  milestoneEvery: [1, 'files'], // every checkpoint kept
  gridEvery: [2, 'files'],
  evalEvery: [2, 'losses'], // eval_* columns in the rows
  workers: [2, 'losses'], // batch-norm statistics per shard
};

interface Fingerprint {
  losses: string;
  weights: string;
  files: string;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const hooks = () => ({ control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });

async function fingerprint(req: TrainRequest): Promise<Fingerprint> {
  const project = fakeProject({ stages: true });
  const r = await runTraining(project, req, hooks());
  const dir = join(project.dir, 'runs', r.run);
  const rows = readMetrics(dir).map(({ step_s: _s, img_per_s: _i, elapsed_s: _e, ...rest }) => rest); // timings vary
  const { arrays } = loadCheckpoint(latestCheckpoint(dir)!.path);
  const weights = [...arrays.values()].sort((a, b) => a.name.localeCompare(b.name)).map((a) => `${a.name}${JSON.stringify(a.shape)}${hash(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64'))}`);
  return { losses: hash(JSON.stringify(rows)), weights: hash(weights.join()), files: JSON.stringify({ checkpoints: listCheckpoints(dir), grids: listGrids(dir) }) };
}

describe('every TrainConfig field changes what the trainer does or writes', () => {
  it('has a row here for every field of the table', () => {
    expect(Object.keys(CHANGES).sort()).toEqual([...TRAIN_FIELD_NAMES].sort());
    expect(Object.keys(BASE).sort()).toEqual([...TRAIN_FIELD_NAMES].sort());
  });

  let base: Fingerprint;
  it('the baseline run is reproducible (so a difference below is the field\'s doing)', async () => {
    base = await fingerprint(BASE);
    expect(await fingerprint(BASE)).toEqual(base);
  }, 60_000);

  for (const field of TRAIN_FIELD_NAMES) {
    const [value, observable] = CHANGES[field];
    it(`${field} = ${String(value)} changes the run's ${observable}`, async () => {
      const before = tf.memory().numTensors;
      const changed = await fingerprint({ ...BASE, [field]: value });
      expect(changed[observable]).not.toBe(base[observable]);
      expect(tf.memory().numTensors).toBe(before);
    }, 60_000);
  }
});
