import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../../../../main/engine/gan/train/run-train';
import { loadRunGenerator } from '../../../../../main/engine/gan/sample/generator';
import { sampleImages, standingStats } from '../../../../../main/engine/gan/sample/generator';
import { fakeProject } from '../fake-project';
import { useBackend } from '../helpers';

beforeAll(() => useBackend('wasm'));

/** The README's loader snippet for Node (no tfjs-node needed): model.json + weights.bin → GraphModel. */
async function loadExported(dir: string): Promise<tf.GraphModel> {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, 'weights.bin'));
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
}

describe('export of the EMA generator', () => {
  it('loads with plain tf.loadGraphModel and reproduces the EMA generator (standing BN stats)', async () => {
    const project = fakeProject({ n: 24 });
    const r = await runTraining(project, { method: 's2gan-co', steps: 2, resolution: 16, ch: 4, batch: 8, seed: 9, gridEvery: 0 }, { control: { paused: false, stopped: false }, selectBackend: async () => tf.getBackend() });
    const dir = join(project.dir, 'runs', r.run);
    const model = await loadExported(join(dir, 'export'));
    const meta = (JSON.parse(readFileSync(join(dir, 'export', 'model.json'), 'utf8')) as { userDefinedMetadata: { s3gan: { classNames: string[] } } }).userDefinedMetadata.s3gan;
    expect(meta.classNames).toEqual(['stripes-h', 'stripes-v', 'stripes-d']);
    const loaded = loadRunGenerator(dir);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const z = tf.randomNormal([5, loaded.config.gan.zDim], 0, 1, 'float32', 3);
      const classes = [0, 1, 2, 0, 1];
      const y = tf.tensor2d(classes.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))), [5, 3]);
      const out = model.execute({ z, y }) as tf.Tensor;
      expect(out.shape).toEqual([5, 16, 16, 1]);
      const ref = sampleImages(loaded.config.gan, loaded.g, standingStats(loaded.config.gan, loaded.g, { seed: loaded.config.train.seed }), z.dataSync() as Float32Array, classes);
      expect(tf.max(tf.abs(tf.sub(out, ref))).dataSync()[0]).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
    loaded.dispose();
    model.dispose();
  }, 120_000);
});
