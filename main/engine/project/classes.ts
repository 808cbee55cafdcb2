// Class operations. Classes live in the manifest; labels reference class ids, so merge/delete also
// rewrite labels (and truth) through the label log before the manifest changes: a crash in between
// leaves an empty class, never labels pointing at a class that is gone. Merge and delete are undo steps:
// the log entry keeps the class and where it stood, so undo restores class, labels and truth.
import { ContractError, type ClassDef } from '../../../shared/contract';
import type { ClassRelabelEntry } from './label-log';
import type { ClassStepHooks } from './label-store';
import type { Project } from './project';

/** Distinct, readable on dark and light backgrounds (Tableau 10 + extras). */
export const CLASS_PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#bab0ac', '#1f77b4', '#17becf', '#bcbd22', '#8c564b', '#d62728', '#2ca02c',
];

export function pickColor(used: string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return CLASS_PALETTE.find((c) => !taken.has(c)) ?? CLASS_PALETTE[used.length % CLASS_PALETTE.length]!;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function findClassByName(project: Project, name: string): ClassDef | undefined {
  return project.classes().find((c) => sameName(c.name, name));
}

export function addClass(project: Project, name: string, color?: string): Promise<ClassDef> {
  const trimmed = name.trim();
  if (!trimmed) throw new ContractError('INVALID_PAYLOAD', 'A class needs a name');
  return project.mutateManifest((m) => {
    if (m.classes.some((c) => sameName(c.name, trimmed))) throw new ContractError('CONFLICT', `A class named "${trimmed}" already exists`);
    const def: ClassDef = { id: `c${m.nextClassNumber}`, name: trimmed, color: color ?? pickColor(m.classes.map((c) => c.color)) };
    m.nextClassNumber += 1;
    m.classRevision += 1;
    m.classes.push(def);
    return { ...def };
  });
}

export function updateClass(project: Project, id: string, patch: { name?: string; color?: string }): Promise<ClassDef> {
  return project.mutateManifest((m) => {
    const def = m.classes.find((c) => c.id === id);
    if (!def) throw new ContractError('NOT_FOUND', `Unknown class id: ${id}`);
    if (patch.name !== undefined) {
      const name = patch.name.trim();
      if (m.classes.some((c) => c.id !== id && sameName(c.name, name))) throw new ContractError('CONFLICT', `A class named "${name}" already exists`);
      def.name = name;
    }
    if (patch.color !== undefined) def.color = patch.color;
    m.classRevision += 1;
    return { ...def };
  });
}

/** `ids` must list every class exactly once. */
export function reorderClasses(project: Project, ids: string[]): Promise<ClassDef[]> {
  return project.mutateManifest((m) => {
    const byId = new Map(m.classes.map((c) => [c.id, c]));
    if (ids.length !== m.classes.length || new Set(ids).size !== ids.length || ids.some((id) => !byId.has(id))) {
      throw new ContractError('INVALID_PAYLOAD', `Reorder must list each of the ${m.classes.length} class ids exactly once`);
    }
    m.classes = ids.map((id) => byId.get(id)!);
    m.classRevision += 1;
    return m.classes.map((c) => ({ ...c }));
  });
}

/** Labels, then truth, then the class list: the order a crash leaves harmless (an empty class at worst). */
async function removeClass(project: Project, from: string, into: string | null): Promise<{ count: number; ids: string[]; group: string | null }> {
  project.assertWritable();
  const at = project.classes().findIndex((c) => c.id === from);
  const def = { ...project.classes()[at]! };
  const truthIds = [...project.truth.snapshot()].filter(([, c]) => c === from).map(([id]) => id);
  const r = await project.labels.relabelClass(from, into, { def, at, truthIds });
  await project.truth.relabelClass(from, into);
  await dropFromManifest(project, from);
  return { count: r.applied, ids: r.ids, group: r.group };
}

function dropFromManifest(project: Project, id: string): Promise<void> {
  return project.mutateManifest((m) => {
    m.classes = m.classes.filter((c) => c.id !== id);
    m.classRevision += 1;
  });
}

/** Moves every label (and truth) of `from` to `into`, then removes `from`, as one undo step. */
export async function mergeClasses(project: Project, from: string, into: string): Promise<{ moved: number; ids: string[]; group: string | null }> {
  if (from === into) throw new ContractError('INVALID_PAYLOAD', 'Cannot merge a class into itself');
  for (const id of [from, into]) if (!project.classById(id)) throw new ContractError('NOT_FOUND', `Unknown class id: ${id}`);
  const r = await removeClass(project, from, into);
  return { moved: r.count, ids: r.ids, group: r.group };
}

/** Removes a class (one undo step); its images go back to unlabeled. */
export async function deleteClass(project: Project, id: string): Promise<{ unlabeled: number; ids: string[]; group: string | null }> {
  if (!project.classById(id)) throw new ContractError('NOT_FOUND', `Unknown class id: ${id}`);
  const r = await removeClass(project, id, null);
  return { unlabeled: r.count, ids: r.ids, group: r.group };
}

/** A free name for a restored class: its own, unless a class added since took it. */
function freeName(taken: ClassDef[], name: string): string {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${name} (${i})`;
    if (!taken.some((c) => sameName(c.name, candidate))) return candidate;
  }
}

/** What undo/redo of a merge/delete does to the class list and truth (labels are the log's part). */
export function classStepHooks(project: Project): ClassStepHooks {
  const truthMove = async (e: ClassRelabelEntry, a: string | null, b: string | null) => {
    const moves = (e.truthIds ?? []).filter((id) => (project.truth.get(id) ?? null) === a).map((id): [string, string | null] => [id, b]);
    if (moves.length > 0) await project.truth.setMany(moves);
  };
  return {
    async beforeUndo(e) {
      await project.mutateManifest((m) => {
        if (!e.def || m.classes.some((c) => c.id === e.from)) return; // already back (a crash after this step)
        m.classes.splice(Math.min(e.at ?? m.classes.length, m.classes.length), 0, { ...e.def, name: freeName(m.classes, e.def.name) });
        m.classRevision += 1;
      });
      await truthMove(e, e.into, e.from);
    },
    async afterRedo(e) {
      await truthMove(e, e.from, e.into);
      await dropFromManifest(project, e.from);
    },
  };
}
