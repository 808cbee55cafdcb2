// Issue 14: two tabs on one project converge: every label change (set, undo, redo, merge, delete) reaches
// every connected client with the revision, the changed images and the counts after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EventPayload } from '../../../shared/contract';
import { startBridge, type Bridge } from '../../../main/bridge/server';
import { writeImages } from '../engine/data/fixtures';
import { inProcessEngine } from './in-process-engine';

type Changed = EventPayload<'labels.changed'>;

let root: string;
let engine: ReturnType<typeof inProcessEngine>;
let bridge: Bridge;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 's3gan-tabs-'));
  engine = inProcessEngine(join(root, 'recent.json'));
  bridge = await startBridge({ engine, staticDir: root, version: '0.0.0' });
});
afterEach(async () => {
  await bridge.close();
  await engine.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function api<T = Record<string, unknown>>(name: string, body: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${bridge.port}/api/${name}`, {
    method: 'POST', headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const env = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!env.ok) throw new Error(env.error?.message);
  return env.result;
}

/** A tab: its WebSocket and every labels.changed it received. */
async function tab(): Promise<{ ws: WebSocket; changes: Changed[]; next(): Promise<Changed> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/events?token=${bridge.token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const changes: Changed[] = [];
  let waiter: ((c: Changed) => void) | null = null;
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { event: string; payload: Changed };
    if (m.event !== 'labels.changed') return;
    changes.push(m.payload);
    waiter?.(m.payload);
  });
  let seen = 0;
  const next = () => new Promise<Changed>((resolve, reject) => {
    if (changes.length > seen) return resolve(changes[seen++]!);
    const timer = setTimeout(() => reject(new Error('no labels.changed within 1 s')), 1000);
    waiter = (c) => {
      clearTimeout(timer);
      waiter = null;
      seen++;
      resolve(c);
    };
  });
  return { ws, changes, next };
}

describe('two tabs converge', () => {
  it('a label set in A, undone in B, redone, merged and deleted: both tabs hear each change with revision and counts', async () => {
    await writeImages(join(root, 'img'), 4);
    await api('project.create', { path: join(root, 'proj') });
    await api('images.import', { folders: [join(root, 'img')] });
    const ids = (await api<{ items: Array<{ id: string }> }>('images.list', {})).items.map((i) => i.id);
    const cat = (await api<{ id: string }>('classes.add', { name: 'cat' })).id;
    const dog = (await api<{ id: string }>('classes.add', { name: 'dog' })).id;
    const [a, b] = [await tab(), await tab()];
    try {
      const both = async () => {
        const [x, y] = await Promise.all([a.next(), b.next()]);
        expect(y).toEqual(x);
        return x;
      };
      const set = await api<{ revision: number }>('labels.set', { ids: [ids[0], ids[1]], classId: cat }); // "tab A"
      const e1 = await both();
      expect(e1.revision).toBe(set.revision);
      expect(e1.status).toMatchObject({ labeled: 2, per_class: { [cat]: 2 } });
      expect(e1.changes).toEqual(expect.arrayContaining([{ id: ids[0], label: cat, labelSource: 'bulk', excluded: false }]));
      expect(e1).toMatchObject({ canUndo: true, canRedo: false });

      await api('labels.undo', {}); // "tab B"
      const e2 = await both();
      expect(e2.revision).toBeGreaterThan(e1.revision!);
      expect(e2.status).toMatchObject({ labeled: 0 });
      expect(e2.changes?.every((c) => c.label === null)).toBe(true);
      expect(e2).toMatchObject({ canUndo: false, canRedo: true });

      await api('labels.redo', {});
      expect((await both()).status).toMatchObject({ labeled: 2 });
      await api('classes.merge', { from: cat, into: dog });
      expect((await both()).status).toMatchObject({ labeled: 2, per_class: { [dog]: 2 } });
      await api('classes.delete', { id: dog });
      const e5 = await both();
      expect(e5.status).toMatchObject({ labeled: 0, classes: 0 });
      expect(e5.canUndo).toBe(true);
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });
});
