import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFeatures, runFeaturesStage } from '../../../../main/engine/pipeline/features-stage';
import { stagePaths } from '../../../../main/engine/pipeline/stage-files';
import { fakeCore, fakeProject, testJob } from './fakes';

describe('features stage', () => {
  it('writes embeddings, encoder and meta (marker) and reports the backend', async () => {
    const project = fakeProject(12);
    const { core, calls } = fakeCore();
    const r = await runFeaturesStage(project, core, testJob(), { epochs: 3 });
    expect(r).toMatchObject({ backend: 'cpu', images: 12, dim: 3, epochs: 3, finalLoss: 0.5, rotationAccuracy: 0.75 });
    const f = readFeatures(project.dir)!;
    expect(f.meta.ids).toHaveLength(12);
    expect(f.embeddings).toHaveLength(36);
    expect(f.meta.curve).toHaveLength(6);
    expect(f.meta.curve.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5]);
    const paths = stagePaths(project.dir);
    expect(existsSync(paths.encoder)).toBe(true);
    expect(existsSync(paths.checkpointDir)).toBe(false); // finished: no checkpoint left behind
    expect(calls.rotation.map((c) => c.initEpochs)).toEqual([null, 1, 2]);
    expect(calls.live.size).toBe(0); // every encoder state disposed
  });

  it('resumes an interrupted run from the last finished epoch and never marks a cancelled run done', async () => {
    const project = fakeProject(9);
    const job = testJob();
    const { core } = fakeCore({ onEpoch: (e) => e === 2 && job.controller.abort() });
    await expect(runFeaturesStage(project, core, job, { epochs: 4 })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readFeatures(project.dir)).toBeNull();
    const progress = JSON.parse(readFileSync(stagePaths(project.dir).checkpointProgress, 'utf8'));
    expect(progress.epochsDone).toBe(2);

    const again = fakeCore();
    await runFeaturesStage(project, again.core, testJob(), { epochs: 4 });
    expect(again.calls.rotation.map((c) => c.initEpochs)).toEqual([2, 3]);
    expect(readFeatures(project.dir)!.meta.curve).toHaveLength(8);
    expect(again.calls.live.size).toBe(0);
  });

  it('starts over when asked, when the checkpoint belongs to other settings, or is damaged', async () => {
    const project = fakeProject(9);
    const job = testJob();
    const { core } = fakeCore({ onEpoch: (e) => e === 1 && job.controller.abort() });
    await expect(runFeaturesStage(project, core, job, { epochs: 3 })).rejects.toMatchObject({ code: 'CANCELLED' });
    const other = fakeCore();
    await runFeaturesStage(project, other.core, testJob(), { epochs: 5 }); // different epochs → different fingerprint
    expect(other.calls.rotation[0]!.initEpochs).toBeNull();

    const job2 = testJob();
    await expect(runFeaturesStage(project, fakeCore({ onEpoch: (e) => e === 1 && job2.controller.abort() }).core, job2, { epochs: 3 })).rejects.toBeTruthy();
    writeFileSync(stagePaths(project.dir).checkpointEncoder, 'garbage');
    const third = fakeCore();
    await runFeaturesStage(project, third.core, testJob(), { epochs: 3 });
    expect(third.calls.rotation[0]!.initEpochs).toBeNull();
    const fourth = fakeCore();
    await runFeaturesStage(project, fourth.core, testJob(), { epochs: 3, resume: false });
    expect(fourth.calls.rotation).toHaveLength(3);
  });

  it('treats a meta whose embeddings file does not match as not done', async () => {
    const project = fakeProject(6);
    await runFeaturesStage(project, fakeCore().core, testJob(), { epochs: 1 });
    writeFileSync(stagePaths(project.dir).embeddings, Buffer.alloc(10));
    expect(readFeatures(project.dir)).toBeNull();
  });
});
