import { describe, expect, it } from 'vitest';
import { cellRect, gridLayout, rubberBandHits, scrollToReveal, visibleRange } from '../../../../renderer/src/lib/gallery/virtual-grid';

describe('gridLayout', () => {
  it('fits as many fixed cells per row as the width allows (gaps between, padding outside)', () => {
    // 4 cells of 100 + 3 gaps of 10 = 430; plus 2×10 padding = 450
    expect(gridLayout({ width: 450, cell: 100, gap: 10, count: 10, padding: 10 }).columns).toBe(4);
    expect(gridLayout({ width: 449, cell: 100, gap: 10, count: 10, padding: 10 }).columns).toBe(3);
  });

  it('always has at least one column and computes rows and total height', () => {
    const l = gridLayout({ width: 20, cell: 100, gap: 10, count: 3 });
    expect(l.columns).toBe(1);
    expect(l.rows).toBe(3);
    expect(l.totalHeight).toBe(3 * 110 - 10);
    expect(gridLayout({ width: 500, cell: 100, gap: 10, count: 0 }).totalHeight).toBe(0);
  });
});

describe('visibleRange', () => {
  const layout = gridLayout({ width: 1000, cell: 90, gap: 10, count: 20_000 }); // 10 columns, rows of 100 px

  it('covers only the rows that intersect the viewport, plus overscan', () => {
    expect(layout.columns).toBe(10);
    const r = visibleRange(layout, 0, 500, 0);
    expect(r).toEqual({ firstRow: 0, lastRow: 4, start: 0, end: 50 });
    const s = visibleRange(layout, 1050, 500, 1);
    // rows 10..15 visible (1050..1549) → 9..16 with overscan 1
    expect(s.firstRow).toBe(9);
    expect(s.lastRow).toBe(16);
    expect(s.start).toBe(90);
    expect(s.end).toBe(170);
  });

  it('keeps the DOM small at 20,000 images whatever the scroll position', () => {
    for (const top of [0, 123_456, layout.totalHeight - 800]) {
      const r = visibleRange(layout, top, 800, 2);
      expect(r.end - r.start).toBeLessThanOrEqual(10 * (8 + 1 + 4));
    }
  });

  it('clamps at the end and handles an empty grid', () => {
    const r = visibleRange(layout, layout.totalHeight + 5000, 800, 2);
    expect(r.lastRow).toBe(layout.rows - 1);
    expect(r.end).toBe(20_000);
    const empty = visibleRange(gridLayout({ width: 500, cell: 90, gap: 10, count: 0 }), 0, 500);
    expect(empty.end - empty.start).toBe(0);
  });

  it('ends at the item count on a partial last row', () => {
    const l = gridLayout({ width: 1000, cell: 90, gap: 10, count: 23 });
    expect(visibleRange(l, 0, 1000, 0).end).toBe(23);
  });
});

describe('scrollToReveal', () => {
  const layout = gridLayout({ width: 1000, cell: 90, gap: 10, count: 1000, padding: 12 });

  it('leaves the scroll alone when the cell is visible', () => {
    expect(scrollToReveal(layout, 5, 0, 500)).toBe(0);
  });

  it('scrolls down just enough to show a cell below, and up to show one above', () => {
    const r = cellRect(layout, 55); // row 5
    const down = scrollToReveal(layout, 55, 0, 300);
    expect(down).toBe(r.y + r.h + 12 - 300);
    expect(scrollToReveal(layout, 0, 400, 300)).toBe(0);
  });
});

describe('rubberBandHits', () => {
  const layout = gridLayout({ width: 1000, cell: 90, gap: 10, count: 25 }); // 10 columns

  it('selects the cells a band touches, in either drag direction', () => {
    const band = { x: 50, y: 50, w: 150, h: 100 }; // cols 0..2, rows 0..1
    expect(rubberBandHits(layout, band)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(rubberBandHits(layout, { x: 200, y: 150, w: -150, h: -100 })).toEqual([0, 1, 2, 10, 11, 12]);
  });

  it('a zero-size band is a point hit test; gaps and empty slots hit nothing', () => {
    expect(rubberBandHits(layout, { x: 145, y: 145, w: 0, h: 0 })).toEqual([11]);
    expect(rubberBandHits(layout, { x: 95, y: 20, w: 0, h: 0 })).toEqual([]); // in the gap
    expect(rubberBandHits(layout, { x: 950, y: 250, w: 0, h: 0 })).toEqual([]); // past item 24
  });
});
