import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ContractError } from '../../../shared/contract';
import { startBridge, type Bridge } from '../../../main/bridge/server';
import { fakeEngine, type FakeEngine } from './fake-engine';

let engine: FakeEngine;
let bridge: Bridge;
let root: string;
let staticDir: string;
let projectDir: string;

const THUMB = 'abcdef0123456789';

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 's3gan-bridge-'));
  staticDir = join(root, 'dist');
  projectDir = join(root, 'proj');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>S3GAN</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  mkdirSync(join(projectDir, 'thumbs', 'ab'), { recursive: true });
  writeFileSync(join(projectDir, 'thumbs', 'ab', `${THUMB}.webp`), 'RIFFfakeWEBP');
  engine = fakeEngine({
    'project.open': (p) => ({ path: (p as { path: string }).path, name: 'p' }),
    'project.current': () => null,
    'fs.list': () => ({ path: '/', parent: null, entries: [] }),
    'app.info': () => ({ version: 'engine', mode: 'web', backend: { backend: 'wasm', version: '4.22.0', gpu: false, tried: [], advice: [] } }),
    'images.list': () => {
      throw new ContractError('NO_PROJECT', 'No project is open');
    },
    'project.close': () => {
      throw new ContractError('PROJECT_LOCKED', 'locked by another process');
    },
  });
  bridge = await startBridge({ engine, staticDir, version: '1.2.3' });
});

afterEach(async () => {
  await bridge.close();
  rmSync(root, { recursive: true, force: true });
});

function api(name: string, body: unknown, token: string | null = bridge.token): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return fetch(`http://127.0.0.1:${bridge.port}/api/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** node:http so tests can send headers fetch forbids (Host). */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsOpen(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('web bridge', () => {
  it('listens on 127.0.0.1 and prints a tokenised URL', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('answers a request with {ok:true,result}', async () => {
    const res = await api('fs.list', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: { path: '/', parent: null, entries: [] } });
    expect(engine.calls).toEqual([{ name: 'fs.list', params: {} }]);
  });

  it('rejects a missing or wrong token with 401 and never calls the engine', async () => {
    for (const token of [null, 'wrong', `${bridge.token}x`]) {
      const res = await api('fs.list', {}, token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    expect(engine.calls).toEqual([]);
  });

  it('rejects a foreign Host header (DNS rebinding) even with the token', async () => {
    const bad = await raw('/', { Host: `evil.example:${bridge.port}` });
    expect(bad.status).toBe(403);
    const good = await raw('/', { Host: `localhost:${bridge.port}` });
    expect(good.status).toBe(200);
  });

  it('maps error codes to HTTP statuses', async () => {
    expect((await api('nope.nothing', {})).status).toBe(400);
    expect(((await (await api('nope.nothing', {})).json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_REQUEST');
    expect((await api('project.close', {})).status).toBe(409);
    expect((await api('images.list', {})).status).toBe(500);
    const res = await fetch(`http://127.0.0.1:${bridge.port}/api/fs.list`, { method: 'POST', headers: { Authorization: `Bearer ${bridge.token}` }, body: '{not json' });
    expect(res.status).toBe(400);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const res = await api('images.exclude', { ids: ['x'.repeat(1024 * 1024)], excluded: true });
    expect(res.status).toBe(413);
    expect(engine.calls).toEqual([]);
  });

  it('answers host requests itself: app.info (web mode, engine backend) and dialog.pickFolder', async () => {
    const info = (await (await api('app.info', {})).json()) as { result: { mode: string; version: string; backend: { backend: string } } };
    expect(info.result).toMatchObject({ mode: 'web', version: '1.2.3', backend: { backend: 'wasm' } });
    expect(await (await api('dialog.pickFolder', {})).json()).toEqual({ ok: true, result: { path: null } });
  });

  it('serves the renderer without a token, with CSP and nosniff, and never outside staticDir', async () => {
    const page = await fetch(`http://127.0.0.1:${bridge.port}/?token=whatever`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>S3GAN</title>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('connect-src \'self\' ws://127.0.0.1:* ws://localhost:*');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await fetch(`http://127.0.0.1:${bridge.port}/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await raw('/..%2Fsecret.txt', { Host: `127.0.0.1:${bridge.port}` })).status).toBe(404);
    expect((await raw('/../secret.txt', { Host: `127.0.0.1:${bridge.port}` })).body).not.toContain('outside');
  });

  it('serves thumbnails of the project opened through it, with the token in the query', async () => {
    const thumb = (t: string, id = THUMB) => fetch(`http://127.0.0.1:${bridge.port}/thumb/${id}?token=${t}`);
    expect((await thumb(bridge.token)).status).toBe(404); // no project yet (engine says null)
    await api('project.open', { path: projectDir });
    expect((await thumb('wrong')).status).toBe(401);
    const ok = await thumb(bridge.token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/webp');
    expect(ok.headers.get('cache-control')).toMatch(/max-age/);
    expect(await ok.text()).toBe('RIFFfakeWEBP');
    expect((await thumb(bridge.token, '..%2F..%2Fsecret')).status).toBe(400);
    expect((await thumb(bridge.token, 'abcdef0199999999')).status).toBe(404);
  });

  it('follows project.changed events for the thumbnail folder', async () => {
    engine.emit('project.changed', { path: projectDir });
    expect((await fetch(`http://127.0.0.1:${bridge.port}/thumb/${THUMB}?token=${bridge.token}`)).status).toBe(200);
    engine.emit('project.changed', { path: null });
    expect((await fetch(`http://127.0.0.1:${bridge.port}/thumb/${THUMB}?token=${bridge.token}`)).status).toBe(404);
  });

  it('pushes engine events to WebSocket clients that present the token', async () => {
    const ws = await wsOpen(`ws://127.0.0.1:${bridge.port}/events?token=${bridge.token}`);
    const got = new Promise<unknown>((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
    const progress = { jobId: 'j1', kind: 'train' as const, phase: 'train', done: 3, total: 10, etaMs: 70 };
    engine.emit('job.progress', progress);
    expect(await got).toEqual({ event: 'job.progress', payload: progress });
    ws.close();
  });

  it('rejects WebSocket upgrades without the right token, or from a foreign origin', async () => {
    await expect(wsOpen(`ws://127.0.0.1:${bridge.port}/events`)).rejects.toThrow(/401/);
    await expect(wsOpen(`ws://127.0.0.1:${bridge.port}/events?token=nope`)).rejects.toThrow(/401/);
    await expect(wsOpen(`ws://127.0.0.1:${bridge.port}/events?token=${bridge.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });
});
