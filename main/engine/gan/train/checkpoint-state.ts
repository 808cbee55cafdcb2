// The training state a checkpoint holds — G, D, G-EMA, both Adam states, SN vectors, the step, the
// sampler/PRNG state and the run config — so a resumed run continues exactly.
import { mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../base/durable-fs';
import type { Net } from '../../models/ops';
import { encodeCheckpoint, type NamedArray } from '../run/checkpoint-file';
import { assignNet, checkpointDir, checkpointPath, loadCheckpoint } from '../run/checkpoint';
import type { RunConfig } from '../run/run-config';
import type { Adam } from './adam';
import type { SamplerState } from './batches';
import type { GanModels } from './step';

export interface CheckpointMeta {
  step: number;
  sampler: SamplerState;
  adamSteps: { g: number; d: number };
  config: RunConfig;
  savedAt: string;
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

export function loadTrainingCheckpoint(path: string): { meta: CheckpointMeta; arrays: Map<string, NamedArray> } {
  return loadCheckpoint<CheckpointMeta>(path);
}
