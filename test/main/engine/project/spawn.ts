// Runs TypeScript fixtures in a separate Node process (through tsx), as a second program would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export function spawnTs(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'pipe' });
}

/** Resolves with the first stdout line matching `test`. */
export function waitForLine(child: ChildProcessWithoutNullStreams, test: (line: string) => boolean, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error(`timed out waiting for output; stderr: ${stderr}`)), timeoutMs);
    rl.on('line', (line) => {
      if (!test(line)) return;
      clearTimeout(timer);
      rl.close();
      resolve(line);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before the expected line; stderr: ${stderr}`));
    });
  });
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}
