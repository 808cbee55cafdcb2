// The project's classes, in class order, and which digit key labels each (gallery/class-keys.ts).
import type { ClassDef } from '../../../../shared/contract';
import { classKeys } from '../gallery/class-keys';
import type { Requests } from './requests';

/** Distinct, readable on light and dark backgrounds; cycled for new classes. */
export const palette = ['#e5484d', '#3e63dd', '#30a46c', '#f76b15', '#8e4ec6', '#12a594', '#d6409f', '#ad7f58', '#0090ff', '#978365'];

export class ClassesState {
  list = $state.raw<ClassDef[]>([]);
  byId = $derived(new Map(this.list.map((c) => [c.id, c])));
  /** Digit keys ↔ classes: by name when every class is named "0"–"9", else 1–9, 0 in class order. */
  keys = $derived(classKeys(this.list));

  constructor(private readonly api: Requests) {}

  set(list: ClassDef[]): void {
    this.list = list;
  }

  nextColor(): string {
    const used = new Set(this.list.map((c) => c.color.toLowerCase()));
    return palette.find((c) => !used.has(c)) ?? palette[this.list.length % palette.length]!;
  }

  async add(name: string): Promise<ClassDef> {
    const created = await this.api.request('classes.add', { name: name.trim(), color: this.nextColor() });
    // The classes.changed event will also arrive; adding here keeps the UI snappy and idempotent.
    if (!this.byId.has(created.id)) this.list = [...this.list, created];
    return created;
  }

  async rename(id: string, name: string): Promise<void> {
    this.#replace(await this.api.request('classes.update', { id, name: name.trim() }));
  }

  async recolor(id: string, color: string): Promise<void> {
    this.#replace(await this.api.request('classes.update', { id, color }));
  }

  /** Move a class one step up (-1) or down (+1) in key order. */
  async move(id: string, step: -1 | 1): Promise<void> {
    const ids = this.list.map((c) => c.id);
    const i = ids.indexOf(id);
    const j = i + step;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    this.list = (await this.api.request('classes.reorder', { ids })).classes;
  }

  async merge(from: string, into: string): Promise<number> {
    const r = await this.api.request('classes.merge', { from, into });
    this.list = this.list.filter((c) => c.id !== from);
    return r.moved;
  }

  async remove(id: string): Promise<number> {
    const r = await this.api.request('classes.delete', { id });
    this.list = this.list.filter((c) => c.id !== id);
    return r.unlabeled;
  }

  #replace(updated: ClassDef): void {
    this.list = this.list.map((c) => (c.id === updated.id ? updated : c));
  }
}
