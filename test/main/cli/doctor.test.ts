import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function doctor(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, ['bin/s3gan.js', 'doctor', ...args, '--json'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, S3GAN_BACKEND: '', ...env }, timeout: 60_000,
  });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, json: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown> };
}

describe('s3gan doctor', () => {
  it('reports wasm here, with every attempt, the node version, platform and cpus', () => {
    const { status, json } = doctor([]);
    expect(status).toBe(0);
    expect(json.backend).toBe('wasm');
    expect(json.gpu).toBe(false);
    expect(String(json.version)).toContain('tfjs-backend-wasm');
    const tried = json.tried as { backend: string; ok: boolean; reason?: string }[];
    expect(tried.map((t) => t.backend)).toEqual(['tensorflow-gpu', 'tensorflow-cpu', 'wasm']);
    expect(tried.filter((t) => !t.ok).every((t) => (t.reason ?? '').length > 0)).toBe(true);
    expect(Array.isArray(json.advice)).toBe(true);
    expect(json.node).toBe(process.version);
    expect(typeof json.platform).toBe('string');
    expect(json.cpus).toBeGreaterThan(0);
  });

  it('reports the optional native kernels, and without them still runs on wasm, saying why', () => {
    const off = doctor(['--backend', 'wasm'], { S3GAN_NATIVE: '0' });
    expect(off.json.backend).toBe('wasm');
    expect(off.json.nativeKernels).toEqual({ loaded: false, detail: expect.stringMatching(/S3GAN_NATIVE=0/) });
    const missing = doctor(['--backend', 'wasm'], { S3GAN_NATIVE_KERNELS: '/nonexistent/s3gan_kernels.node' });
    expect(missing.json.backend).toBe('wasm');
    expect((missing.json.nativeKernels as { detail: string }).detail).toMatch(/not built/);
    if (process.env.CI === 'true') {
      // CI installs libopenblas-dev, so `npm ci` built the addon
      expect(doctor(['--backend', 'wasm']).json.nativeKernels).toEqual({ loaded: true, detail: expect.stringMatching(/OpenBLAS/) });
    }
  });

  it('honours S3GAN_BACKEND and --backend', () => {
    expect(doctor([], { S3GAN_BACKEND: 'cpu' }).json.backend).toBe('cpu');
    expect(doctor(['--backend', 'cpu']).json.backend).toBe('cpu');
  });

  it('rejects an unknown backend name with a usage error', () => {
    const { status, json } = doctor(['--backend', 'cuda']);
    expect(status).toBe(2);
    expect((json.error as { message: string }).message).toContain('--backend');
  });
});
