import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend/index';
import { allRotations, createRng, imageBatch, shuffled } from '../../../../main/engine/selfsup/augment';
import type { Dataset } from '../../../../main/engine/base/dataset';

function oneImage(values: number[], size: number): Dataset {
  return {
    ids: ['a'], n: 1, height: size, width: size, channels: 1, pixels: Uint8Array.from(values),
    classes: [], handLabels: new Int32Array([-1]), truth: null,
  };
}

describe('augmentation and rotations', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });

  it('scales pixels to [-1, 1] without augmentation', () => {
    const ds = oneImage([0, 255, 51, 204], 2);
    const x = imageBatch(ds, [0], null, createRng(1));
    expect(Array.from(x.dataSync()).map((v) => +v.toFixed(2))).toEqual([-1, 1, -0.6, 0.6]);
    x.dispose();
  });

  it('flips horizontally and shifts with edge replication', () => {
    const ds = oneImage([0, 255, 0, 255], 2);
    let sawFlip = false;
    for (let s = 0; s < 20; s++) {
      const x = imageBatch(ds, [0], { shift: 0, flip: true }, createRng(s));
      const v = Array.from(x.dataSync());
      x.dispose();
      if (v[0] === 1) {
        sawFlip = true;
        expect(v).toEqual([1, -1, 1, -1]);
      } else expect(v).toEqual([-1, 1, -1, 1]);
    }
    expect(sawFlip).toBe(true);
    const shifted = new Set<string>();
    const ramp = oneImage([0, 85, 170, 255, 0, 85, 170, 255, 0, 85, 170, 255, 0, 85, 170, 255], 4);
    for (let s = 0; s < 20; s++) {
      const x = imageBatch(ramp, [0], { shift: 1, flip: false }, createRng(s));
      const row = Array.from(x.dataSync()).slice(0, 4).map((v) => Math.round((v + 1) * 127.5));
      x.dispose();
      shifted.add(row.join(','));
    }
    // left shift, none and right shift of a ramp, edges replicated
    expect([...shifted].sort()).toEqual(['0,0,85,170', '0,85,170,255', '85,170,255,255']);
  });

  it('stacks the four rotations rotation-major with matching labels', () => {
    // 2×2 image [[1, 2], [3, 4]]
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const { images, labels } = allRotations(x);
    const v = Array.from(images.dataSync());
    expect(v.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(v.slice(4, 8)).toEqual([2, 4, 1, 3]); // 90° counter-clockwise
    expect(v.slice(8, 12)).toEqual([4, 3, 2, 1]); // 180°
    expect(v.slice(12, 16)).toEqual([3, 1, 4, 2]); // 270°
    expect(Array.from(labels.dataSync())).toEqual([0, 1, 2, 3]);
    tf.dispose([x, images, labels]);
  });

  it('shuffles to a seeded permutation', () => {
    const a = shuffled(50, createRng(4));
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(shuffled(50, createRng(4)))).toEqual(Array.from(a));
    expect(Array.from(shuffled(50, createRng(5)))).not.toEqual(Array.from(a));
  });
});
