// A hash of tensors' exact bits: equal on every data-parallel rank iff their states are bit-identical
// (the debug check that all-reduce keeps ranks in lockstep).
import type * as tf from '@tensorflow/tfjs';

export function tensorsChecksum(tensors: tf.Tensor[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const v of tensors) {
    const words = new Uint32Array((v.dataSync() as Float32Array).slice().buffer);
    for (let i = 0; i < words.length; i++) {
      h1 = Math.imul(h1 ^ words[i]!, 0x01000193) >>> 0;
      h2 = (Math.imul(h2, 31) + words[i]!) >>> 0;
    }
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
