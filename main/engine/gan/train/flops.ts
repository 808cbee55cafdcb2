// FLOPs of the networks of a GanConfig (2 × multiply-adds of convolutions and matmuls), and of one
// training step (n D updates + one G update) — the bench's "achieved GFLOP/s" divides by step time.
import { discriminatorChannels, generatorChannels, type GanConfig } from '../../models/gan-config';
import { seedInputs } from '../../models/generator';
import { rotatedCount } from './rotation';

const conv = (size: number, k: number, cin: number, cout: number) => 2 * size * size * k * k * cin * cout;

export function generatorFlopsPerImage(cfg: GanConfig): number {
  const { in: cin, out: cout } = generatorChannels(cfg);
  let flops = 2 * seedInputs(cfg) * 16 * cin[0]!;
  let size = 4;
  cin.forEach((ci, i) => {
    const co = cout[i]!;
    flops += conv(size, 1, ci, co); // shortcut before upsampling
    size *= 2;
    flops += conv(size, 3, ci, co) + conv(size, 3, co, co);
  });
  return flops + conv(size, 3, cout[cout.length - 1]!, cfg.channels);
}

export function discriminatorFlopsPerImage(cfg: GanConfig): number {
  const { in: cin, out: cout } = discriminatorChannels(cfg);
  let flops = 0;
  let size = cfg.resolution;
  cin.forEach((ci, i) => {
    const co = cout[i]!;
    flops += conv(size, 3, ci, co) + conv(size, 3, co, co) + (ci !== co ? conv(size, 1, ci, co) : 0);
    if (i < cin.length - 1) size /= 2;
  });
  return flops;
}

/** Forward + input gradients + weight gradients ≈ 3× forward; forward + input gradients only ≈ 2×. */
export function trainingStepFlops(cfg: GanConfig, batch: number, dSteps: number, rotatedFraction = 0.25): number {
  const g = generatorFlopsPerImage(cfg);
  const d = discriminatorFlopsPerImage(cfg);
  const rot = cfg.heads.rotation ? 4 * rotatedCount(batch, rotatedFraction) : 0;
  const dStep = batch * g + (2 * batch + rot) * 3 * d; // rotated reals only (step.ts)
  const gStep = batch * 3 * g + (batch + rot) * 2 * d;
  return dSteps * dStep + gStep;
}
