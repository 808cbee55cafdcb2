// A run's metrics.jsonl and the matching 'train.metrics' events and progress lines. A resumed run's
// log is first cut back to the checkpoint it resumed from: the steps after it are trained again, and
// keeping both copies made the charts zig-zag backwards.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppendFile, parseLines } from '../../base/durable-fs';
import type { LogRow } from './loop';
import type { TrainHooks } from './run-train';
import type { RunConfig } from '../run/run-config';

/** Byte length of the log's rows up to `step` (everything after is cut); null keeps the whole file. */
function lengthUpTo(path: string, step: number | null): number | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const { validLength } = parseLines(text, (l) => JSON.parse(l) as unknown);
  if (step === null) return validLength;
  let offset = 0;
  for (const line of text.slice(0, validLength).split('\n')) {
    if (line.trim() !== '') {
      const row = JSON.parse(line) as { step?: number };
      if (typeof row.step === 'number' && row.step > step) return offset;
    }
    offset += Buffer.byteLength(line, 'utf8') + 1;
  }
  return validLength;
}

export class RunLog {
  private readonly file: AppendFile;
  private readonly started = Date.now();

  /** `resumedFrom`: the checkpoint step a resumed run continues from (rows after it are dropped). */
  constructor(private readonly dir: string, private readonly config: RunConfig, private readonly hooks: TrainHooks, resumedFrom: number | null = null) {
    const path = join(dir, 'metrics.jsonl');
    this.file = new AppendFile(path, lengthUpTo(path, resumedFrom));
  }

  async row(row: LogRow): Promise<void> {
    await this.file.append(`${JSON.stringify({ ...row, elapsed_s: Math.round((Date.now() - this.started) / 100) / 10 })}\n`);
    this.hooks.onLog?.(this.config.run, row);
    this.hooks.progress?.(row.step, this.config.train.steps, `step ${row.step}: d ${row.d_loss?.toFixed(3)} g ${row.g_loss?.toFixed(3)}, ${row.img_per_s.toFixed(1)} img/s`);
  }

  /** Evaluation results as eval_* columns of a row of their own. */
  async evalRow(step: number, metrics: Record<string, number>): Promise<void> {
    const row: Record<string, number> = { step };
    for (const [k, v] of Object.entries(metrics)) row[`eval_${k}`] = v;
    await this.file.append(`${JSON.stringify(row)}\n`);
    this.hooks.onLog?.(this.config.run, row as LogRow);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
