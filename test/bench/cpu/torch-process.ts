// Drives the PyTorch side (test/bench/torch/bench_step.py: the job's trainer) as a long-lived child: one "step" line in,
// one {"ms"} line out, so the bench can alternate PyTorch and our trainer step by step in one run.
// Uses Debian's /usr/bin/python3 (the python3 first on PATH may be another build without torch).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface, type Interface } from 'node:readline';

export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../torch/bench_step.py', import.meta.url));

/** null when torch imports; else a message saying how to get it (the bench installs nothing). */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return `PyTorch is not importable by ${PYTHON} (${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}).\n`
    + 'Install Debian\'s build and run again:  sudo apt-get install -y python3-torch\n'
    + '(or point BENCH_PYTHON at a python3 that has torch).';
}

export class TorchStepper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: ((line: string) => void)[] = [];
  private stderr = '';
  info: { torch: string; threads: number } = { torch: '?', threads: 0 };

  private constructor(spec: Record<string, unknown>, threads: number) {
    this.child = spawn(PYTHON, [SCRIPT, '--serve', '--threads', String(threads), '--spec', JSON.stringify(spec)], { stdio: 'pipe' });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (l) => this.queue.shift()?.(l));
    this.child.on('exit', (code) => {
      for (const f of this.queue.splice(0)) f(JSON.stringify({ error: `python exited with ${code}: ${this.stderr.slice(-2000)}` }));
    });
  }

  static async start(spec: Record<string, unknown>, threads: number): Promise<TorchStepper> {
    const t = new TorchStepper(spec, threads);
    const ready = await t.next();
    t.info = { torch: String(ready.torch), threads: Number(ready.threads) };
    return t;
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.queue.push((line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.error) reject(new Error(String(msg.error)));
        else resolve(msg);
      });
    });
  }

  /** Runs one G step with its D steps in PyTorch; returns its wall time in ms (measured in Python). */
  async step(): Promise<number> {
    const reply = this.next();
    this.child.stdin.write('step\n');
    return Number((await reply).ms);
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end('quit\n');
    await exited;
  }
}
