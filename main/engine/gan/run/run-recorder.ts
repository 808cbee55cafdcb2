// Everything a running training writes besides weights in memory: metrics.jsonl rows and
// 'train.metrics' events, checkpoints (+ pruning), grids, state.json, the final export.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../../shared/contract';
import type { OpenProject } from '../base/engine-context';
import type { AppendFile } from '../base/durable-fs';
import { evaluateRun } from './evaluate';
import type { BatchSampler } from './batches';
import { pruneCheckpoints, saveCheckpoint } from './checkpoint';
import { exportGenerator } from './export';
import type { DivergedError, LogRow } from './loop';
import { renderGrid } from './run-grid';
import type { RunConfig } from './run-config';
import { gridPath, metricsLog, writeRunState } from './run-store';
import type { GanModels } from './step';
import type { TrainHooks } from './run-train';

export class RunRecorder {
  private readonly metrics: AppendFile;
  private lastCheckpoint: { step: number; path: string } | null = null;
  private readonly started0 = Date.now();

  constructor(private readonly o: { dir: string; config: RunConfig; models: GanModels; hooks: TrainHooks; backend: string; project: OpenProject }) {
    this.metrics = metricsLog(o.dir);
  }

  resumedAt(step: number, path: string): void {
    this.lastCheckpoint = { step, path };
  }

  async started(step: number): Promise<void> {
    await writeRunState(this.o.dir, { state: 'running', step });
    this.o.hooks.log?.(`run ${this.o.config.run}: ${this.o.config.method} on ${this.o.backend}, ${this.o.config.gan.resolution}px ch ${this.o.config.gan.ch}, batch ${this.o.config.train.batch}`);
  }

  async log(row: LogRow): Promise<void> {
    const full = { ...row, elapsed_s: Math.round((Date.now() - this.started0) / 100) / 10 };
    await this.metrics.append(`${JSON.stringify(full)}\n`);
    this.o.hooks.onLog?.(this.o.config.run, row);
    const s = this.o.config.train;
    this.o.hooks.progress?.(row.step, s.steps, `step ${row.step}: d ${row.d_loss?.toFixed(3)} g ${row.g_loss?.toFixed(3)}, ${row.img_per_s.toFixed(1)} img/s`);
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
    const row: Record<string, number> = { step };
    for (const [k, v] of Object.entries(e.metrics)) row[`eval_${k}`] = v;
    await this.metrics.append(`${JSON.stringify(row)}\n`);
    this.o.hooks.onLog?.(this.o.config.run, row as LogRow);
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

  async close(): Promise<void> {
    await this.metrics.close();
  }
}
