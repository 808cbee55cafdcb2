// `s3gan serve [project] [--port P]`: the app in a browser. Forks the engine, serves the built
// renderer and the contract on 127.0.0.1 behind a per-launch token, and runs until SIGINT/SIGTERM.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from '../../../shared/contract';
import { startBridge } from '../../bridge/server';
import { EngineClient } from '../../engine/jobs/engine-client';
import { nodeForkEngine } from '../../engine/jobs/node-fork';
import { MANIFEST_FILE } from '../../engine/project/manifest';
import { parseArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

/** The built renderer; S3GAN_RENDERER_DIST points elsewhere (packaging, tests). */
function rendererDist(): string {
  return process.env.S3GAN_RENDERER_DIST ?? fileURLToPath(new URL('../../../renderer/dist', import.meta.url));
}

function checkProjectDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ContractError('NOT_FOUND', `No such folder: ${dir}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    throw new ContractError('NOT_FOUND', `${dir} is not an S³GAN project (it has no ${MANIFEST_FILE}). Start without a project and create one in the UI.`);
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const done = (s: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolveSignal(s);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

const command: CliCommand = {
  summary: 'Serve the app to a browser on 127.0.0.1 (web mode)',
  usage: 's3gan serve [project] [--port P] [--json]',
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { port: 'number' });
    if (positional.length > 1) throw new UsageError('Give at most one project folder');
    const port = (flags.port as number | undefined) ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer 0..65535, got ${port}`);
    const staticDir = rendererDist();
    if (!existsSync(join(staticDir, 'index.html'))) {
      throw new ContractError('NOT_FOUND', 'The web UI is not built (renderer/dist/index.html is missing). Run `npm run build:renderer` first, or start with `npm run web`.');
    }
    const projectDir = positional[0] ? resolve(positional[0]) : null;
    if (projectDir) checkProjectDir(projectDir);

    const engine = new EngineClient({ fork: nodeForkEngine({ mode: 'web' }), log: io.log });
    try {
      if (projectDir) await engine.request('project.open', { path: projectDir });
    } catch (e) {
      await engine.close();
      throw e;
    }
    const bridge = await startBridge({ engine, staticDir, ...(port ? { port } : {}) });
    // Always on stdout (even with --json): launchers and E2E tests look for this line.
    process.stdout.write(`S3GAN_URL ${bridge.url}\n`);
    io.log(`Serving S³GAN Studio at ${bridge.url}${projectDir ? ` (project ${projectDir})` : ''}. Press Ctrl+C to stop.`);

    const signal = await untilSignal();
    io.log(`Received ${signal}; closing the engine…`);
    await bridge.close();
    await engine.close();
    return { url: bridge.url, project: projectDir, stopped: signal };
  },
};
export default command;
