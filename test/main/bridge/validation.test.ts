import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../main/bridge/server';
import { fakeEngine } from './fake-engine';
import { malformedCases } from './malformed-cases';

const engine = fakeEngine();
let bridge: Bridge;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 's3gan-static-'));
  bridge = await startBridge({ engine, staticDir, version: '9.9.9' });
});
afterAll(async () => {
  await bridge.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('bridge rejects malformed params for every request before the engine sees them', () => {
  it.each(malformedCases().map((c) => [`${c.name} with ${c.label}`, c] as const))('%s', async (_title, c) => {
    const res = await fetch(`http://127.0.0.1:${bridge.port}/api/${c.name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(c.params),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string; name: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('INVALID_PAYLOAD');
    expect(body.error.name).toBe('ContractError');
    if (c.mentions) expect(body.error.message).toContain(c.mentions);
    expect(engine.calls).toEqual([]);
  });
});
