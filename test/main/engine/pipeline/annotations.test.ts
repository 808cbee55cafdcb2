import { describe, expect, it } from 'vitest';
import { stageAnnotations } from '../../../../main/engine/pipeline/annotations';
import { runClusterStage } from '../../../../main/engine/pipeline/cluster-stage';
import { runFeaturesStage } from '../../../../main/engine/pipeline/features-stage';
import { runInferStage } from '../../../../main/engine/pipeline/infer-stage';
import { fakeCore, fakeProject, testJob } from './fakes';

describe('stage annotations', () => {
  it('reports per-image cluster, inferred label, map position and stale flags', async () => {
    const project = fakeProject(12, [0, 1, 2]);
    const { core } = fakeCore();
    expect(stageAnnotations(project.dir, 1)).toEqual({ stages: { features: null, cluster: null, infer: null }, items: [] });
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    await runClusterStage(project, core, testJob('cluster'), { restarts: 1 });
    await runInferStage(project, core, testJob('infer'));
    const a = stageAnnotations(project.dir, project.revision);
    expect(a.stages.cluster).toMatchObject({ stale: false, k: 3 });
    expect(a.stages.features!.map).toBe('pca'); // 12 images: too few for UMAP
    expect(a.stages.infer!.stale).toBe(false);
    expect(a.items).toHaveLength(12);
    expect(a.items[0]).toMatchObject({ id: 'img000', inferred: null }); // hand-labeled: no inference shown
    expect(a.items[5]).toMatchObject({ inferred: 'c' });
    expect(a.items[5]!.x).not.toBeNull();
    expect(a.items[5]!.cluster).toBeGreaterThanOrEqual(0);
    // Centroid distances (typical members / outliers) and the infer stage's class order for its matrices.
    expect(a.items.every((i) => typeof i.distance === 'number' && i.distance >= 0)).toBe(true);
    expect(a.stages.infer!.classIds).toHaveLength(3);
    if (a.stages.infer!.ridge_probe_cv_confusion) expect(a.stages.infer!.ridge_probe_cv_confusion).toHaveLength(3);

    // New labels → inference stale; new features → clusters and inference stale.
    expect(stageAnnotations(project.dir, project.revision + 1).stages.infer!.stale).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    const after = stageAnnotations(project.dir, project.revision);
    expect(after.stages.cluster!.stale).toBe(true);
    expect(after.stages.infer!.stale).toBe(true);
  });
});
