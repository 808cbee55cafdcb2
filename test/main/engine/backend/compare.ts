// Shared by the kernel suites: how far a kernel's output is from the reference's.
import { expect } from 'vitest';

/** max |a − b| over max |b| (lengths must match): the error relative to the reference's scale. */
export function relError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}
