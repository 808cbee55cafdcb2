import { describe, expect, it } from 'vitest';
import { defaultFeatureEpochs } from '../../../../main/engine/pipeline/features-stage';

describe('default rotation epochs', () => {
  it('~80,000 image passes, 16 epochs for small projects down to 8 from 10,000 images', () => {
    expect(defaultFeatureEpochs(30)).toBe(16);
    expect(defaultFeatureEpochs(1000)).toBe(16);
    expect(defaultFeatureEpochs(5000)).toBe(16);
    expect(defaultFeatureEpochs(6000)).toBe(13);
    expect(defaultFeatureEpochs(10_000)).toBe(8);
    expect(defaultFeatureEpochs(50_000)).toBe(8);
  });
});
