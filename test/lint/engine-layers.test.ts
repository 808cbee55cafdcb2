// The engine's folder layers (scripts/lint/engine-layers.js): imports go down or stay in the folder,
// so folders cannot import each other in circles. The real tree passes (npm run lint); these cases
// show the rule bites.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'local/engine-layers').map((m) => m.message);
}

// [file, import specifier, allowed?]
const cases: Array<[string, string, boolean]> = [
  ['main/engine/base/x.ts', '../gan/train/step', false], // base imports nothing above it
  ['main/engine/cluster/x.ts', '../metrics/clustering', false], // same layer, other folder: a cycle could start here
  ['main/engine/cluster/x.ts', '../base/linalg', true],
  ['main/engine/models/x.ts', '../gan/train/step', false], // the old models → gan edge
  ['main/engine/gan/run/x.ts', '../train/step', false], // run below train
  ['main/engine/gan/train/x.ts', '../run/checkpoint', true],
  ['main/engine/gan/train/parallel/x.ts', '../step', true], // same folder, deeper file
  ['main/engine/pipeline/x.ts', '../backend', true], // a folder's index
  ['main/engine/project/x.ts', '../jobs/engine-host', false],
];

describe('engine folder layers', () => {
  for (const [file, spec, allowed] of cases) {
    it(`${file} ${allowed ? 'may' : 'may not'} import ${spec}`, async () => {
      const code = `import { x } from '${spec}';\nexport const y = x;\nexport const z = () => import('${spec}');\n`;
      const errors = await layerErrors(file, code);
      expect(errors.length, errors.join('\n')).toBe(allowed ? 0 : 2); // the static and the dynamic import
      if (!allowed) expect(errors[0]).toMatch(/must not import main\/engine\//);
    });
  }
});
