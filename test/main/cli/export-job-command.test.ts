// The Train view's "Run on another machine…" shows a command (renderer/src/lib/pytorch-job.ts) and can
// export the job itself (train.exportJob). Both must write the same job: the command, run through bash
// as a user would paste it (a project path with a space and a quote), gives the config.json the
// request gives, but for the run id and time.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportJobCommand } from '../../../renderer/src/lib/pytorch-job';
import { createEngine } from '../../../main/engine/service';
import type { Handler } from '../../../main/engine/base/handlers';
import type { Params, RequestName, Result } from '../../../shared/contract';
import { createTinyProject, type TinyProject } from './tiny-project';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 's3gan.js');
let tiny: TinyProject;
let projectPath = '';

beforeAll(async () => {
  tiny = await createTinyProject({ images: 12, labelEvery: 3 });
  projectPath = join(tiny.root, "my digits 'v2'");
  cpSync(tiny.project, projectPath, { recursive: true });
}, 60_000);

describe('Run on another machine: command = request', () => {
  it('the shown export-job command writes the config train.exportJob writes', async () => {
    const form = { method: 's3gan' as const, steps: 7, ch: 2, batch: 8, seed: 11, diffaug: false, lrD: 0.0004, gridEvery: 0, workers: 2 };
    const viaCli = join(tiny.root, 'job cli');
    const command = exportJobCommand(projectPath, form, viaCli);
    expect(command).not.toContain('--workers'); // run-time only: not part of the job
    expect(command).toContain('--diffaug=false');
    const r = spawnSync('bash', ['-c', command.replace(/^npx s3gan /, `"${process.execPath}" "${bin}" `)], { env: { ...tiny.env, S3GAN_BACKEND: 'wasm' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);

    const viaRequest = join(tiny.root, 'job request');
    const engine = createEngine({ emit: () => undefined, mode: 'cli' });
    const call = <K extends RequestName>(name: K, params: Params<K>) => (engine.handlers[name] as Handler<K>)(params, { emit: () => undefined }) as Promise<Result<K>>;
    try {
      await call('project.open', { path: projectPath });
      const { workers: _w, ...params } = form;
      expect(await call('train.exportJob', { ...params, out: viaRequest })).toMatchObject({ out: viaRequest, method: 's3gan', steps: 7 });
      const again = await call('train.exportJob', { ...params, out: viaRequest }).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: 'CONFLICT' });
    } finally {
      await engine.dispose();
    }
    const config = (dir: string) => {
      const { run: _r, createdAt: _c, ...rest } = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      return rest;
    };
    expect(config(viaCli)).toEqual(config(viaRequest));
    expect(config(viaCli)).toMatchObject({ train: { steps: 7, seed: 11, diffaug: false, lrD: 0.0004 }, gan: { ch: 2 } });
  }, 180_000);
});
