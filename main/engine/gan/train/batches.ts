// The data side of training: which images a step sees and with which labels, drawn from the run's
// seeded PRNG and epoch permutations so that the sampler's whole state is a few integers (resumable).
import { Prng, permutation, type PrngState } from '../../base/prng';

export interface TrainingData {
  /** NHWC uint8 pixels, n × size × size × channels. */
  pixels: Uint8Array;
  n: number;
  size: number;
  channels: 1 | 3;
  /** Class index per image used as y_real; −1 = unknown (co-training predicts it with D's head). */
  labels: Int32Array;
  /** Images with a hand label (co-training CE); empty when the preset does not co-train. */
  labeledPool: Int32Array;
  numClasses: number;
}

export interface RealBatch {
  images: Float32Array; // [B, size, size, C] in [-1, 1]
  labels: Int32Array; // −1 where unknown
  /** The first `labeled` entries come from the labeled pool and carry hand labels (CE targets). */
  labeled: number;
}

export interface FakeBatch {
  z: Float32Array; // [B, zDim]
  labels: Int32Array;
}

export interface SamplerState {
  rng: PrngState;
  epoch: number;
  cursor: number;
  labeledEpoch: number;
  labeledCursor: number;
}

const LABELED_STREAM = 1_000_003;

/** Epoch-shuffled cursor over a pool of image indices; the permutation is re-derived from (seed, epoch). */
class PoolCursor {
  private perm: Int32Array;
  constructor(private readonly pool: Int32Array, private readonly seed: number, private readonly stream: number, public epoch: number, public cursor: number) {
    this.perm = this.permFor(epoch);
  }
  private permFor(epoch: number): Int32Array {
    return permutation(this.pool.length, Prng.derive(this.seed, this.stream + epoch));
  }
  next(): number {
    if (this.cursor >= this.pool.length) {
      this.epoch += 1;
      this.cursor = 0;
      this.perm = this.permFor(this.epoch);
    }
    return this.pool[this.perm[this.cursor++]!]!;
  }
}

export class BatchSampler {
  private readonly rng: Prng;
  private readonly main: PoolCursor;
  private readonly labeled: PoolCursor | null;

  constructor(private readonly data: TrainingData, seed: number, state?: SamplerState) {
    this.rng = new Prng(state?.rng ?? seed);
    const all = Int32Array.from({ length: data.n }, (_, i) => i);
    this.main = new PoolCursor(all, seed, 0, state?.epoch ?? 0, state?.cursor ?? 0);
    this.labeled = data.labeledPool.length > 0
      ? new PoolCursor(data.labeledPool, seed, LABELED_STREAM, state?.labeledEpoch ?? 0, state?.labeledCursor ?? 0)
      : null;
    if (data.n === 0) throw new Error('No training images');
  }

  state(): SamplerState {
    return {
      rng: this.rng.state(),
      epoch: this.main.epoch,
      cursor: this.main.cursor,
      labeledEpoch: this.labeled?.epoch ?? 0,
      labeledCursor: this.labeled?.cursor ?? 0,
    };
  }

  /** A real batch; with a labeled pool its first `labeledCount` images come from that pool. */
  real(batch: number, labeledCount: number): RealBatch {
    const { size, channels, pixels, labels } = this.data;
    const px = size * size * channels;
    const images = new Float32Array(batch * px);
    const out = new Int32Array(batch);
    const labeled = this.labeled ? Math.min(batch, Math.max(1, labeledCount)) : 0;
    for (let b = 0; b < batch; b++) {
      const idx = b < labeled ? this.labeled!.next() : this.main.next();
      out[b] = labels[idx]!;
      const src = idx * px;
      for (let i = 0; i < px; i++) images[b * px + i] = pixels[src + i]! / 127.5 - 1;
    }
    return { images, labels: out, labeled };
  }

  /** Latents N(0, 1) and fake labels uniform over classes. */
  fake(batch: number, zDim: number): FakeBatch {
    const z = this.rng.fillNormal(new Float32Array(batch * zDim));
    const labels = Int32Array.from({ length: batch }, () => this.rng.int(this.data.numClasses));
    return { z, labels };
  }

  /** The sampler's PRNG, for other per-step draws (augmentation) that must resume identically. */
  random(): Prng {
    return this.rng;
  }
}
