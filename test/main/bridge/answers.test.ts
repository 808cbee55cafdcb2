// Issue 14, at the bridge: a cancelled stage is a normal answer (499 + code CANCELLED, not 500); paths
// from the UI must be absolute; payload errors read as sentences naming the field and the rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { startBridge, type Bridge } from '../../../main/bridge/server';
import { fakeEngine, type FakeEngine } from './fake-engine';

let engine: FakeEngine;
let bridge: Bridge;
let staticDir: string;

beforeEach(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 's3gan-answers-'));
  engine = fakeEngine({
    'cluster.run': () => {
      throw new ContractError('CANCELLED', 'cluster was cancelled');
    },
    'project.open': (p) => ({ path: (p as { path: string }).path }),
  });
  bridge = await startBridge({ engine, staticDir, version: '0.0.0' });
});
afterEach(async () => {
  await bridge.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function api(name: string, body: unknown): Promise<{ status: number; statusText: string; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const res = await fetch(`http://127.0.0.1:${bridge.port}/api/${name}`, {
    method: 'POST', headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, statusText: res.statusText, body: (await res.json()) as never };
}

describe('bridge answers', () => {
  it('a cancelled stage answers 499 Cancelled with code CANCELLED, not a server error', async () => {
    const r = await api('cluster.run', { k: 3 });
    expect(r.status).toBe(499);
    expect(r.statusText).toBe('Cancelled');
    expect(r.body).toEqual({ ok: false, error: { name: 'ContractError', code: 'CANCELLED', message: 'cluster was cancelled' } });
  });

  it.each([
    ['project.open', { path: 'my-project' }, 'path'],
    ['project.create', { path: './here' }, 'path'],
    ['images.import', { folders: ['/ok', 'photos'] }, 'folders[1]'],
    ['labels.export', { format: 'csv', out: 'labels.csv' }, 'out'],
    ['samples.export', { run: 'r', perClass: 1, out: 'samples' }, 'out'],
  ])('%s refuses a relative path with a clear error', async (name, params, field) => {
    const r = await api(name, params);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('INVALID_PAYLOAD');
    expect(r.body.error?.message).toContain(`"${field}" must be an absolute path`);
    expect(engine.calls).toEqual([]);
  });

  it('accepts absolute POSIX and Windows paths', async () => {
    expect((await api('project.open', { path: '/home/me/proj' })).status).toBe(200);
    expect((await api('project.open', { path: 'C:\\Users\\me\\proj' })).status).toBe(200);
  });

  it('payload errors are sentences: the field, the rule, what was sent', async () => {
    const r = await api('demo.create', { images: 3 });
    expect(r.body.error?.message).toBe('Cannot run demo.create: "images" must be at least 10 (you sent 3).');
    const s = await api('labels.set', { ids: [], classId: 'c1', colour: 'red' });
    expect(s.body.error?.message).toBe('Cannot run labels.set: "ids" needs at least 1 item (you sent []). "colour" is not an option.');
  });
});
