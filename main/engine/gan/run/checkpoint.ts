// What a checkpoint holds (G, D, G-EMA, both Adam states, SN vectors, step, sampler/PRNG state, config)
// and where it lives: runs/<run>/checkpoints/ckpt-<step>.s3g. Keeps the newest few plus milestones.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../../shared/contract';
import type { Net } from '../../models/ops';
import { writeFileAtomic } from '../../base/durable-fs';
import type { Adam } from '../train/adam';
import type { SamplerState } from '../train/batches';
import { encodeCheckpoint, readCheckpointFile, type NamedArray } from './checkpoint-file';
import type { RunConfig } from './run-config';
import type { GanModels } from '../train/step';

export interface CheckpointMeta {
  step: number;
  sampler: SamplerState;
  adamSteps: { g: number; d: number };
  config: RunConfig;
  savedAt: string;
}

const FILE = /^ckpt-(\d{8})\.s3g$/;

export function checkpointDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

export function checkpointPath(runDir: string, step: number): string {
  return join(checkpointDir(runDir), `ckpt-${String(step).padStart(8, '0')}.s3g`);
}

/** Steps of the complete checkpoints on disk, ascending (temp files of an interrupted save are not listed). */
export function listCheckpoints(runDir: string): number[] {
  const dir = checkpointDir(runDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => FILE.exec(f)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])).sort((a, b) => a - b);
}

function arrays(prefix: string, vars: Record<string, tf.Variable>): NamedArray[] {
  return Object.entries(vars).map(([name, v]) => ({ name: `${prefix}/${name}`, shape: [...v.shape], data: v.dataSync() as Float32Array }));
}

function snArrays(prefix: string, net: Net): NamedArray[] {
  return Object.entries(net.sn).flatMap(([name, s]) => [
    { name: `${prefix}/${name}/u`, shape: [...s.u.shape], data: s.u.dataSync() as Float32Array },
    { name: `${prefix}/${name}/v`, shape: [...s.v.shape], data: s.v.dataSync() as Float32Array },
  ]);
}

function adamArrays(prefix: string, opt: Adam): NamedArray[] {
  return [...arrays(`${prefix}/m`, opt.m), ...arrays(`${prefix}/v`, opt.v)];
}

export function modelArrays(m: GanModels): NamedArray[] {
  return [
    ...arrays('g', m.g.weights), ...snArrays('g_sn', m.g),
    ...arrays('d', m.d.weights), ...snArrays('d_sn', m.d),
    ...arrays('ema', m.gEma.weights),
    ...adamArrays('adam_g', m.optG), ...adamArrays('adam_d', m.optD),
  ];
}

export async function saveCheckpoint(runDir: string, m: GanModels, meta: Omit<CheckpointMeta, 'adamSteps' | 'savedAt'>): Promise<string> {
  mkdirSync(checkpointDir(runDir), { recursive: true });
  const full: CheckpointMeta = { ...meta, adamSteps: { g: m.optG.t, d: m.optD.t }, savedAt: new Date().toISOString() };
  const path = checkpointPath(runDir, meta.step);
  await writeFileAtomic(path, encodeCheckpoint(full, modelArrays(m)));
  return path;
}

/** Deletes checkpoints beyond the newest `keep`, except milestones. */
export function pruneCheckpoints(runDir: string, keep: number, milestoneEvery: number): void {
  const steps = listCheckpoints(runDir);
  for (const step of steps.slice(0, Math.max(0, steps.length - keep))) {
    if (step % milestoneEvery !== 0) rmSync(checkpointPath(runDir, step), { force: true });
  }
}

/**
 * The one way weights leave a checkpoint: every variable of `net` from `<prefix>/<name>` (and its
 * spectral-norm vectors from `<snPrefix>/<name>/u|v`), each checked for presence and shape.
 */
export function assignNet(net: Pick<Net, 'weights'> & Partial<Pick<Net, 'sn'>>, arrays: Map<string, NamedArray>, prefix: string, snPrefix?: string): void {
  const assign = (name: string, v: tf.Variable) => {
    const a = arrays.get(name);
    if (!a) throw new ContractError('IO', `checkpoint lacks ${name}`);
    if (a.shape.join('x') !== v.shape.join('x')) throw new ContractError('IO', `checkpoint ${name}: shape ${a.shape} ≠ ${v.shape}`);
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape)));
  };
  for (const [n, v] of Object.entries(net.weights)) assign(`${prefix}/${n}`, v);
  if (snPrefix && net.sn) {
    for (const [n, s] of Object.entries(net.sn)) {
      assign(`${snPrefix}/${n}/u`, s.u);
      assign(`${snPrefix}/${n}/v`, s.v);
    }
  }
}

/** Restores the whole training state (G, D, EMA, both Adams); throws if anything is missing or mis-shaped. */
export function restoreInto(m: GanModels, arraysByName: Map<string, NamedArray>, meta: CheckpointMeta): void {
  assignNet(m.g, arraysByName, 'g', 'g_sn');
  assignNet(m.d, arraysByName, 'd', 'd_sn');
  assignNet({ weights: m.gEma.weights }, arraysByName, 'ema');
  assignNet({ weights: m.optG.m }, arraysByName, 'adam_g/m');
  assignNet({ weights: m.optG.v }, arraysByName, 'adam_g/v');
  assignNet({ weights: m.optD.m }, arraysByName, 'adam_d/m');
  assignNet({ weights: m.optD.v }, arraysByName, 'adam_d/v');
  m.optG.t = meta.adamSteps.g;
  m.optD.t = meta.adamSteps.d;
}

export function loadCheckpoint(path: string): { meta: CheckpointMeta; arrays: Map<string, NamedArray> } {
  return readCheckpointFile<CheckpointMeta>(path);
}

/** The newest checkpoint that reads back complete (an unreadable newer one is reported, not trusted). */
export function latestCheckpoint(runDir: string): { step: number; path: string } | null {
  const steps = listCheckpoints(runDir);
  for (let i = steps.length - 1; i >= 0; i--) {
    const path = checkpointPath(runDir, steps[i]!);
    try {
      loadCheckpoint(path);
      return { step: steps[i]!, path };
    } catch (e) {
      process.emitWarning(`Skipping damaged checkpoint ${path}: ${(e as Error).message}`);
    }
  }
  return null;
}
