import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../../main/engine/jobs/engine-client';
import { nodeForkEngine } from '../../../../main/engine/jobs/node-fork';

const factoryModule = fileURLToPath(new URL('./fixtures/fake-engine.ts', import.meta.url));
const clients: EngineClient[] = [];
const dirs: string[] = [];

function makeClient(env: Record<string, string> = {}): EngineClient {
  const client = new EngineClient({ fork: nodeForkEngine({ factoryModule, mode: 'web', env, stdio: 'ignore' }), shutdownTimeoutMs: 5000 });
  clients.push(client);
  return client;
}

function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() - start > ms ? reject(new Error('timed out')) : setTimeout(tick, 20));
    tick();
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('EngineClient with a real forked engine-process', () => {
  it('answers requests and relays events from the child', async () => {
    const client = makeClient();
    const seen: unknown[] = [];
    client.on('job.progress', (p) => seen.push(p));
    const info = await client.request('app.info', {});
    expect(info).toMatchObject({ mode: 'web', backend: null });
    expect(info.version).toBe(`pid:${client.pid}`);
    const listing = await client.request('fs.list', { path: '/tmp' });
    expect(listing.path).toBe('/tmp');
    await waitFor(() => seen.length > 0);
    expect(seen[0]).toMatchObject({ jobId: 'list-1', done: 1, total: 2 });
    expect(client.activeJobs()).toEqual(['list-1']);
  });

  it('reports handler errors with their code, and validates params in the child too', async () => {
    const client = makeClient();
    await expect(client.request('project.open', { path: '/x/not-a-project' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.request('project.open', { path: 42 } as never)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(client.request('runs.list', {})).rejects.toMatchObject({ code: 'UNKNOWN_REQUEST' });
  });

  it('cancels a running request through its AbortSignal', async () => {
    const client = makeClient();
    await client.request('app.info', {}); // started: the abort below reaches a running handler
    const ac = new AbortController();
    const running = client.request('features.run', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    // The child is still healthy afterwards.
    await expect(client.request('app.info', {})).resolves.toMatchObject({ mode: 'web' });
  });

  it('cancels a request aborted before the child was ready, and one aborted before it was sent', async () => {
    const client = makeClient();
    const ac = new AbortController();
    const early = client.request('features.run', {}, { signal: ac.signal });
    ac.abort(); // the child is still starting
    await expect(early).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(client.request('features.run', {}, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects pending requests with ENGINE_DIED when the child is killed, then restarts and reopens the project', async () => {
    const client = makeClient();
    await client.request('project.open', { path: '/data/proj' });
    const firstPid = client.pid!;
    const pending = client.request('features.run', {});
    await new Promise((r) => setTimeout(r, 100));
    process.kill(firstPid, 'SIGKILL');
    const err = await pending.then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_DIED' });
    expect((err as Error).message).toMatch(/features\.run/);

    const info = await client.request('app.info', {});
    expect(client.pid).not.toBe(firstPid);
    expect(info.version).toBe(`pid:${client.pid}`);
    // The new child was told to reopen the last project before serving the request.
    await expect(client.request('project.current', {})).resolves.toMatchObject({ path: '/data/proj' });
  });

  it('close() disposes the engine in the child before it exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3gan-engine-'));
    dirs.push(dir);
    const marker = join(dir, 'disposed.txt');
    const client = makeClient({ S3GAN_TEST_DISPOSE_MARKER: marker });
    await client.request('project.open', { path: '/data/p2' });
    await client.close();
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe('disposed /data/p2');
    await expect(client.request('app.info', {})).rejects.toMatchObject({ code: 'ENGINE_DIED' });
  });

  it('SIGTERM to the child also disposes the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3gan-engine-'));
    dirs.push(dir);
    const marker = join(dir, 'disposed.txt');
    const client = makeClient({ S3GAN_TEST_DISPOSE_MARKER: marker });
    await client.request('app.info', {});
    process.kill(client.pid!, 'SIGTERM');
    await waitFor(() => existsSync(marker));
    expect(readFileSync(marker, 'utf8')).toBe('disposed none');
  });
});
