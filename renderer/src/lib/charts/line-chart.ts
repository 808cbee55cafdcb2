// A small canvas line chart (losses, img/s, metrics over steps): pure scaling helpers + one draw call.

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

export interface ChartTheme {
  text: string;
  grid: string;
}

/** About `count` round tick values covering [min, max] (1, 2, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max - min < 1e-12) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function extent(series: readonly Series[]): { x0: number; x1: number; y0: number; y1: number } | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (!Number.isFinite(x0)) return null;
  if (x1 === x0) x1 = x0 + 1;
  if (y1 - y0 < 1e-12) {
    const pad = Math.abs(y0) * 0.1 || 1;
    y0 -= pad;
    y1 += pad;
  }
  return { x0, x1, y0, y1 };
}

/** Series of `keys` from metric rows (rows without the key are gaps, not zeros). */
export function seriesFrom(rows: readonly Record<string, number>[], keys: readonly { key: string; color: string; name?: string }[]): Series[] {
  return keys
    .map(({ key, color, name }) => ({ name: name ?? key, color, points: rows.filter((r) => typeof r[key] === 'number' && typeof r.step === 'number').map((r) => [r.step!, r[key]!] as [number, number]) }))
    .filter((s) => s.points.length > 0);
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1000) return `${(v / 1000).toFixed(a >= 10_000 ? 0 : 1)}k`;
  if (a >= 10 || Number.isInteger(v)) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

export function drawChart(ctx: CanvasRenderingContext2D, width: number, height: number, series: readonly Series[], theme: ChartTheme): void {
  ctx.clearRect(0, 0, width, height);
  const e = extent(series);
  if (!e) return;
  const left = 40;
  const right = 8;
  const top = 6;
  const bottom = 18;
  const w = Math.max(1, width - left - right);
  const h = Math.max(1, height - top - bottom);
  const sx = (x: number) => left + ((x - e.x0) / (e.x1 - e.x0)) * w;
  const sy = (y: number) => top + h - ((y - e.y0) / (e.y1 - e.y0)) * h;
  ctx.font = '10px ui-monospace, monospace';
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.text;
  ctx.strokeStyle = theme.grid;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(e.y0, e.y1)) {
    if (t < e.y0 || t > e.y1) continue;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(sy(t)) + 0.5);
    ctx.lineTo(left + w, Math.round(sy(t)) + 0.5);
    ctx.stroke();
    ctx.fillText(fmt(t), left - 4, sy(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(e.x0, e.x1).filter((t) => Number.isInteger(t))) {
    if (t < e.x0 || t > e.x1) continue;
    ctx.fillText(fmt(t), sx(t), top + h + 4);
  }
  ctx.lineWidth = 1.5;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(sx(x), sy(y)) : ctx.lineTo(sx(x), sy(y))));
    ctx.stroke();
    if (s.points.length === 1) {
      const [x, y] = s.points[0]!;
      ctx.fillStyle = s.color;
      ctx.fillRect(sx(x) - 2, sy(y) - 2, 4, 4);
    }
  }
}
