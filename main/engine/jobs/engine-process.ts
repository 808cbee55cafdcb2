// Entry of the engine child process (same module under Electron's utilityProcess and Node's fork).
// Hosts the engine (main/engine/service.ts) and talks to the parent through whichever port exists.
// On shutdown/SIGTERM/disconnect it disposes the engine first, so the project lock is released.
import { pathToFileURL } from 'node:url';
import { toWireError } from '../../../shared/contract';
import { hostEngine } from './engine-host';
import { detectParentPort } from './parent-port';
import { ENGINE_ENV, type EngineFactory, type EngineMode } from './protocol';

async function loadFactory(): Promise<EngineFactory> {
  const override = process.env[ENGINE_ENV.factoryModule];
  if (override) {
    const mod = (await import(pathToFileURL(override).href)) as { createEngine: EngineFactory };
    return mod.createEngine;
  }
  const { createEngine } = await import('../service');
  return createEngine as EngineFactory;
}

function engineMode(): EngineMode {
  const m = process.env[ENGINE_ENV.mode];
  return m === 'electron' || m === 'web' ? m : 'cli';
}

const DISPOSE_GRACE_MS = 8000;

async function main(): Promise<void> {
  const port = detectParentPort();
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    // A dispose that hangs must not leave an orphan process behind (nobody may be left to kill it).
    setTimeout(() => {
      console.error(`engine: dispose did not finish in ${DISPOSE_GRACE_MS} ms; exiting anyway`);
      process.exit(1);
    }, DISPOSE_GRACE_MS);
    hosted.dispose().then(
      () => process.exit(code),
      (e: unknown) => {
        console.error('engine: dispose failed:', e);
        process.exit(1);
      },
    );
  };
  const recentFile = process.env[ENGINE_ENV.recentFile];
  // Listeners are registered synchronously (before the engine loads) so no message is missed.
  const hosted = hostEngine(port, async (o) => (await loadFactory())(o), {
    mode: engineMode(),
    ...(recentFile ? { recentFile } : {}),
    onShutdown: () => stop(0),
  });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  process.on('disconnect', () => stop(0));
  try {
    await hosted.ready;
  } catch (e) {
    port.send({ type: 'fatal', error: toWireError(e) });
    // Give the IPC channel a moment to flush the message before leaving.
    setTimeout(() => process.exit(1), 200);
    return;
  }
  port.send({ type: 'ready', pid: process.pid });
}

main().catch((e: unknown) => {
  console.error('engine: failed to start:', e);
  process.exit(1);
});
