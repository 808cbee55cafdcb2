// Multi-worker variants of our side (data-parallel training); filled in once the parallel trainer exists.
import type { BenchConfig } from './configs';
import type { OursStepper } from './ours';

export const PARALLEL_READY = false;

export function oursStepperFor(_b: BenchConfig, workers: number): Promise<OursStepper> {
  return Promise.reject(new Error(`data-parallel training with ${workers} workers is not built yet; run with --workers 1`));
}
