// Turns the training cache plus the project's labels into the Dataset every ML stage consumes.
import type { ClassDef } from '../../../shared/contract';
import type { TrainingCache } from './cache';
import type { Dataset } from '../base/dataset';

export interface DatasetInputs {
  cache: TrainingCache;
  /** Ids allowed in the dataset (not excluded, not missing), in the order wanted. */
  include: ReadonlySet<string>;
  classes: ClassDef[];
  /** Non-truth label class id per image id. */
  labelOf: (id: string) => string | undefined;
  /** Evaluation truth; only passed when explicitly requested. */
  truthOf?: (id: string) => string | undefined;
}

export function buildDataset(inputs: DatasetInputs): Dataset {
  const { cache, include, classes } = inputs;
  const rowSize = cache.resolution * cache.resolution * cache.channels;
  const classIndex = new Map(classes.map((c, i) => [c.id, i]));
  const rows: number[] = [];
  cache.ids.forEach((id, row) => {
    if (include.has(id)) rows.push(row);
  });
  const n = rows.length;
  const pixels = new Uint8Array(n * rowSize);
  const ids: string[] = [];
  const handLabels = new Int32Array(n).fill(-1);
  const truth = inputs.truthOf ? new Int32Array(n).fill(-1) : null;
  rows.forEach((row, i) => {
    const id = cache.ids[row]!;
    ids.push(id);
    pixels.set(cache.pixels.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
    const label = inputs.labelOf(id);
    // A label pointing at a class that no longer exists counts as unlabeled.
    handLabels[i] = label === undefined ? -1 : classIndex.get(label) ?? -1;
    if (truth && inputs.truthOf) {
      const t = inputs.truthOf(id);
      truth[i] = t === undefined ? -1 : classIndex.get(t) ?? -1;
    }
  });
  return { ids, n, height: cache.resolution, width: cache.resolution, channels: cache.channels, pixels, classes: classes.map((c) => ({ ...c })), handLabels, truth };
}
