// `npm run bench [name]`: runs the benchmark modules (all, or the one named) one after another — never
// in parallel, they measure speed — and writes bench-output/results.json (merged with earlier runs of
// other benches) and bench-output/RESULTS.md. A bench module default-exports nothing and exports
// `run(): Promise<BenchReport>`; add new ones to BENCHES.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchReport {
  title: string;
  /** Flat numbers and short strings: what results.json keeps and RESULTS.md tabulates. */
  metrics: Record<string, number | string | boolean | null>;
  /** Optional extra Markdown (method, tables) placed under the metrics. */
  markdown?: string;
}

interface BenchModule {
  run(): Promise<BenchReport>;
}

const BENCHES: Record<string, () => Promise<BenchModule>> = {
  'ml-bench': () => import('./ml-bench'),
  'label-bench': () => import('./label-bench'),
  'gan-bench': () => import('./gan-bench'),
};

const OUT_DIR = join(process.cwd(), 'bench-output');

interface Stored extends BenchReport {
  seconds: number;
  finishedAt: string;
  node: string;
}

function machine(): string {
  return `${process.platform} ${process.arch}, Node ${process.version}`;
}

function toMarkdown(results: Record<string, Stored>): string {
  const lines = ['# Benchmark results', '', `Written by \`npm run bench\`. Each section comes from the last run of that bench.`, ''];
  for (const [name, r] of Object.entries(results)) {
    lines.push(`## ${r.title} (\`${name}\`)`, '', `Run ${r.finishedAt} on ${r.node}, took ${r.seconds.toFixed(0)} s.`, '', '| metric | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.metrics)) lines.push(`| ${k} | ${typeof v === 'number' ? +v.toFixed(4) : String(v)} |`);
    if (r.markdown) lines.push('', r.markdown.trim());
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const only = argv.find((a) => !a.startsWith('-'));
  if (only && !BENCHES[only]) {
    console.error(`Unknown bench "${only}". Known: ${Object.keys(BENCHES).join(', ')}`);
    return 2;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const resultsFile = join(OUT_DIR, 'results.json');
  const results: Record<string, Stored> = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  for (const name of only ? [only] : Object.keys(BENCHES)) {
    console.error(`== ${name}`);
    const started = Date.now();
    const report = await (await BENCHES[name]!()).run();
    results[name] = { ...report, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString(), node: machine() };
    // Written after every bench so a later failure keeps the earlier numbers.
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(OUT_DIR, 'RESULTS.md'), toMarkdown(results));
    console.error(`== ${name} done in ${results[name]!.seconds.toFixed(0)} s`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
