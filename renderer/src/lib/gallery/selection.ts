// Multi-select semantics of the gallery, by image id over the current view order (pure: no DOM).
// Matches file managers: click selects one; Ctrl/Cmd+click toggles; Shift+click selects the range
// from the anchor; Shift+arrows extend from the anchor; the rubber band replaces (or adds with Ctrl).

export interface Selection {
  focus: string | null;
  anchor: string | null;
  selected: ReadonlySet<string>;
}

export const emptySelection: Selection = { focus: null, anchor: null, selected: new Set() };

function range(order: readonly string[], a: number, b: number): Set<string> {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return new Set(order.slice(lo, hi + 1));
}

export function clickSelect(
  sel: Selection,
  order: readonly string[],
  id: string,
  mods: { shift?: boolean; toggle?: boolean },
): Selection {
  const index = order.indexOf(id);
  if (index < 0) return sel;
  if (mods.shift) {
    const anchorIndex = sel.anchor ? order.indexOf(sel.anchor) : -1;
    const from = anchorIndex >= 0 ? anchorIndex : index;
    const rangeIds = range(order, from, index);
    const selected = mods.toggle ? new Set([...sel.selected, ...rangeIds]) : rangeIds;
    return { focus: id, anchor: order[from] ?? id, selected };
  }
  if (mods.toggle) {
    const selected = new Set(sel.selected);
    // The focused image counts as implicitly selected: Ctrl+click on another keeps it in the set,
    // Ctrl+click on the focused one itself deselects it.
    if (selected.size === 0 && sel.focus) selected.add(sel.focus);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { focus: id, anchor: id, selected };
  }
  return { focus: id, anchor: id, selected: new Set() };
}

/** Arrow-key navigation: move focus by `delta` items; with `extend` the range grows from the anchor. */
export function moveFocus(sel: Selection, order: readonly string[], delta: number, extend: boolean): Selection {
  if (order.length === 0) return emptySelection;
  const current = sel.focus ? order.indexOf(sel.focus) : -1;
  const next = current < 0 ? 0 : Math.max(0, Math.min(order.length - 1, current + delta));
  const id = order[next]!;
  if (!extend) return { focus: id, anchor: id, selected: new Set() };
  const anchorId = sel.anchor && order.includes(sel.anchor) ? sel.anchor : (order[Math.max(0, current)] ?? id);
  return { focus: id, anchor: anchorId, selected: range(order, order.indexOf(anchorId), next) };
}

export function bandSelect(sel: Selection, order: readonly string[], hitIndices: readonly number[], additive: boolean, base?: ReadonlySet<string>): Selection {
  const hits = hitIndices.map((i) => order[i]).filter((id): id is string => id !== undefined);
  const selected = new Set(additive ? (base ?? sel.selected) : []);
  for (const id of hits) selected.add(id);
  const focus = hits.length ? hits[hits.length - 1]! : sel.focus;
  return { focus, anchor: hits[0] ?? sel.anchor, selected };
}

/** The images an action applies to: the multi-selection when there is one, else the focused image. */
export function targets(sel: Selection, order: readonly string[]): string[] {
  if (sel.selected.size > 0) return order.filter((id) => sel.selected.has(id));
  return sel.focus && order.includes(sel.focus) ? [sel.focus] : [];
}

/** Drop ids that are no longer visible (filter changed) so actions never hit hidden images. */
export function pruneSelection(sel: Selection, visible: ReadonlySet<string>): Selection {
  const selected = new Set([...sel.selected].filter((id) => visible.has(id)));
  const focus = sel.focus && visible.has(sel.focus) ? sel.focus : null;
  const anchor = sel.anchor && visible.has(sel.anchor) ? sel.anchor : focus;
  if (selected.size === sel.selected.size && focus === sel.focus && anchor === sel.anchor) return sel;
  return { focus, anchor, selected };
}
