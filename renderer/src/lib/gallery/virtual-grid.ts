// Virtualization math for the thumbnail grid: fixed-size square cells, so the layout is pure
// arithmetic and only the rows that intersect the viewport are rendered.

export interface GridLayout {
  columns: number;
  cell: number; // cell edge in px (thumbnail + caption area are inside)
  gap: number;
  rowHeight: number; // cell + gap
  rows: number;
  totalHeight: number;
  count: number;
  padding: number;
}

export function gridLayout(opts: { width: number; cell: number; gap: number; count: number; padding?: number }): GridLayout {
  const padding = opts.padding ?? 0;
  const usable = Math.max(0, opts.width - 2 * padding);
  const columns = Math.max(1, Math.floor((usable + opts.gap) / (opts.cell + opts.gap)));
  const rowHeight = opts.cell + opts.gap;
  const rows = Math.ceil(opts.count / columns);
  const totalHeight = rows === 0 ? 0 : rows * rowHeight - opts.gap + 2 * padding;
  return { columns, cell: opts.cell, gap: opts.gap, rowHeight, rows, totalHeight, count: opts.count, padding };
}

export interface VisibleRange {
  firstRow: number;
  lastRow: number; // inclusive
  start: number; // first item index
  end: number; // one past the last item index
}

/** Rows intersecting [scrollTop, scrollTop + viewport), widened by `overscan` rows each side. */
export function visibleRange(layout: GridLayout, scrollTop: number, viewport: number, overscan = 2): VisibleRange {
  if (layout.rows === 0) return { firstRow: 0, lastRow: -1, start: 0, end: 0 };
  const top = Math.max(0, scrollTop - layout.padding);
  const firstVisible = Math.floor(top / layout.rowHeight);
  const lastVisible = Math.floor((top + Math.max(0, viewport - 1)) / layout.rowHeight);
  const firstRow = Math.max(0, Math.min(layout.rows - 1, firstVisible - overscan));
  const lastRow = Math.max(firstRow, Math.min(layout.rows - 1, lastVisible + overscan));
  return {
    firstRow,
    lastRow,
    start: firstRow * layout.columns,
    end: Math.min(layout.count, (lastRow + 1) * layout.columns),
  };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function cellRect(layout: GridLayout, index: number): Rect {
  const row = Math.floor(index / layout.columns);
  const col = index % layout.columns;
  return {
    x: layout.padding + col * (layout.cell + layout.gap),
    y: layout.padding + row * layout.rowHeight,
    w: layout.cell,
    h: layout.cell,
  };
}

/** The scrollTop that brings item `index` fully into view (unchanged when it already is). */
export function scrollToReveal(layout: GridLayout, index: number, scrollTop: number, viewport: number): number {
  const r = cellRect(layout, index);
  if (r.y < scrollTop) return Math.max(0, r.y - layout.padding);
  if (r.y + r.h > scrollTop + viewport) return r.y + r.h + layout.padding - viewport;
  return scrollTop;
}

/** Item indices whose cells intersect a rubber-band rectangle (content coordinates). */
export function rubberBandHits(layout: GridLayout, band: Rect): number[] {
  const x0 = Math.min(band.x, band.x + band.w);
  const x1 = Math.max(band.x, band.x + band.w);
  const y0 = Math.min(band.y, band.y + band.h);
  const y1 = Math.max(band.y, band.y + band.h);
  if (layout.count === 0) return [];
  const step = layout.cell + layout.gap;
  // Row/column spans covered by the band; a point in a gap belongs to no cell.
  const firstRow = Math.max(0, Math.floor((y0 - layout.padding) / step));
  const lastRow = Math.min(layout.rows - 1, Math.floor((y1 - layout.padding) / step));
  const firstCol = Math.max(0, Math.floor((x0 - layout.padding) / step));
  const lastCol = Math.min(layout.columns - 1, Math.floor((x1 - layout.padding) / step));
  const hits: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) {
      const index = row * layout.columns + col;
      if (index >= layout.count) break;
      const r = cellRect(layout, index);
      if (r.x <= x1 && r.x + r.w >= x0 && r.y <= y1 && r.y + r.h >= y0) hits.push(index);
    }
  }
  return hits;
}
