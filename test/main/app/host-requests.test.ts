import { describe, expect, it } from 'vitest';
import { createHostHandlers } from '../../../main/app/host-requests';
import { fakeEngine } from '../bridge/fake-engine';

describe('Electron host requests', () => {
  it('dialog.pickFolder returns the chosen folder, or null when cancelled', async () => {
    const results = [{ canceled: false, filePaths: ['/home/u/pics'] }, { canceled: true, filePaths: [] }];
    const seen: unknown[] = [];
    const host = createHostHandlers({
      showOpenDialog: async (o) => {
        seen.push(o);
        return results.shift()!;
      },
      version: '1.0.0',
      engine: fakeEngine(),
    });
    expect(await host['dialog.pickFolder']!({ title: 'Images' })).toEqual({ path: '/home/u/pics' });
    expect(await host['dialog.pickFolder']!({})).toEqual({ path: null });
    expect(seen[0]).toMatchObject({ title: 'Images', properties: expect.arrayContaining(['openDirectory']) });
  });

  it('app.info reports electron mode and the engine backend, or null when the engine cannot say', async () => {
    const backend = { backend: 'wasm' as const, version: '4.22.0', gpu: false, tried: [], advice: [] };
    const ok = createHostHandlers({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }), version: '2.0.0', engine: fakeEngine({ 'app.info': () => ({ version: 'x', mode: 'electron', backend }) }) });
    expect(await ok['app.info']!({})).toEqual({ version: '2.0.0', mode: 'electron', backend });
    const broken = createHostHandlers({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }), version: '2.0.0', engine: fakeEngine() });
    expect(await broken['app.info']!({})).toEqual({ version: '2.0.0', mode: 'electron', backend: null });
  });
});
