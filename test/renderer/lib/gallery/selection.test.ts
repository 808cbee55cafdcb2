import { describe, expect, it } from 'vitest';
import { bandSelect, clickSelect, emptySelection, moveFocus, pruneSelection, targets, type Selection } from '../../../../renderer/src/lib/gallery/selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const sorted = (s: Selection) => [...s.selected].sort();

describe('clickSelect', () => {
  it('a plain click focuses one image and clears the multi-selection', () => {
    const s = clickSelect({ focus: 'a', anchor: 'a', selected: new Set(['a', 'b']) }, order, 'c', {});
    expect(s).toEqual({ focus: 'c', anchor: 'c', selected: new Set() });
  });

  it('shift+click selects the range from the anchor, in either direction', () => {
    const start = clickSelect(emptySelection, order, 'b', {});
    expect(sorted(clickSelect(start, order, 'e', { shift: true }))).toEqual(['b', 'c', 'd', 'e']);
    const back = clickSelect(clickSelect(emptySelection, order, 'e', {}), order, 'b', { shift: true });
    expect(sorted(back)).toEqual(['b', 'c', 'd', 'e']);
    expect(back.anchor).toBe('e');
  });

  it('ctrl+click toggles and includes the focused image when starting a set', () => {
    let s = clickSelect(emptySelection, order, 'a', {});
    s = clickSelect(s, order, 'c', { toggle: true });
    expect(sorted(s)).toEqual(['a', 'c']);
    s = clickSelect(s, order, 'a', { toggle: true });
    expect(sorted(s)).toEqual(['c']);
    // Ctrl+click on the focused image with nothing else selected deselects it.
    expect(sorted(clickSelect(clickSelect(emptySelection, order, 'b', {}), order, 'b', { toggle: true }))).toEqual([]);
  });

  it('ctrl+shift+click adds a range to the existing selection', () => {
    let s = clickSelect(emptySelection, order, 'b', {});
    s = clickSelect(s, order, 'f', { toggle: true });
    s = clickSelect(s, order, 'd', { shift: true, toggle: true });
    expect(sorted(s)).toEqual(['b', 'd', 'e', 'f']);
  });
});

describe('moveFocus', () => {
  it('moves and clamps; starts at the first image when nothing is focused', () => {
    expect(moveFocus(emptySelection, order, 1, false).focus).toBe('a');
    expect(moveFocus({ focus: 'b', anchor: 'b', selected: new Set() }, order, 2, false).focus).toBe('d');
    expect(moveFocus({ focus: 'b', anchor: 'b', selected: new Set() }, order, -10, false).focus).toBe('a');
    expect(moveFocus({ focus: 'e', anchor: 'e', selected: new Set() }, order, Number.MAX_SAFE_INTEGER, false).focus).toBe('f');
  });

  it('shift+arrows extend from the anchor and can shrink back', () => {
    let s: Selection = { focus: 'c', anchor: 'c', selected: new Set() };
    s = moveFocus(s, order, 1, true);
    s = moveFocus(s, order, 1, true);
    expect(sorted(s)).toEqual(['c', 'd', 'e']);
    s = moveFocus(s, order, -3, true);
    expect(sorted(s)).toEqual(['b', 'c']);
    expect(s.anchor).toBe('c');
  });
});

describe('bandSelect / targets / prune', () => {
  it('a band replaces the selection, or adds to the base with ctrl', () => {
    const base: Selection = { focus: 'a', anchor: 'a', selected: new Set(['a']) };
    expect(sorted(bandSelect(base, order, [2, 3], false))).toEqual(['c', 'd']);
    expect(sorted(bandSelect(base, order, [2, 3], true, base.selected))).toEqual(['a', 'c', 'd']);
  });

  it('targets are the selection in view order, else the focused image', () => {
    expect(targets({ focus: 'a', anchor: 'a', selected: new Set(['e', 'b']) }, order)).toEqual(['b', 'e']);
    expect(targets({ focus: 'c', anchor: 'c', selected: new Set() }, order)).toEqual(['c']);
    expect(targets({ focus: 'zz', anchor: null, selected: new Set() }, order)).toEqual([]);
  });

  it('pruning drops hidden ids and returns the same object when nothing changed', () => {
    const s: Selection = { focus: 'a', anchor: 'a', selected: new Set(['a', 'b']) };
    expect(pruneSelection(s, new Set(order))).toBe(s);
    const p = pruneSelection(s, new Set(['b', 'c']));
    expect(p.focus).toBeNull();
    expect([...p.selected]).toEqual(['b']);
  });
});
