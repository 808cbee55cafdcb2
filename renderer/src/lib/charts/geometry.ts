// Pure helpers of the 2-D feature map: fitting points into a canvas, hit testing, lasso selection.

export interface Pt {
  x: number;
  y: number;
}

export interface MapPoint extends Pt {
  id: string;
  color: string;
}

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export function bounds(points: readonly Pt[]): Bounds {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  if (!Number.isFinite(minX)) return { minX: 0, maxX: 1, minY: 0, maxY: 1 };
  return { minX, maxX, minY, maxY };
}

/** Maps data coordinates into a width × height box with `pad` pixels of margin; y grows downwards. */
export function fitter(b: Bounds, width: number, height: number, pad = 12): (p: Pt) => Pt {
  const sx = (width - 2 * pad) / Math.max(1e-9, b.maxX - b.minX);
  const sy = (height - 2 * pad) / Math.max(1e-9, b.maxY - b.minY);
  return (p) => ({ x: pad + (p.x - b.minX) * sx, y: height - pad - (p.y - b.minY) * sy });
}

/** Index of the screen point nearest to `at` within `radius` pixels, or -1. */
export function nearest(points: readonly Pt[], at: Pt, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  points.forEach((p, i) => {
    const d = (p.x - at.x) ** 2 + (p.y - at.y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Even-odd rule point-in-polygon (the polygon is closed implicitly). */
export function insidePolygon(p: Pt, poly: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Indices of points inside the lasso (fewer than 3 vertices selects nothing). */
export function lassoSelect(points: readonly Pt[], lasso: readonly Pt[]): number[] {
  if (lasso.length < 3) return [];
  const out: number[] = [];
  points.forEach((p, i) => {
    if (insidePolygon(p, lasso)) out.push(i);
  });
  return out;
}

/** A distinct colour per cluster index (golden-angle hues), readable on light and dark. */
export function clusterColor(i: number): string {
  const hue = Math.round((i * 137.508) % 360);
  return `hsl(${hue} 62% 52%)`;
}
