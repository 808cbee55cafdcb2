import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClusters, runClusterStage } from '../../../../main/engine/pipeline/cluster-stage';
import { runFeaturesStage } from '../../../../main/engine/pipeline/features-stage';
import { readInfer, runInferStage } from '../../../../main/engine/pipeline/infer-stage';
import { fakeCore, fakeProject, testJob } from './fakes';

describe('cluster stage', () => {
  it('clusters the saved features (k = number of classes) and scores them against truth', async () => {
    const project = fakeProject(30);
    const { core } = fakeCore();
    await expect(runClusterStage(project, core, testJob('cluster'))).rejects.toMatchObject({ code: 'STAGE_MISSING' });
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    const r = await runClusterStage(project, core, testJob('cluster'), { restarts: 3 });
    expect(r.k).toBe(3);
    expect(r.backend).toBe('cpu');
    expect(r.nmi).toBeCloseTo(1, 6);
    expect(r.purity).toBe(1);
    expect([...r.sizes].sort()).toEqual([10, 10, 10]);
    const file = readClusters(project.dir)!;
    expect(file.ids).toHaveLength(30);
    expect(file.map2d.x).toHaveLength(30);
    expect(Math.max(...file.map2d.x.map(Math.abs), ...file.map2d.y.map(Math.abs))).toBeCloseTo(1, 3);
    const r5 = await runClusterStage(project, core, testJob('cluster'), { k: 5, restarts: 2 });
    expect(r5.sizes).toHaveLength(5);
  });

  it('omits nmi/purity without truth', async () => {
    const project = fakeProject(12);
    const load = project.loadDataset.bind(project);
    project.loadDataset = async (opts) => ({ ...(await load(opts)), truth: null });
    const { core } = fakeCore();
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    const r = await runClusterStage(project, core, testJob('cluster'), { restarts: 1 });
    expect(r.nmi).toBeUndefined();
  });
});

describe('infer stage', () => {
  it('predicts every image, hand labels override, scores only unlabeled images with truth', async () => {
    const project = fakeProject(30, [0, 1, 2, 3, 4, 5, 6]);
    const { core, calls } = fakeCore();
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    const r = await runInferStage(project, core, testJob('infer'));
    expect(r).toMatchObject({ backend: 'cpu', labeled: 7, inferred: 23, labeled_by_source: { hand: 6, import: 1 }, accuracy: 1 });
    expect(r.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(23);
    expect(r.per_class).toEqual({ a: 1, b: 1, c: 1 });
    expect(r.ridge_probe_cv_accuracy).toBe(1);
    const file = readInfer(project.dir)!;
    expect(file.predicted.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(file.confidence[0]).toBe(1);
    expect(file.handLabeled.filter(Boolean)).toHaveLength(7);
    expect(calls.s4l).toBe(1);
    expect(calls.live.size).toBe(0);
    // A result written before the rename (cv_accuracy) still reads, under its honest name.
    const path = join(project.dir, 'infer', 'result.json');
    const { ridge_probe_cv_accuracy: acc, ridge_probe_cv_confusion: conf, ...old } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...old, cv_accuracy: acc, cv_confusion: conf }));
    expect(readInfer(project.dir)).toMatchObject({ ridge_probe_cv_accuracy: 1, ridge_probe_cv_confusion: conf });
    expect('cv_accuracy' in readInfer(project.dir)!).toBe(false);
  });

  it('uses hand labels as they are, even wrong ones (they override the classifier)', async () => {
    const project = fakeProject(12, [0, 1, 2]);
    const load = project.loadDataset.bind(project);
    project.loadDataset = async (opts) => {
      const ds = await load(opts);
      ds.handLabels[0] = 2; // a person labeled image 0 (truth a) as c
      return ds;
    };
    const { core } = fakeCore();
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    await runInferStage(project, core, testJob('infer'));
    expect(readInfer(project.dir)!.predicted[0]).toBe('c');
  });

  it('refuses to run without hand labels', async () => {
    const project = fakeProject(12, []);
    const { core } = fakeCore();
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    await expect(runInferStage(project, core, testJob('infer'))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
