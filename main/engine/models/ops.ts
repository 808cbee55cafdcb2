// Raw-variable building blocks shared by G and D: a parameter container (Net), seeded initialisers and
// the few layers both networks use. Backend-agnostic (plain tf ops, no tf.layers) so the same code runs
// on tensorflow, wasm and cpu, and a model is a plain value that EMA, Adam and checkpoints can walk.
import * as tf from '@tensorflow/tfjs';
import type { Prng } from '../base/prng';
import { snNormalize, snRefresh, type SnVectors } from './sn';

export interface Net {
  /** Trainable weights by stable name (insertion order is the checkpoint order). */
  weights: Record<string, tf.Variable>;
  /** Spectral-norm vectors by the name of the weight they normalise. */
  sn: Record<string, SnVectors>;
}

export function emptyNet(): Net {
  return { weights: {}, sn: {} };
}

function variable(values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
  // Unnamed: tfjs variable names are global, and tests/EMA build several copies of one model.
  return tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable));
}

/** Glorot-normal weight (compare_gan's projection init; used for every weight here). */
export function addGlorot(net: Net, rng: Prng, name: string, shape: number[], opts: { sn?: boolean } = {}): void {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = receptive * shape[shape.length - 2]!;
  const fanOut = receptive * shape[shape.length - 1]!;
  const std = Math.sqrt(2 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  net.weights[name] = variable(rng.fillNormal(new Float32Array(size), std), shape, true);
  if (opts.sn) addSn(net, rng, name, fanIn, shape[shape.length - 1]!);
}

export function addConstant(net: Net, name: string, shape: number[], value: number): void {
  const size = shape.reduce((a, b) => a * b, 1);
  net.weights[name] = variable(new Float32Array(size).fill(value), shape, true);
}

function addSn(net: Net, rng: Prng, name: string, fanIn: number, out: number): void {
  const u = rng.fillNormal(new Float32Array(out));
  const norm = Math.hypot(...u) || 1;
  for (let i = 0; i < u.length; i++) u[i] = u[i]! / norm;
  net.sn[name] = { u: variable(u, [1, out], false), v: variable(new Float32Array(fanIn), [1, fanIn], false) };
  snRefresh(net.weights[name]!, net.sn[name]!); // v from u, so σ is meaningful before the first update
}

/** The weight as the forward pass uses it: divided by σ when spectrally normalised. */
export function param(net: Net, name: string): tf.Tensor {
  const w = net.weights[name];
  if (!w) throw new Error(`Missing parameter ${name}`);
  const s = net.sn[name];
  return s ? snNormalize(w, s) : w;
}

export function has(net: Net, name: string): boolean {
  return name in net.weights;
}

/** One power iteration for every spectrally normalised weight (once per optimiser update). */
export function refreshSpectralNorms(net: Net): void {
  for (const [name, s] of Object.entries(net.sn)) snRefresh(net.weights[name]!, s);
}

export function conv(net: Net, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const y = tf.conv2d(x, param(net, `${name}.w`) as tf.Tensor4D, 1, 'same');
  return has(net, `${name}.b`) ? tf.add(y, net.weights[`${name}.b`]!) : y;
}

export function linear(net: Net, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const y = tf.matMul(x, param(net, `${name}.w`) as tf.Tensor2D) as tf.Tensor2D;
  return has(net, `${name}.b`) ? (tf.add(y, net.weights[`${name}.b`]!) as tf.Tensor2D) : y;
}

/** Registers a conv layer: kernel [k, k, cin, cout] (+ bias). */
export function addConv(net: Net, rng: Prng, name: string, k: number, cin: number, cout: number, sn: boolean): void {
  addGlorot(net, rng, `${name}.w`, [k, k, cin, cout], { sn });
  addConstant(net, `${name}.b`, [cout], 0);
}

export function addLinear(net: Net, rng: Prng, name: string, cin: number, cout: number, opts: { sn: boolean; bias: boolean }): void {
  addGlorot(net, rng, `${name}.w`, [cin, cout], { sn: opts.sn });
  if (opts.bias) addConstant(net, `${name}.b`, [cout], 0);
}

/** Nearest ×2 upsampling; resize has gradients on every backend (tile of rank 6 does not). */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, 'valid');
}

export function disposeNet(net: Net): void {
  for (const w of Object.values(net.weights)) w.dispose();
  for (const s of Object.values(net.sn)) {
    s.u.dispose();
    s.v.dispose();
  }
}

export function countParams(net: Net): number {
  return Object.values(net.weights).reduce((a, w) => a + w.size, 0);
}

/** One-hot rows built in JS (tf.oneHot rejects depth 1, which the 'single' preset needs); −1 → zeros. */
export function oneHotRows(labels: ArrayLike<number>, k: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) out[i * k + labels[i]!] = 1;
  return tf.tensor2d(out, [labels.length, k]);
}
