// The GAN step's gradient hook over the shared all-reduce (main/engine/parallel/allreduce.ts).
import type * as tf from '@tensorflow/tfjs';
import type { AllReduce } from '../../../parallel/allreduce';
import type { GradientHook } from '../step';

export { AllReduce, allocAllReduce, WorkerAbortedError, type AllReduceBuffers } from '../../../parallel/allreduce';

/** The step's gradient hook for data-parallel ranks: every rank's gradients replaced by their mean. */
export function gradientAverager(reduce: AllReduce, onAveraged?: (net: 'g' | 'd', g: Record<string, tf.Tensor>) => void): GradientHook {
  return (net, weights, grads) => {
    const names = Object.keys(weights);
    const shapes = Object.fromEntries(names.map((n) => [n, [...weights[n]!.shape]]));
    const avg = reduce.average(names, grads, shapes);
    onAveraged?.(net, avg);
    return avg;
  };
}
