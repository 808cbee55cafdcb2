// Renders resources/icon.png (512×512) from an inline SVG with sharp: a 2×2 grid of generated
// "samples" in four class colours, the app's idea in one picture. Run: node scripts/make-icon.js
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = fileURLToPath(new URL('../resources/icon.png', import.meta.url));
const colours = ['#e4572e', '#17bebb', '#ffc914', '#76b041'];
const tiles = colours
  .map((c, i) => {
    const x = 96 + (i % 2) * 168;
    const y = 96 + Math.floor(i / 2) * 168;
    return `<rect x="${x}" y="${y}" width="152" height="152" rx="28" fill="${c}"/>` +
      `<circle cx="${x + 76}" cy="${y + 76}" r="${30 + i * 8}" fill="#ffffff" fill-opacity="0.35"/>`;
  })
  .join('');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="96" fill="#1d2330"/>${tiles}</svg>`;

mkdirSync(fileURLToPath(new URL('../resources', import.meta.url)), { recursive: true });
await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(out);
console.log(`wrote ${out}`);
