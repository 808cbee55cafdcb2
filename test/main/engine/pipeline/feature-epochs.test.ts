import { describe, expect, it } from 'vitest';
import { defaultFeatureEpochs } from '../../../../main/engine/pipeline/features-stage';

describe('default rotation epochs', () => {
  it('~160,000 image passes, 32 epochs for projects up to 5,000 images down to 8 from 20,000', () => {
    expect(defaultFeatureEpochs(30)).toBe(32);
    expect(defaultFeatureEpochs(1000)).toBe(32);
    expect(defaultFeatureEpochs(5000)).toBe(32);
    expect(defaultFeatureEpochs(6000)).toBe(27);
    expect(defaultFeatureEpochs(10_000)).toBe(16);
    expect(defaultFeatureEpochs(20_000)).toBe(8);
    expect(defaultFeatureEpochs(50_000)).toBe(8);
  });
});
