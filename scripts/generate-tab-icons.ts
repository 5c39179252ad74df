// Draws the five tab-bar icons (81x81 PNG, grey and bank red) from simple shapes, so the
// mini-program ships small, crisp icons without a design tool. Run: tsx scripts/generate-tab-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng } from './lib/png';

type Shape = (x: number, y: number) => number; // signed distance: < 0 inside

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;
const box =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) => {
    const dx = Math.max(x0 - x, x - x1);
    const dy = Math.max(y0 - y, y - y1);
    return dx > 0 && dy > 0 ? Math.hypot(dx, dy) : Math.max(dx, dy);
  };
const ring =
  (s: Shape, width: number): Shape =>
  (x, y) =>
    Math.abs(s(x, y)) - width / 2;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    Math.max(a(x, y), -b(x, y));
const polygon =
  (pts: [number, number][]): Shape =>
  (x, y) => {
    // Distance to the edges, negative inside (even-odd rule).
    let d = Infinity;
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i];
      const [xj, yj] = pts[j];
      const ex = xj - xi;
      const ey = yj - yi;
      const t = Math.max(0, Math.min(1, ((x - xi) * ex + (y - yi) * ey) / (ex * ex + ey * ey)));
      d = Math.min(d, Math.hypot(x - xi - ex * t, y - yi - ey * t));
      if (yi > y !== yj > y && x < (ex * (y - yi)) / ey + xi) inside = !inside;
    }
    return inside ? -d : d;
  };

const STROKE = 5;
const ICONS: Record<string, Shape> = {
  home: union(
    ring(
      polygon([
        [40.5, 14],
        [66, 36],
        [66, 66],
        [15, 66],
        [15, 36],
      ]),
      STROKE,
    ),
    box(34, 46, 47, 66),
  ),
  mall: union(ring(box(17, 28, 64, 66), STROKE), minus(ring(circle(40.5, 28, 12), STROKE), box(0, 28, 81, 81))),
  activities: ring(
    polygon(
      Array.from({ length: 10 }, (_, i): [number, number] => {
        const r = i % 2 === 0 ? 28 : 12;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        return [40.5 + r * Math.cos(a), 43 + r * Math.sin(a)];
      }),
    ),
    STROKE,
  ),
  // 生活: a grid of four services.
  life: union(ring(box(16, 16, 36, 36), STROKE), ring(box(45, 16, 65, 36), STROKE), ring(box(16, 45, 36, 65), STROKE), ring(circle(55, 55, 10), STROKE)),
  me: union(ring(circle(40.5, 28, 12), STROKE), minus(ring(circle(40.5, 72, 26), STROKE), box(0, 68, 81, 81))),
};

function png(shape: Shape, [r, g, b]: [number, number, number]): Buffer {
  // One pixel of anti-aliasing along each edge.
  return encodePng(81, 81, 4, (x, y) => [r, g, b, Math.round(Math.max(0, Math.min(1, 0.5 - shape(x + 0.5, y + 0.5))) * 255)]);
}

const out = path.resolve(__dirname, '../miniprogram/src/assets');
mkdirSync(out, { recursive: true });
for (const [name, shape] of Object.entries(ICONS)) {
  writeFileSync(path.join(out, `tab-${name}.png`), png(shape, [122, 126, 135]));
  writeFileSync(path.join(out, `tab-${name}-on.png`), png(shape, [200, 21, 45]));
}
console.log(`wrote ${Object.keys(ICONS).length * 2} icons to ${out}`);
