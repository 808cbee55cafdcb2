import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRng } from '../../../../main/engine/base/prng';
import { computeFeatureMap, ensureFeatureMap, readFeatureMap, UMAP_MIN_IMAGES, writeFeatureMap } from '../../../../main/engine/pipeline/feature-map';

/** n points in `clusters` well-separated Gaussian-ish blobs of dimension dim. */
function blobs(n: number, dim: number, clusters: number): { data: Float32Array; label: number[] } {
  const rng = seededRng(7);
  const data = new Float32Array(n * dim);
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    label.push(c);
    for (let d = 0; d < dim; d++) data[i * dim + d] = (d % clusters === c ? 4 : 0) + rng() - 0.5;
  }
  return { data, label };
}

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('feature map', () => {
  it('is UMAP from UMAP_MIN_IMAGES images, deterministic, in [-1, 1], and keeps blobs apart', async () => {
    const { data, label } = blobs(120, 40, 3);
    const a = await computeFeatureMap(data, 40);
    const b = await computeFeatureMap(data, 40);
    expect(a.method).toBe('umap');
    expect(a).toEqual(b);
    expect(Math.max(...a.x.map(Math.abs), ...a.y.map(Math.abs))).toBeLessThanOrEqual(1);
    // Each point's nearest other point on the map is of its own blob.
    let same = 0;
    for (let i = 0; i < 120; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < 120; j++) {
        const d = (a.x[i]! - a.x[j]!) ** 2 + (a.y[i]! - a.y[j]!) ** 2;
        if (j !== i && d < bestD) [best, bestD] = [j, d];
      }
      if (label[best] === label[i]) same++;
    }
    expect(same / 120).toBeGreaterThan(0.95);
  });

  it('is PCA below UMAP_MIN_IMAGES images', async () => {
    const { data } = blobs(UMAP_MIN_IMAGES - 1, 8, 2);
    expect((await computeFeatureMap(data, 8)).method).toBe('pca');
  });

  it('is cached by the embeddings it was made from', async () => {
    dir = await mkdtemp(join(tmpdir(), 's3gan-fmap-'));
    const { data } = blobs(60, 8, 2);
    const ids = Array.from({ length: 60 }, (_, i) => `i${i}`);
    expect(readFeatureMap(dir, data)).toBeNull();
    const written = await writeFeatureMap(dir, ids, data, 8);
    expect(readFeatureMap(dir, data)).toEqual(written);
    const other = data.slice();
    other[0] = 99;
    expect(readFeatureMap(dir, other)).toBeNull(); // other features: no stale map
    const again = await ensureFeatureMap(dir, ids, other, 8);
    expect(again.key).not.toBe(written.key);
  });
});
