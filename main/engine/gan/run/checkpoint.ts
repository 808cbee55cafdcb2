// Where a run's checkpoints live (runs/<run>/checkpoints/ckpt-<step>.s3g), which are kept (the newest
// few plus milestones), and the one way weights are read out of them (assignNet). What the trainer
// saves in them is train/checkpoint-state.ts.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ContractError } from '../../../../shared/contract';
import type { Net } from '../../models/ops';
import { readCheckpointFile, type NamedArray } from './checkpoint-file';
import type { RunConfig } from './run-config';

/** What every checkpoint's header holds; the trainer's full header is train/checkpoint-state.ts. */
export interface CheckpointHeader {
  step: number;
  config: RunConfig;
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

export function loadCheckpoint<M extends CheckpointHeader = CheckpointHeader>(path: string): { meta: M; arrays: Map<string, NamedArray> } {
  return readCheckpointFile<M>(path);
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
