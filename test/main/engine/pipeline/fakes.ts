// Test doubles for the pipeline: a synthetic project (3 well-separated "classes" of 4×4 gray images)
// and a fast fake ML core whose encoder state counts epochs, so stage logic is tested without tfjs models.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendInfo, ClassDef, LabelSource } from '../../../../shared/contract';
import type { Dataset } from '../../../../main/engine/base/dataset';
import type { EngineContext, OpenProject } from '../../../../main/engine/base/engine-context';
import { createJobContext, type JobContext } from '../../../../main/engine/base/job-context';
import type { EncoderState, MlCore } from '../../../../main/engine/pipeline/ml-core';
import { registerTempDir } from '../../../setup/temp-dirs';

export const CLASSES: ClassDef[] = ['a', 'b', 'c'].map((id, i) => ({ id, name: id.toUpperCase(), color: `#00000${i}` }));

/** n images, image i of class i % 3: its pixels light up one third of the image. */
export function syntheticDataset(n: number, handLabeled: number[]): Dataset {
  const px = 16;
  const pixels = new Uint8Array(n * px);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = i % 3;
    for (let p = 0; p < px; p++) pixels[i * px + p] = Math.floor(p / 6) === i % 3 ? 200 + ((i * 7 + p) % 50) : (i * 13 + p) % 30;
  }
  const handLabels = new Int32Array(n).fill(-1);
  for (const i of handLabeled) handLabels[i] = truth[i]!;
  return { ids: Array.from({ length: n }, (_, i) => `img${String(i).padStart(3, '0')}`), n, height: 4, width: 4, channels: 1, pixels, classes: CLASSES, handLabels, truth };
}

export interface FakeProject extends OpenProject {
  revision: number;
  handLabeled: number[];
  n: number;
}

export function fakeProject(n = 30, handLabeled = [0, 1, 2, 3, 4, 5]): FakeProject {
  const dir = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-pipeline-')));
  const p: FakeProject = {
    dir, n, revision: 1, handLabeled,
    settings: () => ({ resolution: 4, channels: '1', backend: 'cpu' }),
    classes: () => CLASSES,
    labelRevision: () => p.revision,
    async loadDataset(opts) {
      const ds = syntheticDataset(p.n, p.handLabeled);
      return opts?.includeTruth ? ds : { ...ds, truth: null };
    },
    labelOf: (id) => {
      const i = Number(id.slice(3));
      return p.handLabeled.includes(i) ? { classId: CLASSES[i % 3]!.id, source: (i === 0 ? 'import' : 'hand') as LabelSource } : undefined;
    },
    async setLabels() {
      return { applied: 0, group: null };
    },
  };
  return p;
}

export const backendInfo: BackendInfo = { backend: 'cpu', version: 'test', gpu: false, tried: [], advice: [] };

interface FakeState { epochs: number; disposed: boolean }

/** Embedding of image i: mean brightness of each third of the image, L2-normalised. */
function embed(ds: Dataset): Float32Array {
  const out = new Float32Array(ds.n * 3);
  for (let i = 0; i < ds.n; i++) {
    let norm = 0;
    for (let t = 0; t < 3; t++) {
      let s = 0;
      for (let p = t * 6; p < Math.min(16, t * 6 + 6); p++) s += ds.pixels[i * 16 + p]!;
      out[i * 3 + t] = s;
      norm += s * s;
    }
    for (let t = 0; t < 3; t++) out[i * 3 + t]! /= Math.sqrt(norm);
  }
  return out;
}

export function fakeCore(hooks: { onEpoch?: (epoch: number) => void } = {}) {
  const calls = { rotation: [] as { initEpochs: number | null }[], s4l: 0, live: new Set<FakeState>(), workers: [] as { count: number; closed: boolean }[] };
  const newState = (epochs: number): FakeState => {
    const s = { epochs, disposed: false };
    calls.live.add(s);
    return s;
  };
  const core: MlCore = {
    selectBackend: async () => backendInfo,
    defaultEncoderConfig: (resolution, channels) => ({ resolution, channels, width: 2, depth: 1, featureDim: 3, seed: 1 }),
    async trainRotationEncoder(ds, opts, cb) {
      const init = opts.init as FakeState | undefined;
      calls.rotation.push({ initEpochs: init ? init.epochs : null });
      const epochsSoFar = init ? init.epochs : 0;
      hooks.onEpoch?.(epochsSoFar);
      for (let s = 1; s <= 2; s++) {
        if (cb?.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        cb?.onStep?.({ step: s, total: 2, loss: 1 / (epochsSoFar + s), accuracy: 0.5 });
        await new Promise((r) => setImmediate(r));
      }
      return { state: newState(epochsSoFar + opts.epochs), curve: [{ step: 0, loss: 1, accuracy: 0.5 }, { step: 1, loss: 0.5, accuracy: 0.75 }] };
    },
    embedImages: async (_state, ds) => embed(ds),
    serializeEncoder: (state) => ({ config: { resolution: 4, channels: 1, width: 2, depth: 1, featureDim: 3, seed: 1 }, weights: [{ name: 'epochs', shape: [1], data: Float32Array.of((state as FakeState).epochs) }] }),
    deserializeEncoder: (s) => newState(s.weights[0]!.data[0]!),
    disposeEncoder: (state) => {
      (state as FakeState).disposed = true;
      calls.live.delete(state as FakeState);
    },
    async trainS4L(ds, _opts, cb) {
      calls.s4l += 1;
      cb?.onStep?.({ step: 1, total: 1, loss: 0.1, accuracy: 1 });
      // Nearest class centroid of the hand-labeled embeddings, as soft-ish probabilities.
      const f = embed(ds);
      const k = ds.classes.length;
      const probs = new Float32Array(ds.n * k);
      for (let i = 0; i < ds.n; i++) {
        for (let c = 0; c < k; c++) probs[i * k + c] = Math.exp(8 * f[i * 3 + c]!);
        const z = probs.subarray(i * k, (i + 1) * k).reduce((a, b) => a + b, 0);
        for (let c = 0; c < k; c++) probs[i * k + c]! /= z;
      }
      return { probs, features: f, curve: [] };
    },
    async startWorkers(o) {
      const w = { count: o.workers, closed: false };
      calls.workers.push(w);
      return { count: o.workers, close: async () => { w.closed = true; } };
    },
  };
  return { core, calls };
}

export function testJob(kind: 'features' | 'cluster' | 'infer' = 'features'): JobContext & { controller: AbortController } {
  return createJobContext(kind, () => undefined, { minIntervalMs: 0 });
}

export function fakeEngine(project: OpenProject | null): EngineContext {
  return {
    project: () => {
      if (!project) throw new Error('no project');
      return project;
    },
    emit: () => undefined,
    runJob: (kind, fn) => fn(createJobContext(kind, () => undefined)),
  };
}

export type { EncoderState };
