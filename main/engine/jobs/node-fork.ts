// Forks the engine child with Node's child_process (CLI and web mode). Electron uses its own
// utilityProcess adapter in main/app; this file never imports electron.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_ENV, type EngineChild, type EngineMode, type ForkEngine } from './protocol';

const here = dirname(fileURLToPath(import.meta.url));

/** The engine entry next to this module: the .ts source under tsx, the built .js otherwise. */
export function defaultEngineEntry(): string {
  const ts = join(here, 'engine-process.ts');
  return existsSync(ts) ? ts : join(here, 'engine-process.js');
}

export interface NodeForkOptions {
  entry?: string;
  mode?: EngineMode;
  recentFile?: string;
  /** Tests only: module exporting `createEngine` hosted instead of the real engine. */
  factoryModule?: string;
  env?: Record<string, string>;
  /** 'inherit' by default so engine logs reach the terminal. */
  stdio?: 'inherit' | 'ignore';
}

export function nodeForkEngine(opts: NodeForkOptions = {}): ForkEngine {
  return () => {
    const entry = opts.entry ?? defaultEngineEntry();
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, [ENGINE_ENV.mode]: opts.mode ?? 'cli' };
    if (opts.recentFile) env[ENGINE_ENV.recentFile] = opts.recentFile;
    if (opts.factoryModule) env[ENGINE_ENV.factoryModule] = opts.factoryModule;
    const stdio = opts.stdio ?? 'inherit';
    const child = fork(entry, [], {
      env,
      // TypeScript sources run through tsx; a built .js entry runs as is.
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: [stdio, stdio, stdio, 'ipc'],
    });
    const exitCallbacks: Array<(info: { code: number | null; signal: string | null }) => void> = [];
    child.on('exit', (code, signal) => exitCallbacks.forEach((cb) => cb({ code, signal })));
    child.on('error', (e: NodeJS.ErrnoException) => {
      // A message racing the child's exit fails with EPIPE; the exit handler reports that case.
      if (e.code !== 'EPIPE' && e.code !== 'ERR_IPC_CHANNEL_CLOSED') console.error(`engine: ${e.message}`);
      // A child that never spawned emits no 'exit': report it so pending requests settle.
      if (child.pid === undefined) exitCallbacks.forEach((cb) => cb({ code: null, signal: null }));
    });
    return {
      pid: child.pid,
      send: (msg) => {
        if (child.connected) child.send(msg);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => exitCallbacks.push(cb),
      kill: (signal) => {
        child.kill(signal);
      },
    } satisfies EngineChild;
  };
}
