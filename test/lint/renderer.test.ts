// .svelte components are linted under the same layering rules as the renderer's .ts files.
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
