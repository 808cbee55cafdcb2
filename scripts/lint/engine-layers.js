// ESLint rule: the engine's folders form layers, and a file may import only from its own folder or a
// lower layer. Layers (not a cycle detector) so a new cycle fails at the import that makes it, with a
// message naming both folders. gan/ and metrics/ count per subfolder (gan/train above gan/run…).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

function folderOf(absFile, root) {
  const parts = relative(root, absFile).split(sep);
  if (parts[0] === '..' || parts.length === 0) return null;
  if (parts.length === 1) return '(top)';
  if ((parts[0] === 'gan' || parts[0] === 'metrics') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

export const engineLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'main/engine folders import only their own folder or a lower layer (no folder cycles)' },
    schema: [{ type: 'object', properties: { root: { type: 'string' }, layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } } }, required: ['root', 'layers'] }],
  },
  create(context) {
    const { root: rootRel, layers } = context.options[0];
    const root = resolve(context.cwd, rootRel);
    const rank = new Map(layers.flatMap((names, i) => names.map((n) => [n, i])));
    const file = context.filename;
    const from = folderOf(file, root);
    if (from === null) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec);
      const to = folderOf(existsSync(target) && statSync(target).isDirectory() ? join(target, 'index.ts') : target, root);
      if (to === null || to === from) return;
      const [a, b] = [rank.get(from), rank.get(to)];
      if (a === undefined) return context.report({ node, message: `main/engine/${from} is in no layer of eslint.config.js's engine-layers list: add it.` });
      if (b === undefined) return context.report({ node, message: `main/engine/${to} is in no layer of eslint.config.js's engine-layers list: add it.` });
      if (b >= a) context.report({ node, message: `main/engine/${from} (layer ${a}) must not import main/engine/${to} (layer ${b}): import only from lower layers; move shared code down (e.g. into base/).` });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};
