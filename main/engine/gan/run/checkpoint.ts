// What a checkpoint holds (G, D, G-EMA, both Adam states, SN vectors, step, sampler/PRNG state, config)
// and where it lives: runs/<run>/checkpoints/ckpt-<step>.s3g. Keeps the newest few plus milestones.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../shared/contract';
import type { Net } from '../models/ops';
import { writeFileAtomic } from '../base/durable-fs';
import type { Adam } from './adam';
import type { SamplerState } from './batches';
import { encodeCheckpoint, readCheckpointFile, type NamedArray } from './checkpoint-file';
import type { RunConfig } from './run-config';
import type { GanModels } from './step';

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

/** Copies every saved array into the models' variables; throws if anything is missing or mis-shaped. */
export function restoreInto(m: GanModels, arraysByName: Map<string, NamedArray>, meta: CheckpointMeta): void {
  const assign = (name: string, v: tf.Variable) => {
    const a = arraysByName.get(name);
    if (!a) throw new ContractError('IO', `checkpoint lacks ${name}`);
    if (a.shape.join('x') !== v.shape.join('x')) throw new ContractError('IO', `checkpoint ${name}: shape ${a.shape} ≠ ${v.shape}`);
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape)));
  };
  const each = (prefix: string, vars: Record<string, tf.Variable>) => Object.entries(vars).forEach(([n, v]) => assign(`${prefix}/${n}`, v));
  const sn = (prefix: string, net: Net) => Object.entries(net.sn).forEach(([n, s]) => {
    assign(`${prefix}/${n}/u`, s.u);
    assign(`${prefix}/${n}/v`, s.v);
  });
  each('g', m.g.weights);
  sn('g_sn', m.g);
  each('d', m.d.weights);
  sn('d_sn', m.d);
  each('ema', m.gEma.weights);
  each('adam_g/m', m.optG.m);
  each('adam_g/v', m.optG.v);
  each('adam_d/m', m.optD.m);
  each('adam_d/v', m.optD.v);
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
