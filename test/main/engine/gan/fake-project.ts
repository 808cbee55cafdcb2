// A synthetic OpenProject for trainer tests: stripe images at any requested resolution, 3 classes,
// every third image hand-labeled, truth for all; optional cluster / inferred-label stage files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassDef } from '../../../../shared/contract';
import type { Dataset } from '../../../../main/engine/base/dataset';
import type { OpenProject } from '../../../../main/engine/base/engine-context';
import { registerTempDir } from '../../../setup/temp-dirs';
import { stripes } from './helpers';

export const CLASSES: ClassDef[] = ['h', 'v', 'd'].map((id, i) => ({ id, name: `stripes-${id}`, color: `#00000${i}` }));

export function dataset(n: number, size: number, includeTruth: boolean): Dataset {
  const s = stripes(n, size, 3);
  return {
    ids: Array.from({ length: n }, (_, i) => `img${String(i).padStart(4, '0')}`), n, height: size, width: size, channels: 1,
    pixels: s.pixels, classes: CLASSES, handLabels: s.labels, truth: includeTruth ? s.truth : null,
  };
}

export function fakeProject(opts: { n?: number; stages?: boolean } = {}): OpenProject {
  const dir = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-gan-'))); // removed after the test file
  const n = opts.n ?? 24;
  if (opts.stages) {
    const ids = dataset(n, 8, false).ids;
    mkdirSync(join(dir, 'clusters'), { recursive: true });
    writeFileSync(join(dir, 'clusters', 'result.json'), JSON.stringify({ k: 4, ids, assignments: ids.map((_, i) => i % 4) }));
    mkdirSync(join(dir, 'infer'), { recursive: true });
    writeFileSync(join(dir, 'infer', 'result.json'), JSON.stringify({ ids, classIds: CLASSES.map((c) => c.id), predicted: ids.map((_, i) => CLASSES[(i + 1) % 3]!.id) }));
  }
  return {
    dir,
    settings: () => ({ resolution: 16, channels: '1', backend: 'wasm' }),
    classes: () => CLASSES,
    labelRevision: () => 1,
    loadDataset: async (o) => dataset(n, o?.resolution ?? 16, o?.includeTruth ?? false),
    setLabels: async () => ({ applied: 0, group: null }),
  };
}
