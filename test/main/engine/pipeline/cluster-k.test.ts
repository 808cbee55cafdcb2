// Issue 14: k larger than the number of images is refused with a sentence (k = 20 on 9 images made 11
// empty clusters); the default k fits the images.
import { describe, expect, it } from 'vitest';
import { runClusterStage } from '../../../../main/engine/pipeline/cluster-stage';
import { runFeaturesStage } from '../../../../main/engine/pipeline/features-stage';
import { fakeCore, fakeProject, testJob } from './fakes';

describe('cluster stage k', () => {
  it('refuses k > images with a clear message, accepts k = images, and fits the default k', async () => {
    const project = fakeProject(2, []);
    const { core } = fakeCore();
    await runFeaturesStage(project, core, testJob(), { epochs: 1 });
    await expect(runClusterStage(project, core, testJob('cluster'), { k: 20, restarts: 1 })).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
      message: 'k = 20 clusters is more than the 2 images with features: choose k between 1 and 2.',
    });
    const r = await runClusterStage(project, core, testJob('cluster'), { k: 2, restarts: 1 });
    expect(r.sizes.every((s) => s > 0)).toBe(true);
    const byDefault = await runClusterStage(project, core, testJob('cluster'), { restarts: 1 }); // 3 classes, 2 images
    expect(byDefault.k).toBe(2);
    expect(byDefault.sizes.every((s) => s > 0)).toBe(true);
  });
});
