// .svelte components are linted under the same layering rules as the renderer's .ts files, and
// state classes may not import the API client (they receive it).
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const component = (what: string, from: string) => `<script lang="ts">\n  import { ${what} } from '${from}';\n  const used: unknown = ${what};\n</script>\n\n<p>{String(used)}</p>\n`;

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages;
}

// [file, imported name, module, allowed?]
const cases: Array<[string, string, string, boolean]> = [
  ['renderer/src/views/X.svelte', 'createEngine', '../../../main/engine/service', false],
  ['renderer/src/components/train/X.svelte', 'startBridge', '../../../../main/bridge/server', false],
  ['renderer/src/App.svelte', 'ipcRenderer', 'electron', false],
  ['renderer/src/views/X.svelte', 'requests', '../../../shared/contract', true],
  ['renderer/src/views/X.svelte', 'errorMessage', '../lib/api', true],
];

describe('layering lint rules for .svelte files', () => {
  it.each(cases)('%s importing { %s } from %s → allowed: %s', async (file, name, from, allowed) => {
    const messages = await lint(file, component(name, from));
    expect(messages.filter((m) => m.fatal)).toEqual([]); // parsed as Svelte + TypeScript, not skipped
    const restricted = messages.filter((m) => m.ruleId === 'no-restricted-imports');
    if (allowed) expect(restricted).toEqual([]);
    else expect(restricted.length).toBeGreaterThan(0);
  });

  it('lints components instead of ignoring them', async () => {
    expect(await eslint.isPathIgnored(`${root}/renderer/src/App.svelte`)).toBe(false);
  });

  it('parses TypeScript in <script lang="ts">', async () => {
    const messages = await lint('renderer/src/views/X.svelte', '<script lang="ts">\n  let n: number = 1;\n  const unused: string = "x";\n</script>\n\n<p>{n}</p>\n');
    expect(messages.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-unused-vars']);
  });
});

describe('renderer state classes receive the API client', () => {
  const ts = (line: string) => `${line}\nexport const used = [x];\n`;
  it.each([
    ['renderer/src/lib/state/train.svelte.ts', "import { api as x } from '../api';", false],
    ['renderer/src/lib/state/train.svelte.ts', "import type { Client as x } from '../api';", true],
    ['renderer/src/lib/state/stores.ts', "import { api as x } from '../api';", true],
    ['renderer/src/views/X.svelte', "import { thumbUrl as x } from '../lib/api';", true],
  ])('%s: %s → allowed: %s', async (file, line, allowed) => {
    const code = file.endsWith('.svelte') ? `<script lang="ts">\n${ts(line)}</script>\n` : ts(line);
    const hits = (await lint(file, code)).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
    expect(hits.length > 0).toBe(!allowed);
  });
});
