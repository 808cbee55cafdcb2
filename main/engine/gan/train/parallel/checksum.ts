// A hash of every parameter, SN vector and Adam moment of a model set: equal on every data-parallel
// rank iff their states are bit-identical (the debug check that all-reduce keeps ranks in lockstep).
import type * as tf from '@tensorflow/tfjs';
import type { GanModels } from '../step';

export function stateChecksum(m: GanModels): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const vars: tf.Variable[] = [
    ...Object.values(m.g.weights), ...Object.values(m.d.weights),
    ...Object.values(m.g.sn).flatMap((s) => [s.u, s.v]), ...Object.values(m.d.sn).flatMap((s) => [s.u, s.v]),
    ...Object.values(m.optG.m), ...Object.values(m.optG.v), ...Object.values(m.optD.m), ...Object.values(m.optD.v),
  ];
  for (const v of vars) {
    const words = new Uint32Array((v.dataSync() as Float32Array).slice().buffer);
    for (let i = 0; i < words.length; i++) {
      h1 = Math.imul(h1 ^ words[i]!, 0x01000193) >>> 0;
      h2 = (Math.imul(h2, 31) + words[i]!) >>> 0;
    }
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}:${m.optG.t}:${m.optD.t}`;
}
