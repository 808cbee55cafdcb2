import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { listImages, projectStatus } from '../../../../main/engine/project/status';
import { tempDir } from '../data/fixtures';

const N = 20_000;

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

describe('a 20,000-image project', () => {
  let tmp: ReturnType<typeof tempDir>;
  let project: Project;
  let ids: string[];
  beforeAll(async () => {
    tmp = tempDir();
    project = await Project.create(join(tmp.path, 'proj'));
    ids = Array.from({ length: N }, (_, i) => i.toString(16).padStart(32, '0'));
    // Index records without files: this measures the store, not decoding.
    for (let i = 0; i < N; i++) {
      await project.index.put({
        id: ids[i]!, name: `${i}.png`, source: `/data/set/${i}.png`, rel: `${i}.png`, folder: '/data/set',
        width: 32, height: 32, channels: 3, isGray: false, status: 'ok', order: i, addedAt: '2026-01-01T00:00:00Z',
      }, { sync: false });
    }
    await project.index.flush();
  });
  afterAll(async () => {
    await project.close();
    tmp.remove();
  });

  it('lists images and computes status from memory in well under a second', async () => {
    const cat = (await addClass(project, 'cat')).id;
    await project.setLabels(ids.slice(0, 5000), cat, 'bulk');
    const list = time(() => listImages(project));
    expect(list.value).toHaveLength(N);
    expect(list.value[4999]!.label).toBe(cat);
    const status = time(() => projectStatus(project));
    expect(status.value.labeled).toBe(5000);
    console.log(`images.list ${N}: ${list.ms.toFixed(1)} ms; status: ${status.ms.toFixed(1)} ms`);
    expect(list.ms).toBeLessThan(500);
    expect(status.ms).toBeLessThan(500);
  });

  it('labels.set for one id appends one line (no rewrite) in a few ms', async () => {
    const cat = project.classes()[0]!.id;
    const log = join(project.dir, 'labels.log');
    const before = statSync(log).size;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await project.setLabels([ids[10_000 + i]!], cat, 'hand');
      times.push(performance.now() - t0);
    }
    const grew = statSync(log).size - before;
    times.sort((a, b) => a - b);
    console.log(`labels.set one id: median ${times[15]!.toFixed(2)} ms, max ${times[29]!.toFixed(2)} ms; ${(grew / 30).toFixed(0)} bytes/label`);
    expect(grew / 30).toBeLessThan(250); // one short line per label, not a rewrite of the 5000-id history
    expect(times[15]!).toBeLessThan(50);
  });

  it('reopens (replaying index and label log) quickly', async () => {
    await project.close();
    const { ms, value } = await (async () => {
      const t0 = performance.now();
      const p = await Project.open(join(tmp.path, 'proj'));
      return { ms: performance.now() - t0, value: p };
    })();
    project = value;
    console.log(`reopen with ${N} images: ${ms.toFixed(0)} ms`);
    expect(project.index.size).toBe(N);
    expect(projectStatus(project).labeled).toBe(5030);
    expect(ms).toBeLessThan(3000);
  });
});
