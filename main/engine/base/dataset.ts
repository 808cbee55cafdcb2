// The in-memory training set every ML stage consumes: a pure value, independent of the project store,
// so models and loops are testable on synthetic data.
import type { ClassDef } from '../../../shared/contract';

export interface Dataset {
  /** Image ids in index order; excluded and missing images are not in here. */
  ids: string[];
  n: number;
  height: number;
  width: number;
  channels: 1 | 3;
  /** NHWC uint8 pixels, n*height*width*channels. */
  pixels: Uint8Array;
  /** Class index i ↔ classes[i]. */
  classes: ClassDef[];
  /** Hand label (any non-truth source) as class index, -1 when unlabeled. */
  handLabels: Int32Array;
  /** Evaluation-only ground truth as class index, -1 unknown; null unless explicitly requested. */
  truth: Int32Array | null;
}
