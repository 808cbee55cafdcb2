// The features and infer stages on data-parallel workers, with the real ML core on a tiny project:
// the progress line names the count, reruns are identical, a dead worker ends the stage with a clear
// error and nothing marked done, a resume may change the count, and the count is validated.
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContractError, parseRequest } from '../../../../shared/contract';
import { createJobContext, type JobContext } from '../../../../main/engine/base/job-context';
import { chooseStageWorkers } from '../../../../main/engine/parallel/workers';
import { readFeatures, runFeaturesStage, type FeaturesOptions } from '../../../../main/engine/pipeline/features-stage';
import { readInfer, runInferStage } from '../../../../main/engine/pipeline/infer-stage';
import { loadMlCore, type MlCore } from '../../../../main/engine/pipeline/ml-core';
import { readFloat32OrNull, stagePaths } from '../../../../main/engine/pipeline/stage-files';
import type { EncoderRanks } from '../../../../main/engine/selfsup/parallel/ranks';
import { fakeProject } from './fakes';

const TINY: FeaturesOptions = { epochs: 2, batchSize: 4, config: { resolution: 8, width: 2, featureDim: 4, seed: 5 } };

let core: MlCore;
beforeAll(async () => {
  core = await loadMlCore();
});

function recordingJob(kind: 'features' | 'infer'): JobContext & { messages: string[] } {
  const messages: string[] = [];
  const job = createJobContext(kind, (event, payload) => {
    if (event === 'job.progress') messages.push(`${(payload as { phase: string }).phase} ${(payload as { message?: string }).message ?? ''}`);
  }, { minIntervalMs: 0 });
  return Object.assign(job, { messages });
}

/** The real core, but the Nth training call first makes worker 1 exit (a killed thread). */
function crashingCore(onCall: number): MlCore {
  let ranks: EncoderRanks | null = null;
  let calls = 0;
  const crash = () => {
    if (++calls === onCall) ranks!.injectCrash(1, 'exit');
  };
  return {
    ...core,
    startWorkers: async (o) => (ranks = (await core.startWorkers(o)) as EncoderRanks),
    trainRotationEncoder: (...a) => (crash(), core.trainRotationEncoder(...a)),
    trainS4L: (...a) => (crash(), core.trainS4L(...a)),
  };
}

describe('features and infer stages on data-parallel workers', () => {
  it('name the worker count in the progress line and the result; a rerun on 2 workers writes the same encoder', async () => {
    const project = fakeProject(12);
    const before = tf.memory().numTensors;
    const job = recordingJob('features');
    const r = await runFeaturesStage(project, core, job, { ...TINY, workers: 2 });
    expect(r.workers).toBe(2);
    expect(readFeatures(project.dir)!.meta.workers).toBe(2);
    const training = job.messages.filter((m) => m.startsWith('rotation pretraining'));
    expect(training.length).toBeGreaterThan(0);
    for (const m of training) expect(m).toMatch(/^rotation pretraining epoch \d\/2 loss [\d.]+ acc [\d.]+ · 2 workers$/);
    const encoder = readFileSync(stagePaths(project.dir).encoder);
    await runFeaturesStage(project, core, recordingJob('features'), { ...TINY, workers: 2, resume: false });
    expect(readFileSync(stagePaths(project.dir).encoder).equals(encoder)).toBe(true);

    const one = recordingJob('features');
    expect((await runFeaturesStage(project, core, one, { ...TINY, workers: 1, resume: false })).workers).toBe(1);
    expect(one.messages.filter((m) => m.startsWith('rotation pretraining')).every((m) => m.endsWith(' · 1 worker'))).toBe(true);

    const inferJob = recordingJob('infer');
    const inferred = await runInferStage(project, core, inferJob, { epochs: 2, batchSize: 4, workers: 2 });
    expect(inferred.workers).toBe(2);
    expect(readInfer(project.dir)!.workers).toBe(2);
    const s4l = inferJob.messages.filter((m) => m.startsWith('S⁴L training'));
    expect(s4l.length).toBeGreaterThan(0);
    for (const m of s4l) expect(m).toMatch(/ · 2 workers$/);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('a killed worker ends features with a clear error, nothing marked done; the resume on 1 worker finishes', async () => {
    const project = fakeProject(12);
    const err = await runFeaturesStage(project, crashingCore(2), recordingJob('features'), { ...TINY, epochs: 3, workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toMatchObject({ code: 'ENGINE_DIED' });
    expect((err as Error).message).toMatch(/^rotation pretraining stopped: data-parallel worker 1 crashed: exited with code 7\. .*continue from epoch 2 \(--workers 1 trains on one thread\)\.$/);
    expect(readFeatures(project.dir)).toBeNull();
    expect(existsSync(stagePaths(project.dir).featuresMeta)).toBe(false);
    expect(JSON.parse(readFileSync(stagePaths(project.dir).checkpointProgress, 'utf8')).epochsDone).toBe(1);

    const resumed = await runFeaturesStage(project, core, recordingJob('features'), { ...TINY, epochs: 3, workers: 1 });
    expect(resumed).toMatchObject({ resumedFromEpoch: 1, workers: 1, epochs: 3 });
    expect(readFeatures(project.dir)!.meta.curve).toHaveLength(9); // 3 epochs × 3 steps, none lost or repeated
  }, 120_000);

  it('a killed worker ends infer with a clear error and writes no result', async () => {
    const project = fakeProject(12);
    await runFeaturesStage(project, core, recordingJob('features'), { ...TINY, workers: 1 });
    const before = tf.memory().numTensors;
    const err = await runInferStage(project, crashingCore(1), recordingJob('infer'), { epochs: 2, batchSize: 4, workers: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_DIED' });
    expect((err as Error).message).toMatch(/^S⁴L training stopped: data-parallel worker 1 crashed: exited with code 7\. Nothing was written/);
    const paths = stagePaths(project.dir);
    expect(readInfer(project.dir)).toBeNull();
    expect(existsSync(paths.inferResult) || existsSync(paths.inferProbs)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});

describe('2 workers against 1 (synced batch norm: only the order of sums differs)', () => {
  it('give the same embeddings, S⁴L probabilities and loss curves to float32 rounding', async () => {
    const run = async (workers: number) => {
      const project = fakeProject(12);
      const f = await runFeaturesStage(project, core, recordingJob('features'), { ...TINY, workers });
      const features = readFeatures(project.dir)!;
      await runInferStage(project, core, recordingJob('infer'), { epochs: 2, batchSize: 4, workers });
      const probs = readFloat32OrNull(stagePaths(project.dir).inferProbs, 12 * 3)!;
      return { f, features, probs, infer: readInfer(project.dir)! };
    };
    const [one, two] = [await run(1), await run(2)];
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
    // float32 sums in another order: the last bits of each step's gradient differ and Adam carries that on
    // over 6 + 6 steps; measured ≤ 1e-6 here, 1e-4 leaves room for another backend's rounding
    expect(maxDiff(one.features.embeddings, two.features.embeddings)).toBeLessThan(1e-4);
    expect(maxDiff(one.features.meta.curve.map((p) => p.loss), two.features.meta.curve.map((p) => p.loss))).toBeLessThan(1e-4);
    expect(one.probs).not.toBeNull();
    expect(maxDiff(one.probs, two.probs)).toBeLessThan(1e-4);
    expect(maxDiff(one.infer.curve.map((p) => p.loss), two.infer.curve.map((p) => p.loss))).toBeLessThan(1e-4);
  }, 120_000);
});

describe('the workers option', () => {
  it('is a whole number from 1 to 16 on both requests', () => {
    for (const name of ['features.run', 'infer.run']) {
      for (const bad of [0, 17, 1.5, '2']) {
        expect(() => parseRequest(name, { workers: bad }), `${name} ${bad}`).toThrow(/Cannot run .*workers/);
      }
      expect(parseRequest(name, { workers: 2 }).params).toMatchObject({ workers: 2 });
    }
  });

  it('defaults to the cores (S3GAN_WORKERS), is one on tensorflow, and never exceeds a batch', () => {
    expect(chooseStageWorkers({ backend: 'wasm', batchImages: 32, fallbackDefault: 2 })).toEqual({ workers: 2 });
    expect(chooseStageWorkers({ requested: 1, backend: 'wasm', batchImages: 32, fallbackDefault: 2 })).toEqual({ workers: 1 });
    expect(chooseStageWorkers({ requested: 4, backend: 'tensorflow', batchImages: 32 })).toMatchObject({ workers: 1, note: expect.stringMatching(/tensorflow backend uses every core/) });
    expect(chooseStageWorkers({ backend: 'tensorflow', batchImages: 32, fallbackDefault: 2 })).toEqual({ workers: 1 });
    expect(chooseStageWorkers({ requested: 4, backend: 'cpu', batchImages: 3 })).toMatchObject({ workers: 3, note: expect.stringMatching(/only 3 images/) });
    expect(() => chooseStageWorkers({ requested: 0, backend: 'wasm', batchImages: 32 })).toThrow(/whole number from 1 to 16/);
    expect(chooseStageWorkers({ backend: 'wasm', batchImages: 32 }).workers).toBe(1); // S3GAN_WORKERS=1 in the test config
  });
});
