// Starts the engine child with Electron's utilityProcess (the Node equivalent is engine/jobs/node-fork).
import { utilityProcess } from 'electron';
import { ENGINE_ENV, type EngineChild, type ForkEngine } from '../engine/jobs/protocol';

export function utilityForkEngine(opts: { entry: string; recentFile: string }): ForkEngine {
  return () => {
    const child = utilityProcess.fork(opts.entry, [], {
      serviceName: 'S3GAN engine',
      stdio: 'inherit',
      env: { ...process.env, [ENGINE_ENV.mode]: 'electron', [ENGINE_ENV.recentFile]: opts.recentFile },
    });
    let exited = false;
    return {
      get pid() {
        return child.pid;
      },
      send: (msg) => {
        if (!exited) child.postMessage(msg);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) =>
        child.on('exit', (code) => {
          exited = true;
          cb({ code, signal: null });
        }),
      kill: () => {
        child.kill();
      },
    } satisfies EngineChild;
  };
}
