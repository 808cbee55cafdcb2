import { describe, expect, it } from 'vitest';
import { createMlHandlers } from '../../../main/engine/ml-handlers';
import { fakeCore, fakeEngine, fakeProject } from './pipeline/fakes';

const ctx = { emit: () => undefined };

describe('ML request handlers', () => {
  it('fail with STAGE_MISSING before the input stage exists', async () => {
    const h = createMlHandlers(fakeEngine(fakeProject(9)), { core: async () => fakeCore().core });
    await expect(h['cluster.run']!({}, ctx)).rejects.toMatchObject({ code: 'STAGE_MISSING', message: expect.stringMatching(/features/) });
    await expect(h['infer.run']!({}, ctx)).rejects.toMatchObject({ code: 'STAGE_MISSING' });
    await expect(h['suggest.get']!({}, ctx)).rejects.toMatchObject({ code: 'STAGE_MISSING', message: expect.stringMatching(/s3gan features/) });
  });

  it('run features → cluster → infer → suggest → annotations, each result naming the backend', async () => {
    const project = fakeProject(18, [0, 1, 2]);
    const h = createMlHandlers(fakeEngine(project), { core: async () => fakeCore().core });
    expect((await h['features.run']!({ epochs: 1 }, ctx)).backend).toBe('cpu');
    const c = await h['cluster.run']!({ k: 3, restarts: 2 }, ctx);
    expect(c).toMatchObject({ backend: 'cpu', k: 3 });
    const i = await h['infer.run']!({}, ctx);
    expect(i).toMatchObject({ backend: 'cpu', labeled: 3, inferred: 15 });
    const s = await h['suggest.get']!({ n: 4 }, ctx);
    expect(s.items).toHaveLength(4);
    expect(s.basedOn).toEqual({ clusters: true, infer: true, inferStale: false });
    expect(s.items.some((x) => ['img000', 'img001', 'img002'].includes(x.id))).toBe(false);
    const a = await h['annotations.get']!({}, ctx);
    expect(a.items).toHaveLength(18);
  });
});
