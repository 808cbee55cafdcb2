import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContractError } from '../../../shared/contract';
import { samplePng } from '../../engine/gan/sample/grid';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { projectArg } from './_engine';

const usage = 's3gan sample <project> --run RUN [--step S] [--class C] [--n N] [--truncation T] [--seed S] [--interpolate A,B] --out file.png [--force] [--json]';

const command: CliCommand = {
  summary: 'Write a PNG of generated images (EMA generator): rows = classes, columns = latents',
  usage,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, { run: 'string', step: 'number', class: 'string', n: 'number', truncation: 'number', seed: 'number', interpolate: 'string', out: 'string', force: 'boolean' });
    const project = projectArg(positional, usage);
    if (!flags.run) throw new UsageError('--run is required');
    if (!flags.out) throw new UsageError('--out is required');
    let interpolate: [number, number] | undefined;
    if (flags.interpolate !== undefined) {
      const parts = String(flags.interpolate).split(',').map(Number);
      if (parts.length !== 2 || !parts.every((p) => Number.isInteger(p) && p >= 0)) throw new UsageError('--interpolate needs two latent numbers, e.g. 0,5');
      interpolate = [parts[0]!, parts[1]!];
    }
    const n = flags.n as number | undefined;
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 64)) throw new UsageError('--n must be an integer in 1..64');
    const out = resolve(String(flags.out));
    // Never replace a file silently (issue 14): --force says the user means it.
    if (existsSync(out) && flags.force !== true) throw new ContractError('CONFLICT', `${out} already exists: choose another file name, or pass --force to replace it.`);
    const { selectBackend } = await import('../../engine/backend');
    await selectBackend({ prefer: 'auto' });
    const r = await samplePng(project, {
      run: String(flags.run),
      ...(flags.step !== undefined ? { step: flags.step as number } : {}),
      ...(flags.class !== undefined ? { classId: String(flags.class) } : {}),
      ...(n !== undefined ? { n } : {}),
      ...(flags.truncation !== undefined ? { truncation: flags.truncation as number } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed as number } : {}),
      ...(interpolate ? { interpolate } : {}),
    });
    writeFileSync(out, r.png);
    return { run: flags.run, step: r.step, rows: r.rows, out };
  },
};
export default command;
