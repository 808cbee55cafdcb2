// Data-parallel training on N ranks: rank 0 is the calling thread with the run's own models (so
// checkpoints, grids and resume work unchanged), ranks 1..N-1 are worker threads with their own tfjs
// backend. Each D/G update: the full batch is drawn as usual, split into equal shards (shard.ts), every
// rank steps on its shard, gradients are averaged through shared memory before Adam (allreduce.ts),
// losses are averaged. G's batch norm uses per-shard statistics (each rank normalises its own B/N
// images) unless frozen statistics are given.
import type { BnStats } from '../../../models/cbn';
import { countParams } from '../../../models/ops';
import { bundledWorker, WorkerGroup, type WorkerEntry } from '../../../parallel/worker-group';
import type { FakeBatch, RealBatch } from '../batches';
import { modelArrays } from '../checkpoint-state';
import type { AugmentParams } from '../diffaugment';
import { rotatedCount } from '../rotation';
import { discriminatorStep, generatorStep, type DStepInput, type GanModels, type GStepInput, type Losses, type StepOptions, type StepWeights } from '../step';
import { AllReduce, allocAllReduce, gradientAverager, type AllReduceBuffers } from './allreduce';
import { stateChecksum } from './checksum';
import type { GanFromWorker, GanToWorker, WorkerInit } from './protocol';
import { shardAugment, shardFake, shardProblem, shardReal, shardRows } from './shard';

export interface ParallelOptions {
  workers: number; // total ranks including this thread
  backend: 'wasm' | 'cpu';
  seed: number;
  lrG: number;
  lrD: number;
  batch: number;
  labeled: number; // hand-labeled reals per batch (0 without co-training)
  /** The run's loss weights and rotated share (TrainConfig). */
  weights: StepWeights;
  gBnStats?: BnStats;
  /** Debug/test: sees rank 0's averaged gradients before each Adam update. */
  /** Longest barrier wait (default 10 min). */
  barrierTimeoutMs?: number;
  onAveraged?: (net: 'g' | 'd', grads: Record<string, import('@tensorflow/tfjs').Tensor>) => void;
}

/** The bundled app ships the worker as gan-worker.js beside the engine; from sources, tsx boots worker.ts. */
const GAN_WORKER: WorkerEntry = { bundled: bundledWorker('gan-worker.js', import.meta.url), source: new URL('./worker.ts', import.meta.url) };

export class ParallelTrainer {
  private group: WorkerGroup<GanToWorker, GanFromWorker> | null = null;
  private readonly buffers: AllReduceBuffers;
  private readonly rows: { real: number[][]; fake: number[][] };
  /** Rank 0's step: the run's weights, gradients averaged over every rank before Adam. */
  private readonly step: StepOptions;

  private constructor(readonly m: GanModels, private readonly o: ParallelOptions) {
    const n = o.workers;
    const rotated = m.cfg.heads.rotation ? rotatedCount(o.batch, o.weights.rotatedFraction) : 0;
    const problem = shardProblem(o.batch, n, o.labeled, rotated);
    if (problem) throw new Error(`Cannot split the batch over ${n} workers: ${problem}. Use --workers 1 or a batch that splits evenly.`);
    if (rotatedCount(o.batch / n, o.weights.rotatedFraction) * n !== rotated && rotated > 0) throw new Error(`rotated images per shard do not add up for ${n} workers`);
    this.rows = { real: shardRows(o.batch, n, o.labeled, rotated), fake: shardRows(o.batch, n, 0, rotated) };
    this.buffers = allocAllReduce(n, Math.max(countParams(m.g), countParams(m.d)), o.barrierTimeoutMs);
    if (o.gBnStats) m.gBn = { kind: 'standing', stats: o.gBnStats };
    this.step = { weights: o.weights, averageGradients: gradientAverager(new AllReduce(this.buffers, 0), o.onAveraged) };
  }

  /** Starts ranks 1..N-1 from rank 0's current state (fresh or restored from a checkpoint). */
  static async start(m: GanModels, o: ParallelOptions): Promise<ParallelTrainer> {
    const t = new ParallelTrainer(m, o);
    const state = modelArrays(m).map((a) => ({ ...a, data: Float32Array.from(a.data) }));
    const inits = Array.from({ length: o.workers - 1 }, (_, i): WorkerInit => ({
      rank: i + 1, backend: o.backend, cfg: m.cfg, seed: o.seed, lrG: o.lrG, lrD: o.lrD, weights: o.weights, buffers: t.buffers, state,
      adamSteps: { g: m.optG.t, d: m.optD.t }, ...(o.gBnStats ? { gBnStats: o.gBnStats } : {}),
    }));
    t.group = await WorkerGroup.start<GanToWorker, GanFromWorker, WorkerInit>(GAN_WORKER, inits);
    return t;
  }

  private get ranks(): WorkerGroup<GanToWorker, GanFromWorker> {
    if (!this.group) throw new Error('data-parallel trainer is closed');
    return this.group;
  }

  private async everyRank(shardMsg: (rank: number) => GanToWorker, local: () => Losses): Promise<Losses> {
    const { mine, replies } = await this.ranks.everyRank(shardMsg, local);
    const all = [mine, ...replies.map((r) => (r as Extract<GanFromWorker, { kind: 'losses' }>).losses)];
    const out: Losses = {};
    for (const key of Object.keys(mine)) out[key] = all.reduce((a, l) => a + (l[key] ?? 0), 0) / all.length;
    return out;
  }

  discriminatorStep(input: DStepInput): Promise<Losses> {
    const per = this.o.labeled / this.o.workers;
    const shard = (k: number): DStepInput => {
      const [r, f] = [this.rows.real[k]!, this.rows.fake[k]!];
      const aug = input.augment ? { real: shardAugment(input.augment.real, r), fake: shardAugment(input.augment.fake, f) } : undefined;
      return { real: shardReal(input.real, r, per), fake: shardFake(input.fake, f), ...(aug ? { augment: aug } : {}) };
    };
    return this.everyRank((k) => ({ kind: 'd', ...shard(k) }), () => discriminatorStep(this.m, this.step, shard(0)));
  }

  generatorStep(input: GStepInput): Promise<Losses> {
    const shard = (k: number): GStepInput => {
      const f = this.rows.fake[k]!;
      return { ...input, fake: shardFake(input.fake, f), ...(input.augment ? { augment: shardAugment(input.augment, f) } : {}) };
    };
    return this.everyRank((k) => ({ kind: 'g', ...shard(k) }), () => generatorStep(this.m, this.step, shard(0)));
  }

  /** Debug: every rank's state checksum (all equal while the ranks are in lockstep). */
  async checksums(): Promise<string[]> {
    const others = await this.ranks.all(() => ({ kind: 'checksum' }));
    return [stateChecksum(this.m), ...others.map((r) => (r as Extract<GanFromWorker, { kind: 'checksum' }>).value)];
  }

  /** tf.memory().numTensors of ranks 1..N-1. */
  workerTensors(): Promise<number[]> {
    return this.ranks.workerTensors();
  }

  /** Test hook: make worker `rank` fail inside its next step. */
  injectCrash(rank: number, how: 'throw' | 'exit'): void {
    this.ranks.injectCrash(rank, how);
  }

  async close(): Promise<void> {
    await this.group?.close();
  }
}

export { WorkerCrashedError } from '../../../parallel/worker-group';
export type { AugmentParams, FakeBatch, RealBatch };
