// A tiny real project for CLI tests: 12 gray 8×8 PNGs (three stripe orientations), resolution 8,
// created through the in-process engine and closed again (releasing the lock) before the CLI runs.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../../../main/engine/service';
import type { Handler } from '../../../main/engine/base/handlers';
import type { Params, RequestName, Result } from '../../../shared/contract';
import { registerTempDir } from '../../setup/temp-dirs';

export interface TinyProject {
  root: string;
  project: string;
  configDir: string;
  /** env for spawned CLIs (recent-projects file kept out of the user's home). */
  env: NodeJS.ProcessEnv;
}

export async function createTinyProject(opts: { images?: number; labelEvery?: number } = {}): Promise<TinyProject> {
  const root = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-cli-')));
  const configDir = join(root, 'config');
  const env = { ...process.env, S3GAN_CONFIG_DIR: configDir };
  const previous = process.env.S3GAN_CONFIG_DIR;
  process.env.S3GAN_CONFIG_DIR = configDir;
  const folder = join(root, 'images');
  mkdirSync(folder, { recursive: true });
  const n = opts.images ?? 12;
  for (let i = 0; i < n; i++) {
    const px = Buffer.alloc(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) px[y * 8 + x] = [x, y, x + y][i % 3]! % 4 < 2 ? 230 - i : 10 + i;
    await sharp(px, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(folder, `img${i}.png`));
  }
  const engine = createEngine({ emit: () => undefined, mode: 'cli' });
  const call = <K extends RequestName>(name: K, params: Params<K>) => (engine.handlers[name] as Handler<K>)(params, { emit: () => undefined }) as Promise<Result<K>>;
  const project = join(root, 'project');
  try {
    await call('project.create', { path: project });
    await call('project.settings', { resolution: 8, channels: '1' });
    await call('images.import', { folders: [folder] });
    if (opts.labelEvery) {
      const classes = [];
      for (const name of ['x', 'y', 'd']) classes.push(await call('classes.add', { name }));
      const items = (await call('images.list', {})).items;
      for (const item of items) {
        const i = Number(/img(\d+)/.exec(item.name)![1]);
        if (i % opts.labelEvery === 0) await call('labels.set', { ids: [item.id], classId: classes[i % 3]!.id, source: 'hand' });
      }
    }
  } finally {
    await engine.dispose();
    if (previous === undefined) delete process.env.S3GAN_CONFIG_DIR;
    else process.env.S3GAN_CONFIG_DIR = previous;
  }
  return { root, project, configDir, env };
}
