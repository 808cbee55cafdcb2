import { describe, expect, it } from 'vitest';
import { learningRateAt, scheduledLearningRate } from '../../../../main/engine/selfsup/train-loop';

describe('learning-rate schedule', () => {
  it('one warm-up + cosine across one-epoch calls: continuous at epoch boundaries, warm-up only at the start', () => {
    const perEpoch = 157;
    const epochs = 8;
    const rates: number[] = [];
    for (let e = 0; e < epochs; e++) for (let s = 0; s < perEpoch; s++) rates.push(scheduledLearningRate(2e-3, s, perEpoch, { epoch: e, epochs }));
    expect(rates).toEqual(Array.from({ length: perEpoch * epochs }, (_, i) => learningRateAt(2e-3, i, perEpoch * epochs)));
    const peak = rates.indexOf(Math.max(...rates));
    expect(peak).toBeLessThan(perEpoch);
    for (let i = peak + 1; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
    expect(rates.at(-1)!).toBeCloseTo(2e-3 * 0.05, 6);
  });

  it('without a schedule each call runs its own cycle', () => {
    expect(scheduledLearningRate(1e-3, 10, 100)).toBe(learningRateAt(1e-3, 10, 100));
    expect(scheduledLearningRate(1e-3, 10, 100, null)).toBe(learningRateAt(1e-3, 10, 100));
  });
});
