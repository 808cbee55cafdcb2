// Export of the EMA generator as a tfjs graph model (model.json + weights.bin, the converter's
// artifacts format): load with `tf.loadGraphModel`, run `model.execute({z, y})` → images in [-1, 1].
// Spectral norms are divided out and the standing BN statistics folded into constants, so the graph
// is a plain feed-forward net with two inputs and one output.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BnStats } from '../../models/cbn';
import { generatorChannels, zChunks, type GanConfig } from '../../models/gan-config';
import { param, type Net } from '../../models/ops';
import { writeFileAtomic } from '../../base/durable-fs';
import { GraphBuilder } from './graph-builder';
import type { RunConfig } from '../run/run-config';
import { standingStats } from './generator';

const EPS = 1e-4;
const SEED = 4;

function values(net: Net, name: string): { data: Float32Array; shape: number[] } {
  const t = tf.tidy(() => param(net, name).clone()); // SN applied; a clone, so disposing never frees the variable
  const out = { data: Float32Array.from(t.dataSync()), shape: [...t.shape] };
  t.dispose();
  return out;
}

function weight(b: GraphBuilder, net: Net, name: string): string {
  const { data, shape } = values(net, name);
  return b.constFloat(name, data, shape);
}

/** x̂ = x·a + c with a = 1/√(σ²+ε), c = −μ·a from the standing statistics. */
function normalize(b: GraphBuilder, stats: BnStats, name: string, x: string): string {
  const s = stats.get(name)!;
  const a = Float32Array.from(s.variance, (v) => 1 / Math.sqrt(v / s.count + EPS));
  const c = Float32Array.from(s.mean, (m, i) => (-m / s.count) * a[i]!);
  return b.binary('AddV2', b.binary('Mul', x, b.constFloat(`${name}.a`, a, [a.length])), b.constFloat(`${name}.c`, c, [c.length]));
}

function conditionalBn(b: GraphBuilder, net: Net, stats: BnStats, name: string, x: string, cond: string, channels: number): string {
  const gamma = b.reshape(b.binary('AddV2', b.matMul(cond, weight(b, net, `${name}.gamma.w`)), b.constFloat('one', Float32Array.of(1), [])), [-1, 1, 1, channels]);
  const beta = b.reshape(b.matMul(cond, weight(b, net, `${name}.beta.w`)), [-1, 1, 1, channels]);
  return b.binary('AddV2', b.binary('Mul', normalize(b, stats, name, x), gamma), beta);
}

function conv(b: GraphBuilder, net: Net, name: string, x: string): string {
  return b.biasAdd(b.conv2d(x, weight(b, net, `${name}.w`)), weight(b, net, `${name}.b`));
}

export function generatorGraph(cfg: GanConfig, g: Net, stats: BnStats): GraphBuilder {
  const b = new GraphBuilder();
  const z = b.placeholder('z', [-1, cfg.zDim]);
  const y = b.placeholder('y', [-1, cfg.numClasses]);
  const { in: cin, out: cout } = generatorChannels(cfg);
  const chunks = zChunks(cfg);
  let offset = 0;
  const zs = chunks.map((size) => {
    const s = chunks.length > 1 ? b.slice(z, [0, offset], [-1, size]) : z;
    offset += size;
    return s;
  });
  const yEmb = b.matMul(y, weight(b, g, 'embed_y.w'));
  const seedIn = cfg.conditionSeed ? b.concat([zs[0]!, yEmb], 1) : zs[0]!;
  let h = b.reshape(b.biasAdd(b.matMul(seedIn, weight(b, g, 'fc.w')), weight(b, g, 'fc.b')), [-1, SEED, SEED, cin[0]!]);
  let size = SEED;
  cin.forEach((ci, i) => {
    const blk = `block${i}`;
    const co = cout[i]!;
    const cond = cfg.hierarchicalZ ? b.concat([zs[i + 1]!, yEmb], 1) : yEmb;
    size *= 2;
    let r = b.unary('Relu', conditionalBn(b, g, stats, `${blk}.bn1`, h, cond, ci));
    r = conv(b, g, `${blk}.conv1`, b.resizeNearest(r, [size, size]));
    r = b.unary('Relu', conditionalBn(b, g, stats, `${blk}.bn2`, r, cond, co));
    r = conv(b, g, `${blk}.conv2`, r);
    h = b.binary('AddV2', r, b.resizeNearest(conv(b, g, `${blk}.shortcut`, h), [size, size]));
  });
  const scaled = b.binary('AddV2', b.binary('Mul', normalize(b, stats, 'final_bn', h), weight(b, g, 'final_bn.scale')), weight(b, g, 'final_bn.offset'));
  b.unary('Tanh', conv(b, g, 'final_conv', b.unary('Relu', scaled)), 'images');
  return b;
}

export interface ExportedModel {
  modelJson: Record<string, unknown>;
  weights: ArrayBuffer;
}

export function exportArtifacts(config: RunConfig, g: Net): ExportedModel {
  const stats = standingStats(config.gan, g, { seed: config.train.seed });
  const b = generatorGraph(config.gan, g, stats);
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'S³GAN Studio',
    convertedBy: null,
    modelTopology: { node: b.nodes, versions: { producer: 1 } },
    weightsManifest: [{ paths: ['weights.bin'], weights: b.specs }],
    userDefinedMetadata: {
      s3gan: { inputs: { z: [-1, config.gan.zDim], y: [-1, config.gan.numClasses] }, output: 'images', range: [-1, 1], classNames: config.classNames, classIds: config.classIds, run: config.run, method: config.method, benchmark: config.benchmark },
    },
  };
  return { modelJson, weights: b.weightData() };
}

export async function exportGenerator(dir: string, config: RunConfig, g: Net): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const { modelJson, weights } = exportArtifacts(config, g);
  await writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(weights));
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
  return join(dir, 'model.json');
}
