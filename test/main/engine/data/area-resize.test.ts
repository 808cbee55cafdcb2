import { describe, expect, it } from 'vitest';
import { areaResize } from '../../../../main/engine/data/area-resize';

describe('areaResize', () => {
  it('integer factor = mean of each block', () => {
    // 4x4 gray → 2x2: each output is the mean of a 2x2 block.
    const src = Uint8Array.from([0, 10, 100, 110, 20, 30, 120, 130, 200, 200, 0, 0, 200, 200, 0, 4]);
    expect([...areaResize(src, 4, 4, 1, 2, 2)]).toEqual([15, 115, 200, 1]);
  });

  it('fractional factor weights partial coverage; RGB channels stay apart', () => {
    // 3 px → 2 px: out0 = (p0 + 0.5 p1) / 1.5, out1 = (0.5 p1 + p2) / 1.5.
    const src = Uint8Array.from([0, 0, 0, 90, 30, 0, 180, 60, 255]);
    const out = areaResize(src, 3, 1, 3, 2, 1);
    expect([...out]).toEqual([30, 10, 0, 150, 50, 170]);
  });

  it('a high-frequency checkerboard averages to flat gray (no aliasing)', () => {
    const n = 64;
    const src = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) src[y * n + x] = (x + y) % 2 ? 255 : 0;
    const out = areaResize(src, n, n, 1, 8, 8);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(127);
    expect(Math.max(...out)).toBeLessThanOrEqual(128);
  });
});
