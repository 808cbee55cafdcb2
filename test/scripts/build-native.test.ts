import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openNativeKernels } from '../../main/engine/backend/native-addon';
import { registerTempDir } from '../setup/temp-dirs';

const script = fileURLToPath(new URL('../../scripts/build-native.js', import.meta.url));
const sources = fileURLToPath(new URL('../../main/engine/backend/native/', import.meta.url));
const openblas = openNativeKernels().kernels !== undefined; // the checkout's own build succeeded here

/** A copy of the addon's sources, so a test build never touches the checkout's built addon. */
function copyOfSources(): string {
  const dir = registerTempDir(mkdtempSync(join(tmpdir(), 's3gan-native-build-')));
  cpSync(join(sources, 'binding.gyp'), join(dir, 'binding.gyp'));
  cpSync(join(sources, 'src'), join(dir, 'src'), { recursive: true });
  return dir;
}

function build(dir: string, flags: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [script, '--dir', dir, ...flags], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
}

describe('scripts/build-native.js', () => {
  it('a failed build: strict mode exits 1 with the reason, --optional (postinstall) exits 0 and says wasm is used', () => {
    const dir = copyOfSources();
    const strict = build(dir, [], { CC: '/nonexistent/cc', CXX: '/nonexistent/c++' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/s3gan native kernels: (build failed|no C compiler)/);
    const optional = build(dir, ['--optional'], { CC: '/nonexistent/cc', CXX: '/nonexistent/c++' });
    expect(optional.status).toBe(0);
    expect(optional.stderr).toMatch(/training uses the wasm kernels/);
    expect(existsSync(join(dir, 'build', 'Release', 's3gan_kernels.node'))).toBe(false);
  });

  it('S3GAN_NATIVE=0 skips the build', () => {
    const r = build(copyOfSources(), ['--optional'], { S3GAN_NATIVE: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/skipped \(S3GAN_NATIVE=0\)/);
  });

  it.runIf(openblas)('builds a loadable addon where OpenBLAS and a compiler are present', () => {
    const dir = copyOfSources();
    const r = build(dir, []);
    expect(r.status, r.stderr).toBe(0);
    const built = join(dir, 'build', 'Release', 's3gan_kernels.node');
    expect(r.stdout).toContain(`built ${built}`);
    const loaded = openNativeKernels({ S3GAN_NATIVE_KERNELS: built });
    expect(loaded.status.loaded).toBe(true);
    expect(loaded.status.info).toMatch(/OpenBLAS/);
  });
});
