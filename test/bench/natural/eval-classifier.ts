// The GAN rows' independent evaluation classifier (benchmark only, issue 16): a small all-convolutional
// net trained on ALL 50,000 CIFAR-10 training images with their labels, scored once on the test batch
// (its accuracy there is the ceiling a generated class could reach). It shares nothing with the app —
// not the rotation encoder the app's CAS / FD-SS use, not its labels — so a GAN cannot score well by
// matching the app's own feature space. Trained once, cached as JSON next to the bench's work folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { permutation, Prng } from '../../../main/engine/base/prng';

const SIDE = 32;
const PX = SIDE * SIDE * 3;
/** [kernel in, out, stride] of each 3×3 conv; then global average pooling and a dense layer to 10. */
const CONVS: [number, number, number][] = [[3, 32, 1], [32, 64, 2], [64, 128, 2], [128, 256, 2]];
const CLASSES = 10;

export interface ClassifierFile {
  format: 1;
  epochs: number;
  trainImages: number;
  testAccuracy: number;
  minutes: number;
  weights: Record<string, { shape: number[]; values: number[] }>;
}

type Params = Record<string, tf.Variable>;

function initParams(rng: Prng): Params {
  const p: Params = {};
  CONVS.forEach(([cin, cout], i) => {
    const std = Math.sqrt(2 / (9 * cin)); // He init for ReLU
    p[`w${i}`] = tf.variable(tf.tensor4d(Float32Array.from({ length: 9 * cin * cout }, () => rng.normal() * std), [3, 3, cin, cout]));
    p[`b${i}`] = tf.variable(tf.zeros([cout]));
  });
  const last = CONVS[CONVS.length - 1]![1];
  p.wd = tf.variable(tf.tensor2d(Float32Array.from({ length: last * CLASSES }, () => rng.normal() * Math.sqrt(1 / last)), [last, CLASSES]));
  p.bd = tf.variable(tf.zeros([CLASSES]));
  return p;
}

function logits(p: Params, x: tf.Tensor4D): tf.Tensor2D {
  let h: tf.Tensor4D = x;
  CONVS.forEach(([, , stride], i) => {
    h = tf.relu(tf.add(tf.conv2d(h, p[`w${i}`] as tf.Tensor4D, stride, 'same'), p[`b${i}`]!)) as tf.Tensor4D;
  });
  return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.wd as tf.Tensor2D), p.bd!);
}

/** uint8 HWC images → [-1, 1] floats, the range the GAN's generator produces. */
function toInput(pixels: Uint8Array, rows: ArrayLike<number>): tf.Tensor4D {
  const out = new Float32Array(rows.length * PX);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]! * PX;
    for (let j = 0; j < PX; j++) out[i * PX + j] = pixels[src + j]! / 127.5 - 1;
  }
  return tf.tensor4d(out, [rows.length, SIDE, SIDE, 3]);
}

/** Random horizontal flip and a shift of up to 2 px (zero padded) — the standard CIFAR augmentation. */
export function augment(pixels: Uint8Array, rows: ArrayLike<number>, rng: Prng): Uint8Array {
  const out = new Uint8Array(rows.length * PX).fill(128);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]! * PX;
    const flip = rng.next() < 0.5;
    const dy = rng.int(5) - 2;
    const dx = rng.int(5) - 2;
    for (let y = 0; y < SIDE; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= SIDE) continue;
      for (let x = 0; x < SIDE; x++) {
        let sx = x + dx;
        if (sx < 0 || sx >= SIDE) continue;
        if (flip) sx = SIDE - 1 - sx;
        const s = src + (sy * SIDE + sx) * 3;
        const d = i * PX + (y * SIDE + x) * 3;
        out[d] = pixels[s]!;
        out[d + 1] = pixels[s + 1]!;
        out[d + 2] = pixels[s + 2]!;
      }
    }
  }
  return out;
}

export interface TrainedClassifier {
  /** Class index per image (uint8 HWC, 32×32×3). */
  predict(pixels: Uint8Array, n: number): Int32Array;
  info: Omit<ClassifierFile, 'weights'>;
  dispose(): void;
}

function classifierOf(p: Params, info: Omit<ClassifierFile, 'weights'>): TrainedClassifier {
  return {
    info,
    predict(pixels, n) {
      const out = new Int32Array(n);
      for (let at = 0; at < n; at += 256) {
        const rows = Array.from({ length: Math.min(256, n - at) }, (_, i) => at + i);
        const pred = tf.tidy(() => tf.argMax(logits(p, toInput(pixels, rows)), 1));
        out.set(pred.dataSync() as Int32Array, at);
        pred.dispose();
      }
      return out;
    },
    dispose: () => Object.values(p).forEach((v) => v.dispose()),
  };
}

export function accuracyOf(pred: ArrayLike<number>, want: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < want.length; i++) if (pred[i] === want[i]) ok += 1;
  return want.length ? ok / want.length : Number.NaN;
}

/** Loads the cached classifier, or trains it (Adam, cosine learning rate, batch 128) and caches it. */
export async function evalClassifier(
  file: string,
  data: () => Promise<{ train: { pixels: Uint8Array; labels: Uint8Array }; test: { pixels: Uint8Array; labels: Uint8Array } }>,
  opts: { epochs: number; seed: number; log: (m: string) => void },
): Promise<TrainedClassifier> {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as ClassifierFile;
    const p: Params = Object.fromEntries(Object.entries(saved.weights).map(([k, w]) => [k, tf.variable(tf.tensor(w.values, w.shape))]));
    const { weights: _w, ...info } = saved;
    return classifierOf(p, info);
  }
  const started = Date.now();
  const { train, test } = await data();
  const rng = new Prng(opts.seed);
  const p = initParams(rng);
  const n = train.labels.length;
  const batch = 128;
  const perEpoch = Math.floor(n / batch);
  const steps = perEpoch * opts.epochs;
  const optimizer = tf.train.adam(2e-3);
  const vars = Object.values(p);
  let order = permutation(n, rng);
  for (let step = 0; step < steps; step++) {
    const k = step % perEpoch;
    if (k === 0 && step > 0) order = permutation(n, rng);
    const rows = Array.from(order.subarray(k * batch, (k + 1) * batch));
    const lr = 2e-3 * 0.5 * (1 + Math.cos((Math.PI * step) / steps));
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const x = toInput(augment(train.pixels, rows, rng), Array.from(rows.keys()));
    const y = tf.oneHot(tf.tensor1d(rows.map((r) => train.labels[r]!), 'int32'), CLASSES);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(p, x)) as tf.Scalar, true, vars);
    if (step % 100 === 0) opts.log(`  eval classifier step ${step}/${steps} loss ${loss!.dataSync()[0]!.toFixed(3)}`);
    tf.dispose([x, y, loss!]);
  }
  optimizer.dispose();
  const info = { format: 1 as const, epochs: opts.epochs, trainImages: n, testAccuracy: 0, minutes: (Date.now() - started) / 60_000 };
  const c = classifierOf(p, info);
  info.testAccuracy = accuracyOf(c.predict(test.pixels, test.labels.length), test.labels);
  opts.log(`eval classifier: test accuracy ${info.testAccuracy.toFixed(3)} after ${info.minutes.toFixed(1)} min`);
  const weights = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { shape: v.shape, values: Array.from(v.dataSync()) }]));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...info, weights } satisfies ClassifierFile));
  return c;
}
