// Builds the optional native conv kernels (main/engine/backend/native, N-API + OpenBLAS) with node-gyp.
//   node scripts/build-native.js             strict: exits 1 with the reason (`npm run build:native`)
//   node scripts/build-native.js --optional  never fails (`postinstall`): one line saying what happened
//   --dir <folder>                           build a copy of the addon's sources there (tests)
// Without the addon everything runs on the wasm kernels, so a machine without a C compiler or
// libopenblas-dev loses speed, never the install. S3GAN_NATIVE=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const optional = process.argv.includes('--optional');
const dirFlag = process.argv.indexOf('--dir');
const addonDir = dirFlag > 0 ? process.argv[dirFlag + 1] : fileURLToPath(new URL('../main/engine/backend/native/', import.meta.url));
const built = join(addonDir, 'build', 'Release', 's3gan_kernels.node');

function done(ok, message) {
  (ok ? console.log : console.error)(`s3gan native kernels: ${message}`);
  process.exit(ok || optional ? 0 : 1);
}

/** npm runs lifecycle scripts with its own node-gyp in npm_config_node_gyp; otherwise use the copy bundled with npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** Node's own headers (installed with Node) spare node-gyp a download, which offline machines cannot do. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

/** The first line of the build's output that says what went wrong, with the fix when we know it. */
function explain(output) {
  if (/cblas\.h: No such file|cannot find -lopenblas/.test(output)) return 'OpenBLAS is missing — install libopenblas-dev (Debian/Ubuntu: apt-get install libopenblas-dev), then npm run build:native';
  if (/not found: (make|cc|gcc|g\+\+)|No such file or directory.*\b(cc|gcc|g\+\+)\b|gyp ERR! stack Error: not found/.test(output)) return 'no C compiler / make found — install build-essential, then npm run build:native';
  const line = output.split('\n').find((l) => /error|ERR!/i.test(l));
  return `build failed${line ? `: ${line.trim().slice(0, 300)}` : ''}`;
}

if (process.env.S3GAN_NATIVE === '0') done(true, 'skipped (S3GAN_NATIVE=0); training uses the wasm kernels');
const gyp = nodeGyp();
if (!gyp) done(false, 'node-gyp not found (it ships with npm); training uses the wasm kernels');

const r = spawnSync(process.execPath, [gyp, 'rebuild', ...nodedirArgs()], { cwd: addonDir, encoding: 'utf8', timeout: 300_000 });
const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
if (r.status !== 0 || !existsSync(built)) {
  if (!optional) console.error(output);
  done(false, `${explain(output)}${optional ? '; training uses the wasm kernels' : ''}`);
}
done(true, `built ${built}`);
