import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffAugment, drawAugmentParams } from '../../../../../main/engine/gan/train/diffaugment';
import { Prng } from '../../../../../main/engine/base/prng';
import { rot90, rotationBatch } from '../../../../../main/engine/gan/train/rotation';
import { useBackend } from '../helpers';

beforeAll(() => useBackend('wasm'));

describe('rotation self-supervision batch', () => {
  it('rotates by quarter turns (four make the identity) and labels 0..3', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]); // [[1,2],[3,4]]
      expect(Array.from(rot90(x, 1).dataSync())).toEqual([2, 4, 1, 3]); // counter-clockwise
      expect(Array.from(rot90(x, 2).dataSync())).toEqual([4, 3, 2, 1]);
      expect(Array.from(rot90(x, 3).dataSync())).toEqual([3, 1, 4, 2]);
      expect(Array.from(rot90(rot90(x, 3), 1).dataSync())).toEqual([1, 2, 3, 4]);
      const batch = tf.stack([x.squeeze([0]), tf.add(x.squeeze([0]), 10)]) as tf.Tensor4D;
      const r = rotationBatch(batch, 1);
      expect(r.images.shape).toEqual([4, 2, 2, 1]);
      expect(Array.from(r.labels)).toEqual([0, 1, 2, 3]);
      expect(Array.from(r.images.slice([0], [1]).dataSync())).toEqual([11, 12, 13, 14]); // the last image
    });
  });
});

describe('DiffAugment', () => {
  it('is deterministic for given parameters and translates with zero fill', () => {
    const p = drawAugmentParams(new Prng(1), 2, 8);
    const q = drawAugmentParams(new Prng(1), 2, 8);
    expect(q).toEqual(p);
    tf.tidy(() => {
      const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
      const a = diffAugment(x, p);
      expect(a.shape).toEqual([2, 8, 8, 3]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(diffAugment(x, q).dataSync()));
      // Pure translation: neutral colour, no cutout, shift one row down and one column left.
      const neutral = { brightness: new Float32Array(1), saturation: Float32Array.of(1), contrast: Float32Array.of(1), shiftY: Int32Array.of(1), shiftX: Int32Array.of(-1), cutoutMask: new Float32Array(16).fill(1) };
      const img = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
      const moved = diffAugment(img, neutral).dataSync();
      // mean-preserving colour ops with factor 1 leave values; row 0 is filled with 0, column 3 too
      expect(Array.from(moved)).toEqual([0, 0, 0, 0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0].map((v) => expect.closeTo(v, 5)) as unknown as number[]);
    });
  });

  it('passes gradients to the generator side', () => {
    const p = drawAugmentParams(new Prng(2), 2, 8);
    const x = tf.variable(tf.randomNormal([2, 8, 8, 1]));
    const { grads } = tf.variableGrads(() => diffAugment(x as unknown as tf.Tensor4D, p).square().sum() as tf.Scalar, [x]);
    expect(Object.values(grads)[0]!.abs().sum().dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, ...Object.values(grads)]);
  });
});
