import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const use = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const used = ${what};\n`;

// [file, imported name, module, allowed?]
const cases: Array<[string, string, string, boolean]> = [
  ['main/engine/service.ts', 'app', 'electron', false],
  ['main/bridge/server.ts', 'net', 'electron', false],
  ['main/cli/commands/x.ts', 'app', 'electron', false],
  ['renderer/src/lib/api.ts', 'ipcRenderer', 'electron', false],
  ['test/main/engine/x.test.ts', 'app', 'electron', false],
  ['main/app/window.ts', 'BrowserWindow', 'electron', true],
  ['main/app/index.ts', 'ipcMain', 'electron', false],
  ['main/app/ipc-main.ts', 'ipcMain', 'electron', true],
  ['main/app/ipc-main.ts', 'ipcRenderer', 'electron', false],
  ['main/app/preload/index.ts', 'ipcRenderer', 'electron', false],
  ['main/app/preload/index.ts', 'contextBridge', 'electron', true],
  ['main/app/preload/ipc-renderer.ts', 'ipcRenderer', 'electron', true],
  ['main/app/preload/ipc-renderer.ts', 'ipcMain', 'electron', false],
  ['renderer/src/lib/api.ts', 'requests', '../../../shared/contract', true],
  ['renderer/src/lib/api.ts', 'createEngine', '../../../main/engine/service', false],
  ['renderer/src/views/Gallery.ts', 'startBridge', '../../../main/bridge/server', false],
  ['main/engine/service.ts', 'requests', '../../shared/contract', true],
  ['main/engine/service.ts', 'createMainWindow', '../app/window', false],
  ['main/engine/jobs/x.ts', 'startBridge', '../../bridge/server', false],
  ['main/engine/jobs/x.ts', 'EngineClient', './engine-client', true],
  ['main/bridge/server.ts', 'EngineClient', '../engine/jobs/engine-client', true],
  ['main/app/index.ts', 'EngineClient', '../engine/jobs/engine-client', true],
];

describe('layering lint rules (eslint.config.js)', () => {
  it.each(cases)('%s importing { %s } from %s → allowed: %s', async (file, name, from, allowed) => {
    const messages = await restricted(file, use(name, from));
    if (allowed) expect(messages).toEqual([]);
    else expect(messages.length).toBeGreaterThan(0);
  });

  it('explains where ipcMain belongs', async () => {
    const [message] = await restricted('main/app/index.ts', use('ipcMain', 'electron'));
    expect(message).toMatch(/ipc-main\.ts/);
  });

  it('ignores build output', async () => {
    expect(await eslint.isPathIgnored(`${root}/out/main/index.js`)).toBe(true);
    expect(await eslint.isPathIgnored(`${root}/renderer/dist/assets/a.js`)).toBe(true);
    expect(await eslint.isPathIgnored(`${root}/main/app/index.ts`)).toBe(false);
  });
});
