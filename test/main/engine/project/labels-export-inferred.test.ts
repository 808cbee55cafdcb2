// labels.export JSON with inferred labels carries each prediction's confidence (hand labels have none).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stagePaths } from '../../../../main/engine/pipeline/stage-files';
import { addClass } from '../../../../main/engine/project/classes';
import { exportLabels } from '../../../../main/engine/project/labels-export';
import { projectWithImages } from './helpers';

describe('labels export with inferred labels', () => {
  let ctx: Awaited<ReturnType<typeof projectWithImages>>;
  beforeEach(async () => {
    ctx = await projectWithImages(3);
  });
  afterEach(async () => ctx.cleanup());

  it('JSON rows of inferred labels have their confidence', async () => {
    const p = ctx.project;
    const cat = (await addClass(p, 'cat')).id;
    await p.setLabels([ctx.ids[0]!], cat, 'hand');
    const inferFile = stagePaths(p.dir).inferResult;
    mkdirSync(dirname(inferFile), { recursive: true });
    writeFileSync(inferFile, JSON.stringify({ ids: ctx.ids, predicted: ctx.ids.map(() => cat), confidence: [1, 0.75, 0.5] }));
    const out = join(ctx.root, 'inf.json');
    await exportLabels(p, { format: 'json', out, inferred: true });
    const labels = (JSON.parse(readFileSync(out, 'utf8')) as { labels: Array<{ source: string; confidence?: number }> }).labels;
    expect(labels.map((l) => [l.source, l.confidence])).toEqual([['hand', undefined], ['inferred', 0.75], ['inferred', 0.5]]);
  });
});
