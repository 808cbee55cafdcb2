// When a running training writes what: the cadence of checkpoints, grids and evaluations, the run's
// state.json, and the final checkpoint, grid and export. The log itself is RunLog's job.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../../../shared/contract';
import type { OpenProject } from '../../base/engine-context';
import { evaluateRun } from '../../metrics/gan/evaluate';
import type { BatchSampler } from './batches';
import { pruneCheckpoints } from '../run/checkpoint';
import { saveCheckpoint } from './checkpoint-state';
import { exportGenerator } from '../sample/export';
import type { DivergedError, LogRow } from './loop';
import { renderGrid } from '../sample/grid';
import type { RunConfig } from '../run/run-config';
import { RunLog } from './run-log';
import { gridPath, writeRunState } from '../run/run-store';
import type { GanModels } from './step';
import type { TrainHooks } from './run-train';

export class RunRecorder {
  private readonly runLog: RunLog;
  private lastCheckpoint: { step: number; path: string } | null = null;

  /** `resumedFrom`: the checkpoint a resumed run continues from. */
  constructor(private readonly o: { dir: string; config: RunConfig; models: GanModels; hooks: TrainHooks; backend: string; project: OpenProject; resumedFrom?: { step: number; path: string } }) {
    this.lastCheckpoint = o.resumedFrom ?? null;
    this.runLog = new RunLog(o.dir, o.config, o.hooks, o.resumedFrom?.step ?? null);
  }

  async started(step: number): Promise<void> {
    await writeRunState(this.o.dir, { state: 'running', step });
    this.o.hooks.log?.(`run ${this.o.config.run}: ${this.o.config.method} on ${this.o.backend}, ${this.o.config.gan.resolution}px ch ${this.o.config.gan.ch}, batch ${this.o.config.train.batch}`);
  }

  log(row: LogRow): Promise<void> {
    return this.runLog.row(row);
  }

  async afterStep(step: number, sampler: BatchSampler): Promise<void> {
    const s = this.o.config.train;
    if (step % s.checkpointEvery === 0) await this.checkpoint(step, sampler);
    if (s.gridEvery > 0 && step % s.gridEvery === 0) await this.grid(step);
    if (s.evalEvery > 0 && step % s.evalEvery === 0) await this.evaluate(step, sampler);
    const state = this.o.hooks.control.paused ? 'paused' : 'running';
    if (state === 'paused') await writeRunState(this.o.dir, { state, step });
  }

  private async checkpoint(step: number, sampler: BatchSampler): Promise<string> {
    const path = await saveCheckpoint(this.o.dir, this.o.models, { step, sampler: sampler.state(), config: this.o.config });
    this.lastCheckpoint = { step, path };
    pruneCheckpoints(this.o.dir, this.o.config.train.keepCheckpoints, this.o.config.train.milestoneEvery);
    await writeRunState(this.o.dir, { state: this.o.hooks.control.paused ? 'paused' : 'running', step });
    return path;
  }

  /** Metrics from the checkpoint of this step, appended to metrics.jsonl as eval_* columns. */
  private async evaluate(step: number, sampler: BatchSampler): Promise<void> {
    if (this.lastCheckpoint?.step !== step) await this.checkpoint(step, sampler);
    const e = await evaluateRun(this.o.project, this.o.config.run, { step, samples: 500 });
    this.lastEval = { step, metrics: e.metrics };
    for (const note of e.notes) this.o.hooks.log?.(note);
    if (Object.keys(e.metrics).length === 0) return; // nothing measurable yet (e.g. no features stage)
    await this.runLog.evalRow(step, e.metrics);
  }

  private async grid(step: number): Promise<void> {
    const png = await renderGrid({ cfg: this.o.config.gan, g: this.o.models.gEma, seed: this.o.config.train.seed });
    writeFileSync(gridPath(this.o.dir, step), png);
  }

  /** The newest evaluation (metrics.jsonl has them all). */
  lastEval: { step: number; metrics: Record<string, number> } | null = null;

  /**
   * Final checkpoint (unless this step has one), grid, export, and — for a run that reached its
   * steps — the metrics at the last step (evalEvery 0 means "only at the end"); returns the checkpoint.
   */
  async finished(step: number, sampler: BatchSampler, stopped: boolean): Promise<string | null> {
    if (step > 0 && this.lastCheckpoint?.step !== step) await this.checkpoint(step, sampler);
    if (step > 0) {
      await this.grid(step);
      await exportGenerator(join(this.o.dir, 'export'), this.o.config, this.o.models.gEma);
      if (!stopped && this.lastEval?.step !== step) await this.evaluate(step, sampler);
    }
    await writeRunState(this.o.dir, { state: stopped ? 'stopped' : 'done', step });
    return this.lastCheckpoint?.path ?? null;
  }

  async diverged(e: DivergedError): Promise<ContractError> {
    const kept = this.lastCheckpoint ? `the last good checkpoint is step ${this.lastCheckpoint.step} (${this.lastCheckpoint.path})` : 'no checkpoint was written before it';
    const message = `${e.message}. Training stopped; ${kept}. Lower learning rates (--lr-d, --lr-g) in a new run usually help.`;
    await writeRunState(this.o.dir, { state: 'failed', step: e.step - 1, message });
    return new ContractError('INTERNAL', message);
  }

  async failed(e: unknown): Promise<void> {
    await writeRunState(this.o.dir, { state: 'failed', step: this.lastCheckpoint?.step ?? 0, message: (e as Error).message ?? String(e) }).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.runLog.close();
  }
}
