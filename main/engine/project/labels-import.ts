// labels.import: hand labels (or evaluation truth) from a CSV `path,label`, or from class folders.
//
// CSV: a path matches an image's absolute source path, or its path relative to the folder it was
// imported from (relative CSV paths are also tried against the CSV's own folder). Unknown paths and
// bad rows are reported, not fatal; a path listed twice keeps its last row (the earlier is reported).
// fromFolders: `file` names a folder; every project image under it is labeled with the name of the
// folder that directly contains it (the usual class-folder layout, and what labels.export
// --format folders writes). Images directly in that folder have no class and are reported as bad.
// Classes are created as needed; the whole import is one undo step (truth is not undoable).
// dryRun: nothing is written; the result says what would be (applied, created) and which images
// already carry another label (conflicts), so a UI can ask before applying.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ContractError } from '../../../shared/contract';
import { addClass, findClassByName } from './classes';
import { parseCsv } from './csv';
import type { ChangeResult } from './label-store';
import type { Project } from './project';

export interface LabelsImportParams {
  file: string;
  truth?: boolean;
  fromFolders?: boolean;
  dryRun?: boolean;
}

export interface LabelConflict {
  path: string;
  /** The image's current label (class name) and the one the file gives it. */
  current: string;
  incoming: string;
}

export interface LabelsImportResult extends ChangeResult {
  created: string[];
  unknown: string[];
  bad: Array<{ line: number; reason: string }>;
  conflicts: LabelConflict[];
}

interface Parsed {
  /** image id → [class name, line] in file order; later rows overwrite earlier ones. */
  assignments: Map<string, [string, number]>;
  unknown: string[];
  bad: Array<{ line: number; reason: string }>;
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function pathMatcher(project: Project, csvDir: string): (path: string) => string[] {
  const byRel = new Map<string, string[]>();
  for (const img of project.index.list()) {
    const list = byRel.get(img.rel) ?? [];
    list.push(img.id);
    byRel.set(img.rel, list);
  }
  return (raw) => {
    const path = raw.trim();
    const abs = isAbsolute(path) ? resolve(path) : resolve(csvDir, path);
    const bySource = project.index.idForSource(abs);
    if (bySource) return [bySource];
    return isAbsolute(path) ? [] : byRel.get(normalise(path)) ?? [];
  };
}

async function parseCsvFile(project: Project, file: string): Promise<Parsed> {
  const text = await readFile(file, 'utf8');
  const { rows, errors } = parseCsv(text);
  const bad = [...errors];
  const header = rows.shift();
  const cols = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const pathCol = cols.indexOf('path');
  const labelCol = cols.indexOf('label');
  if (!header || pathCol < 0 || labelCol < 0) {
    throw new ContractError('INVALID_PAYLOAD', `${file}: the first line must be the header "path,label"`);
  }
  const match = pathMatcher(project, dirname(file));
  const assignments = new Map<string, [string, number]>();
  const unknown: string[] = [];
  for (const { line, fields } of rows) {
    const path = fields[pathCol]?.trim() ?? '';
    const label = fields[labelCol]?.trim() ?? '';
    if (fields.length < 2 || !path) {
      bad.push({ line, reason: 'expected 2 fields: path,label' });
      continue;
    }
    if (!label) {
      bad.push({ line, reason: `empty label for ${path}` });
      continue;
    }
    const ids = match(path);
    if (ids.length === 0) {
      unknown.push(path);
      continue;
    }
    if (ids.length > 1) {
      bad.push({ line, reason: `ambiguous path ${path}: ${ids.length} images share it (use the absolute path)` });
      continue;
    }
    const earlier = assignments.get(ids[0]!);
    if (earlier) bad.push({ line: earlier[1], reason: `duplicate: ${path} is listed again on line ${line}; the last row wins` });
    assignments.delete(ids[0]!); // re-insert so file order reflects the winning row
    assignments.set(ids[0]!, [label, line]);
  }
  return { assignments, unknown, bad };
}

function fromFolderTree(project: Project, root: string): Parsed {
  const assignments = new Map<string, [string, number]>();
  const bad: Parsed['bad'] = [];
  for (const img of project.index.list()) {
    const rel = relative(root, img.source);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    if (!rel.includes(sep)) {
      bad.push({ line: 0, reason: `${img.source} is directly in ${root}, not in a class folder` });
      continue;
    }
    assignments.set(img.id, [basename(dirname(img.source)), 0]);
  }
  return { assignments, unknown: [], bad };
}

export async function importLabels(project: Project, params: LabelsImportParams): Promise<LabelsImportResult> {
  project.assertWritable();
  const file = resolve(params.file);
  const st = await stat(file).catch(() => null);
  if (!st) throw new ContractError('NOT_FOUND', `Not found: ${file}`);
  if (params.fromFolders && !st.isDirectory()) throw new ContractError('INVALID_PAYLOAD', `With fromFolders, ${file} must be a folder of class folders`);
  if (!params.fromFolders && !st.isFile()) throw new ContractError('INVALID_PAYLOAD', `${file} is not a CSV file`);
  const parsed = params.fromFolders ? fromFolderTree(project, file) : await parseCsvFile(project, file);

  if (params.dryRun) return { ...preview(project, parsed, params.truth === true), unknown: parsed.unknown, bad: parsed.bad };
  const created: string[] = [];
  const classIdOf = new Map<string, string>();
  for (const [name] of parsed.assignments.values()) {
    const key = name.toLowerCase();
    if (classIdOf.has(key)) continue;
    let def = findClassByName(project, name);
    if (!def) {
      def = await addClass(project, name);
      created.push(def.name);
    }
    classIdOf.set(key, def.id);
  }
  const pairs: Array<[string, string]> = [...parsed.assignments].map(([id, [name]]) => [id, classIdOf.get(name.toLowerCase())!]);
  let change: ChangeResult = { applied: 0, group: null, ids: [] };
  if (params.truth) {
    const applied = pairs.length > 0 ? await project.setTruth(pairs) : 0;
    change = { applied, group: null, ids: [] };
  } else if (pairs.length > 0) {
    change = await project.changeManyLabels(pairs, 'import');
  }
  return { ...change, created, unknown: parsed.unknown, bad: parsed.bad, conflicts: [] };
}

/** What an import would do: images whose label changes, classes it would create, labels it would replace. */
function preview(project: Project, parsed: Parsed, truth: boolean): ChangeResult & { created: string[]; conflicts: LabelConflict[] } {
  const names = new Map(project.classes().map((c) => [c.id, c.name]));
  const created = new Set<string>();
  const conflicts: LabelConflict[] = [];
  let applied = 0;
  for (const [id, [name]] of parsed.assignments) {
    if (!findClassByName(project, name) && ![...created].some((c) => c.toLowerCase() === name.toLowerCase())) created.add(name);
    const current = truth ? undefined : project.labelOf(id);
    const currentName = current ? names.get(current.classId) : undefined;
    if (currentName?.toLowerCase() === name.toLowerCase()) continue;
    applied++;
    if (currentName) conflicts.push({ path: project.index.get(id)?.source ?? id, current: currentName, incoming: name });
  }
  return { applied, group: null, ids: [], created: [...created], conflicts };
}
