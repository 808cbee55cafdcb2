// labels.export: the current (non-truth) labels as CSV `path,label` (absolute source path, class name;
// RFC 4180; trailing newline), JSON, or a class-folder tree of copies. CSV re-imports to the same labels.
// `inferred` adds, for unlabeled images, the class predicted by the last infer.run (JSON: with its confidence).
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ContractError } from '../../../shared/contract';
import { csvLine } from './csv';
import { writeFileAtomic } from '../base/durable-fs';
import type { Project } from './project';

export interface LabelsExportParams {
  format: 'csv' | 'json' | 'folders';
  out: string;
  inferred?: boolean;
  /** Replace an existing file (csv/json) or write into a non-empty folder (folders). */
  overwrite?: boolean;
}

/** Never overwrite silently: an existing file, or a folder with anything in it, needs `overwrite`. */
async function refuseExisting(out: string, format: LabelsExportParams['format']): Promise<void> {
  const info = await stat(out).catch(() => null);
  if (!info) return;
  if (format === 'folders') {
    if (!info.isDirectory()) throw new ContractError('CONFLICT', `${out} exists and is not a folder: choose another place to export to.`);
    if ((await readdir(out)).length === 0) return;
    throw new ContractError('CONFLICT', `The folder ${out} is not empty: choose an empty or new folder, or confirm overwriting (overwrite: true; --force in the CLI) to copy into it.`);
  }
  if (info.isDirectory()) throw new ContractError('CONFLICT', `${out} is a folder: give a file name to export to.`);
  throw new ContractError('CONFLICT', `${out} already exists: choose another file name, or confirm replacing it (overwrite: true; --force in the CLI).`);
}

/** A class name as a folder name: path separators and other unsafe characters replaced. */
export function safeFolderName(name: string): string {
  const cleaned = name.replace(/[/\\:*?"<>|\x00-\x1f]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

interface Row {
  id: string;
  source: string;
  rel: string;
  classId: string;
  className: string;
  /** A LabelSource, or 'inferred' for a prediction of the S⁴L stage. */
  labelSource: string;
  /** The prediction's confidence (max probability) for inferred rows. */
  confidence?: number;
}

/** Labeled images; with `inferred`, unlabeled images get the last infer.run prediction. */
function labeledRows(project: Project, inferred: Map<string, { classId: string; confidence?: number }> | null): Row[] {
  const names = new Map(project.classes().map((c) => [c.id, c.name]));
  const rows: Row[] = [];
  for (const img of project.index.list()) {
    const label = project.labelOf(img.id);
    const predicted = !label ? inferred?.get(img.id) : undefined;
    const classId = label?.classId ?? predicted?.classId;
    if (!classId || !names.has(classId)) continue;
    rows.push({ id: img.id, source: img.source, rel: img.rel, classId, className: names.get(classId)!, labelSource: label?.source ?? 'inferred', ...(typeof predicted?.confidence === 'number' ? { confidence: predicted.confidence } : {}) });
  }
  return rows;
}

/** Predictions of the last infer.run (loaded lazily: the pipeline module is heavy). */
async function inferredLabels(project: Project): Promise<Map<string, { classId: string; confidence?: number }>> {
  const { readInfer } = await import('../pipeline/infer-stage');
  const file = readInfer(project.dir);
  if (!file) throw new ContractError('STAGE_MISSING', 'No inferred labels yet: run label inference first');
  const out = new Map<string, { classId: string; confidence?: number }>();
  file.ids.forEach((id, i) => {
    const c = file.predicted[i];
    if (c) out.set(id, { classId: c, confidence: file.confidence?.[i] });
  });
  return out;
}

export async function exportLabels(project: Project, params: LabelsExportParams): Promise<{ written: number; out: string }> {
  const out = resolve(params.out);
  if (!params.overwrite) await refuseExisting(out, params.format);
  const rows = labeledRows(project, params.inferred ? await inferredLabels(project) : null);
  let written = rows.length;
  if (params.format === 'csv') {
    const text = [csvLine(['path', 'label']), ...rows.map((r) => csvLine([r.source, r.className]))].join('\n');
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, `${text}\n`);
  } else if (params.format === 'json') {
    const doc = {
      project: project.name,
      exportedAt: new Date().toISOString(),
      classes: project.classes(),
      labels: rows.map((r) => ({ id: r.id, path: r.source, rel: r.rel, label: r.className, classId: r.classId, source: r.labelSource, ...(r.confidence !== undefined ? { confidence: r.confidence } : {}) })),
    };
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, `${JSON.stringify(doc, null, 2)}\n`);
  } else {
    written = await exportFolders(project, rows, out);
  }
  return { written, out };
}

/** Copies each labeled image into out/<class>/; missing source files are skipped. Returns files copied. */
async function exportFolders(project: Project, rows: Row[], out: string): Promise<number> {
  const used = new Set<string>();
  for (const r of rows) {
    const img = project.index.get(r.id)!;
    if (img.status === 'missing') continue;
    const dir = join(out, safeFolderName(r.className));
    let target = join(dir, img.name);
    if (used.has(target)) target = join(dir, `${img.id.slice(0, 8)}-${img.name}`); // same file name in two source folders
    used.add(target);
    await mkdir(dir, { recursive: true });
    await copyFile(img.source, target);
  }
  return used.size;
}
