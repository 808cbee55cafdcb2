// Turns gallery actions (from the keymap or toolbar) into state changes and backend requests.
// Kept out of the component so the Svelte file only wires events.
import type { GalleryAction } from '../gallery/keymap';
import { moveFocus, targets } from '../gallery/selection';
import { app, classes, gallery, labels, labelUi } from './stores';

export interface GridGeometry {
  columns: number;
  pageRows: number;
}

function moveDelta(delta: Extract<GalleryAction, { type: 'move' }>['delta'], g: GridGeometry): number {
  switch (delta) {
    case 'left':
      return -1;
    case 'right':
      return 1;
    case 'up':
      return -g.columns;
    case 'down':
      return g.columns;
    case 'pageUp':
      return -g.columns * Math.max(1, g.pageRows);
    case 'pageDown':
      return g.columns * Math.max(1, g.pageRows);
    case 'home':
      return -Number.MAX_SAFE_INTEGER;
    case 'end':
      return Number.MAX_SAFE_INTEGER;
  }
}

/** Label the current targets with the class on digit key `digit` (classes.keys decides which). */
export function labelWithClass(digit: string): void {
  const classId = classes.keys.classFor(digit);
  if (classId === null) {
    app.notify('info', classes.keys.missing(digit));
    return;
  }
  const ids = targets(gallery.selection, gallery.order);
  void labels.set(ids, classId, { advance: gallery.autoAdvance && ids.length === 1 });
}

export function toggleExclude(): void {
  const ids = targets(gallery.selection, gallery.order);
  if (ids.length === 0) return;
  const byId = new Map(gallery.view.map((i) => [i.id, i]));
  const allExcluded = ids.every((id) => byId.get(id)?.excluded);
  void labels.exclude(ids, !allExcluded);
}

/** Returns true when the action was handled (the caller then prevents the browser default). */
export function runGalleryAction(action: GalleryAction, geometry: GridGeometry): boolean {
  switch (action.type) {
    case 'label':
      labelWithClass(action.digit);
      return true;
    case 'clear':
      void labels.set(targets(gallery.selection, gallery.order), null);
      return true;
    case 'move':
      gallery.select(moveFocus(gallery.selection, gallery.order, moveDelta(action.delta, geometry), action.extend));
      return true;
    case 'undo':
      void labels.undo();
      return true;
    case 'redo':
      void labels.redo();
      return true;
    case 'exclude':
      toggleExclude();
      return true;
    case 'preview':
      if (gallery.selection.focus || labelUi.previewOpen) labelUi.previewOpen = !labelUi.previewOpen;
      return true;
    case 'help':
      labelUi.helpOpen = true;
      return true;
    case 'selectAll': {
      const order = gallery.order;
      gallery.select({ focus: gallery.selection.focus ?? order[0] ?? null, anchor: order[0] ?? null, selected: new Set(order) });
      return true;
    }
    case 'escape':
      if (labelUi.previewOpen) labelUi.previewOpen = false;
      else if (gallery.selection.selected.size > 0) gallery.select({ ...gallery.selection, selected: new Set() });
      else return false;
      return true;
  }
}

/** Keys typed into a field belong to the field, never to the gallery. */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button';
}
