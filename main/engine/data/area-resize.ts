// Area (box) resampling: each output pixel is the coverage-weighted mean of the source pixels under it.
// Unlike bilinear/lanczos at large factors this never aliases, which matters at 8–32 px training sizes.

/** Per output index, the source indices it covers and their weights (summing to 1). */
function coverage(srcSize: number, dstSize: number): Array<Array<[number, number]>> {
  const scale = srcSize / dstSize;
  const out: Array<Array<[number, number]>> = [];
  for (let o = 0; o < dstSize; o++) {
    const start = o * scale;
    const end = start + scale;
    const taps: Array<[number, number]> = [];
    for (let s = Math.floor(start); s < Math.min(srcSize, Math.ceil(end)); s++) {
      const w = Math.min(end, s + 1) - Math.max(start, s);
      if (w > 1e-9) taps.push([s, w / scale]);
    }
    out.push(taps);
  }
  return out;
}

/** Resizes an HWC uint8 image (separably: rows, then columns) with area weights. */
export function areaResize(src: Uint8Array, srcW: number, srcH: number, channels: number, dstW: number, dstH: number): Uint8Array {
  if (src.length !== srcW * srcH * channels) throw new Error(`areaResize: expected ${srcW * srcH * channels} bytes, got ${src.length}`);
  const xs = coverage(srcW, dstW);
  const ys = coverage(srcH, dstH);
  // Horizontal pass into float rows: srcH × dstW.
  const tmp = new Float32Array(srcH * dstW * channels);
  for (let y = 0; y < srcH; y++) {
    const rowIn = y * srcW * channels;
    const rowOut = y * dstW * channels;
    for (let x = 0; x < dstW; x++) {
      for (const [sx, w] of xs[x]!) {
        const si = rowIn + sx * channels;
        const di = rowOut + x * channels;
        for (let c = 0; c < channels; c++) tmp[di + c] += src[si + c]! * w;
      }
    }
  }
  const dst = new Uint8Array(dstH * dstW * channels);
  const acc = new Float32Array(dstW * channels);
  for (let y = 0; y < dstH; y++) {
    acc.fill(0);
    for (const [sy, w] of ys[y]!) {
      const row = sy * dstW * channels;
      for (let i = 0; i < acc.length; i++) acc[i] += tmp[row + i]! * w;
    }
    const out = y * dstW * channels;
    for (let i = 0; i < acc.length; i++) dst[out + i] = Math.min(255, Math.max(0, Math.round(acc[i]!)));
  }
  return dst;
}
