// The slice of the ML core (backend choice, rotation encoder, S⁴L) the stages use, as one injectable
// object: the real modules in production, a fast fake in the pipeline's unit tests.
import type { BackendInfo } from '../../../shared/contract';
import type { Dataset } from '../base/dataset';
import type { EncoderConfig } from '../models/encoder';

export type { EncoderConfig } from '../models/encoder';

export interface CurvePoint {
  step: number;
  loss: number;
  accuracy: number;
}

export interface TrainCallbacks {
  onStep?(info: { step: number; total: number; loss: number; accuracy: number }): void;
  signal?: AbortSignal;
}

/** Opaque handle of a trained encoder (tensors owned by the ML core). */
export type EncoderState = object;

export interface SerializedEncoder {
  config: EncoderConfig;
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

/** Data-parallel ranks started for one stage (opaque; owned by the ML core), reused by its training calls. */
export interface StageWorkers {
  /** Ranks including the calling thread. */
  readonly count: number;
  close(): Promise<void>;
}

export interface MlCore {
  selectBackend(opts?: { prefer?: 'auto' | 'tensorflow' | 'wasm' | 'cpu' }): Promise<BackendInfo>;
  defaultEncoderConfig(resolution: number, channels: 1 | 3): EncoderConfig;
  trainRotationEncoder(
    ds: Dataset,
    opts: {
      config: EncoderConfig; epochs: number; batchSize?: number; lr?: number; init?: EncoderState; startStep?: number;
      schedule?: { epoch: number; epochs: number }; workers?: StageWorkers;
    },
    cb?: TrainCallbacks,
  ): Promise<{ state: EncoderState; curve: CurvePoint[] }>;
  embedImages(state: EncoderState, ds: Dataset, batchSize?: number): Promise<Float32Array>;
  serializeEncoder(state: EncoderState): SerializedEncoder;
  deserializeEncoder(s: SerializedEncoder): EncoderState;
  disposeEncoder(state: EncoderState): void;
  trainS4L(
    ds: Dataset,
    opts: { config: EncoderConfig; epochs: number; init?: EncoderState; batchSize?: number; lr?: number; rotationWeight?: number; workers?: StageWorkers },
    cb?: TrainCallbacks,
  ): Promise<{ probs: Float32Array; features: Float32Array; curve: CurvePoint[] }>;
  /** Starts data-parallel ranks (workers ≥ 2, each single-threaded on `backend`); the caller closes them. */
  startWorkers(o: { workers: number; backend: 'wasm' | 'cpu' }): Promise<StageWorkers>;
}

/** The real ML core, imported on first use (tfjs model code is heavy; tests of other parts skip it). */
export async function loadMlCore(): Promise<MlCore> {
  const [backend, rotation, s4l, ranks] = await Promise.all([
    import('../backend'), import('../selfsup/rotation'), import('../selfsup/s4l'), import('../selfsup/parallel/ranks'),
  ]);
  return {
    selectBackend: backend.selectBackend,
    defaultEncoderConfig: rotation.defaultEncoderConfig,
    trainRotationEncoder: rotation.trainRotationEncoder as MlCore['trainRotationEncoder'],
    embedImages: rotation.embedImages as MlCore['embedImages'],
    serializeEncoder: rotation.serializeEncoder as MlCore['serializeEncoder'],
    deserializeEncoder: rotation.deserializeEncoder as MlCore['deserializeEncoder'],
    disposeEncoder: rotation.disposeEncoder as MlCore['disposeEncoder'],
    trainS4L: s4l.trainS4L as MlCore['trainS4L'],
    startWorkers: (o) => ranks.EncoderRanks.start(o),
  };
}
