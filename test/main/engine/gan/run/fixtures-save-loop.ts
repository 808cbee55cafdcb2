// Child process for the checkpoint atomicity test: saves checkpoints of a small model in a loop, every
// saved array filled with the step number, and prints each step once its save returned.
import * as tf from '@tensorflow/tfjs';
import { createModels } from '../../../../../main/engine/gan/train/models';
import { modelArrays, saveCheckpoint } from '../../../../../main/engine/gan/train/checkpoint-state';
import { makeGanConfig } from '../../../../../main/engine/models/gan-config';

const dir = process.argv[2]!;
await tf.setBackend('cpu');
const cfg = makeGanConfig({ resolution: 32, ch: 16, channels: 3, numClasses: 10, heads: { projection: true, rotation: true, classifier: true } });
const m = createModels(cfg, { seed: 1, lrG: 1e-4, lrD: 1e-4 });
const all = [m.g.weights, m.d.weights, m.gEma.weights, m.optG.m, m.optG.v, m.optD.m, m.optD.v, ...Object.values(m.g.sn).map((s) => ({ u: s.u, v: s.v })), ...Object.values(m.d.sn).map((s) => ({ u: s.u, v: s.v }))];
process.stdout.write(`floats ${modelArrays(m).reduce((s, a) => s + a.data.length, 0)}\n`);
for (let step = 1; ; step++) {
  tf.tidy(() => all.forEach((vars) => Object.values(vars).forEach((v) => v.assign(tf.fill(v.shape, step)))));
  const sampler = { rng: { s: step }, epoch: step, cursor: 0, labeledEpoch: 0, labeledCursor: 0 };
  await saveCheckpoint(dir, m, { step, sampler, config: { run: 'kill-test' } as never });
  process.stdout.write(`saved ${step}\n`);
}
