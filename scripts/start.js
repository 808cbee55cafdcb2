// `npm start`: build and run the Electron app — or, where Electron's binary is missing (its download
// is blocked on some machines), say so plainly and point to web mode instead of a stack trace.
// We look for the binary ourselves: `require('electron')` would try to download it when absent.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, relative || 'electron') : relative ? join(pkgDir, 'dist', relative) : null;
  return full && existsSync(full) ? full : null;
}

if (!electronBinary()) {
  console.error(
    "Electron's binary is not installed on this machine (its download is blocked here); " +
      'run the app in your browser instead: npm run web',
  );
  process.exit(1);
}

const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
// `preview` builds main, preload and renderer, then launches Electron on the build.
const child = spawn(process.execPath, [electronVite, 'preview', '--config', 'electron.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
