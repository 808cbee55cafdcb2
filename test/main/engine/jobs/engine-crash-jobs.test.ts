// Issue 14: after kill -9 of the engine child, the jobs it ran are reported finished-and-interrupted (with
// the last step they reported) instead of staying "running" forever in every client's job chip.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract';
import { EngineClient } from '../../../../main/engine/jobs/engine-client';
import { nodeForkEngine } from '../../../../main/engine/jobs/node-fork';

const factoryModule = fileURLToPath(new URL('./fixtures/fake-engine.ts', import.meta.url));
let client: EngineClient | null = null;

afterEach(async () => {
  await client?.close();
  client = null;
});

function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() - start > ms ? reject(new Error('timed out')) : setTimeout(tick, 20));
    tick();
  });
}

describe('EngineClient after the engine child dies', () => {
  it('reports each running job as interrupted at its last step, and forgets it', async () => {
    client = new EngineClient({ fork: nodeForkEngine({ factoryModule, mode: 'web', stdio: 'ignore' }), shutdownTimeoutMs: 5000 });
    const finished: EventPayload<'job.finished'>[] = [];
    client.on('job.finished', (p) => finished.push(p));
    await client.request('fs.list', { path: '/tmp' }); // the fake reports job list-1 at 1 of 2 and never finishes it
    await waitFor(() => client!.activeJobs().length === 1);
    process.kill(client.pid!, 'SIGKILL');
    await waitFor(() => finished.length === 1);
    expect(finished[0]).toMatchObject({ jobId: 'list-1', kind: 'import', ok: false, interrupted: true, step: 1, error: { code: 'ENGINE_DIED' } });
    expect(finished[0]!.error!.message).toMatch(/The engine stopped \(signal SIGKILL\) while this import job ran at 1 of 2\./);
    expect(client.activeJobs()).toEqual([]);
    await expect(client.request('app.info', {})).resolves.toMatchObject({ mode: 'web' }); // restarted
  });

  it('says nothing when it is closed on purpose', async () => {
    client = new EngineClient({ fork: nodeForkEngine({ factoryModule, mode: 'web', stdio: 'ignore' }), shutdownTimeoutMs: 5000 });
    const finished: unknown[] = [];
    client.on('job.finished', (p) => finished.push(p));
    await client.request('fs.list', { path: '/tmp' });
    await waitFor(() => client!.activeJobs().length === 1);
    await client.close();
    expect(finished).toEqual([]);
  });
});
