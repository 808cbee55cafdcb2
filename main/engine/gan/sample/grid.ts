// PNG grids of generated images: rows = classes, columns = fixed latents (sharp encodes; no canvas).
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';

const GAP = 2;
const MIN_CELL = 64; // small images are enlarged (nearest) so a grid is legible at a glance

/** images [rows·cols, h, w, c] in [-1, 1], row-major → PNG bytes. */
export async function gridPng(images: tf.Tensor4D, rows: number, cols: number): Promise<Buffer> {
  const [n, h, w, c] = images.shape;
  if (n !== rows * cols) throw new Error(`grid of ${rows}×${cols} needs ${rows * cols} images, got ${n}`);
  const scale = Math.max(1, Math.ceil(MIN_CELL / Math.max(h, w)));
  const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(images, 1), 127.5)), 0, 255));
  const pixels = await bytes.data();
  bytes.dispose();
  const cellH = h * scale;
  const cellW = w * scale;
  const width = cols * cellW + (cols + 1) * GAP;
  const height = rows * cellH + (rows + 1) * GAP;
  const out = Buffer.alloc(width * height * c, 255);
  for (let i = 0; i < n; i++) {
    const top = GAP + Math.floor(i / cols) * (cellH + GAP);
    const left = GAP + (i % cols) * (cellW + GAP);
    for (let y = 0; y < cellH; y++) {
      for (let x = 0; x < cellW; x++) {
        const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = ((top + y) * width + left + x) * c;
        for (let k = 0; k < c; k++) out[dst + k] = pixels[src + k]!;
      }
    }
  }
  return sharp(out, { raw: { width, height, channels: c as 1 | 3 } }).png().toBuffer();
}
