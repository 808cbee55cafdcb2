// Tiny synthetic datasets for the self-supervised tests: 8×8 gray images, quick on wasm.
import type { Dataset } from '../../../../main/engine/base/dataset';
import type { EncoderConfig } from '../../../../main/engine/models/encoder';

export const tinyConfig: EncoderConfig = { resolution: 8, channels: 1, width: 4, depth: 1, featureDim: 8, seed: 3 };

/**
 * Two separable classes, both with an "up" direction so rotation is learnable:
 * class 0 = bright bar along the top rows, class 1 = bright block in the top-left corner only.
 * A little deterministic noise makes every image distinct.
 */
export function twoClassDataset(n: number, labeledPerClass: number): Dataset {
  const size = 8;
  const pixels = new Uint8Array(n * size * size);
  const truth = new Int32Array(n);
  const handLabels = new Int32Array(n).fill(-1);
  const seen = [0, 0];
  let noise = 12345;
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    truth[i] = c;
    if (seen[c]! < labeledPerClass) {
      handLabels[i] = c;
      seen[c]! += 1;
    }
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        noise = (noise * 1103515245 + 12345) >>> 0;
        const on = c === 0 ? y < 2 : y < 4 && x < 3;
        pixels[i * 64 + y * size + x] = (on ? 220 : 20) + (noise % 30);
      }
    }
  }
  return {
    ids: Array.from({ length: n }, (_, i) => `img${i}`), n, height: size, width: size, channels: 1, pixels,
    classes: [{ id: 'a', name: 'bar', color: '#ff0000' }, { id: 'b', name: 'corner', color: '#00ff00' }],
    handLabels, truth: null, // truth kept out: S⁴L must not need it
  } satisfies Dataset & { truth: null };
}

export function truthOf(ds: Dataset): Int32Array {
  return Int32Array.from({ length: ds.n }, (_, i) => i % 2);
}
