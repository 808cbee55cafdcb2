import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { addClass } from '../../../../main/engine/project/classes';
import { Project } from '../../../../main/engine/project/project';
import { projectWithImages } from './helpers';
import { exited, spawnTs } from './spawn';

const writer = join(import.meta.dirname, 'fixtures', 'label-writer.ts');

/** Labels after the first `count` writes of the writer's deterministic sequence. */
function expectedAfter(count: number, ids: string[], a: string, b: string): Map<string, string> {
  const m = new Map<string, string>();
  for (let j = 0; j < count; j++) m.set(ids[j % ids.length]!, Math.floor(j / ids.length) % 2 ? b : a);
  return m;
}

describe('label log durability', () => {
  it('every acknowledged label survives kill -9 of the writer mid-burst', async () => {
    const ctx = await projectWithImages(8);
    const a = (await addClass(ctx.project, 'a')).id;
    const b = (await addClass(ctx.project, 'b')).id;
    const dir = ctx.project.dir;
    await ctx.project.close();
    try {
      const child = spawnTs(writer, [dir, a, b]);
      let acked = -1;
      let killed = false;
      const rl = createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        const m = /^ack (\d+)$/.exec(line);
        if (!m) return;
        acked = Math.max(acked, Number(m[1]));
        // Mid-burst: well into the second pass over the images, while writes keep coming.
        if (acked >= 40 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      await exited(child);
      rl.close();
      expect(killed).toBe(true);
      ctx.project = await Project.open(dir); // the dead writer's lock is taken over
      const got = new Map(ctx.ids.map((id) => [id, ctx.project.labelOf(id)?.classId]));
      const afterAcked = expectedAfter(acked + 1, ctx.ids, a, b);
      const afterInFlight = expectedAfter(acked + 2, ctx.ids, a, b); // one write may have landed unacknowledged
      const matches = (m: Map<string, string>) => ctx.ids.every((id) => got.get(id) === m.get(id));
      expect(matches(afterAcked) || matches(afterInFlight)).toBe(true);
      expect(ctx.project.labels.lastSeq).toBeGreaterThanOrEqual(acked + 1);
    } finally {
      await ctx.cleanup();
    }
  });
});
