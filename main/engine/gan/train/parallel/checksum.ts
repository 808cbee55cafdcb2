// A hash of every parameter, SN vector and Adam moment of a model set: equal on every data-parallel
// rank iff their states are bit-identical (the debug check that all-reduce keeps ranks in lockstep).
import type * as tf from '@tensorflow/tfjs';
import { tensorsChecksum } from '../../../parallel/checksum';
import type { GanModels } from '../step';

export function stateChecksum(m: GanModels): string {
  const vars: tf.Variable[] = [
    ...Object.values(m.g.weights), ...Object.values(m.d.weights),
    ...Object.values(m.g.sn).flatMap((s) => [s.u, s.v]), ...Object.values(m.d.sn).flatMap((s) => [s.u, s.v]),
    ...Object.values(m.optG.m), ...Object.values(m.optG.v), ...Object.values(m.optD.m), ...Object.values(m.optD.v),
  ];
  return `${tensorsChecksum(vars)}:${m.optG.t}:${m.optD.t}`;
}
