// The usage chart: a bar per day for what was spent, and the balance at each day's end as a line
// over it on its own scale (for keys that have a balance).
import type { UsagePoint } from './api';
import { usd } from './format';

export interface ChartColors {
  bars: string;
  line: string;
  axis: string;
  text: string;
}

const PAD = { left: 64, right: 64, top: 16, bottom: 28 };

export function drawUsage(canvas: HTMLCanvasElement, points: UsagePoint[], c: ChartColors): void {
  const g = canvas.getContext('2d');
  if (!g || points.length === 0) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';

  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / points.length;
  const maxSpent = niceCeil(Math.max(...points.map((p) => p.consumed)));
  const balances = points.map((p) => p.balance).filter((b): b is number => b !== null);
  const maxBalance = niceCeil(Math.max(0, ...balances));
  const y = (v: number, max: number) => PAD.top + plotH - (max === 0 ? 0 : (v / max) * plotH);

  // Axes and their scales: spent on the left, balance on the right.
  g.strokeStyle = c.axis;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(PAD.left, PAD.top);
  g.lineTo(PAD.left, PAD.top + plotH);
  g.lineTo(PAD.left + plotW, PAD.top + plotH);
  g.stroke();
  g.fillStyle = c.text;
  g.textBaseline = 'middle';
  for (const f of [0, 0.5, 1]) {
    g.textAlign = 'right';
    g.fillText(usd(maxSpent * f), PAD.left - 6, y(maxSpent * f, maxSpent));
    if (balances.length) {
      g.textAlign = 'left';
      g.fillText(usd(maxBalance * f), PAD.left + plotW + 6, y(maxBalance * f, maxBalance));
    }
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  const labelEvery = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    if ((points.length - 1 - i) % labelEvery === 0) g.fillText(p.date.slice(5), PAD.left + slot * (i + 0.5), PAD.top + plotH + 6);
  });

  g.fillStyle = c.bars;
  points.forEach((p, i) => {
    if (p.consumed <= 0) return;
    const top = y(p.consumed, maxSpent);
    g.fillRect(PAD.left + slot * i + slot * 0.15, top, slot * 0.7, Math.max(1, PAD.top + plotH - top));
  });

  if (balances.length) {
    g.strokeStyle = c.line;
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => {
      const px = PAD.left + slot * (i + 0.5);
      const py = y(p.balance ?? 0, maxBalance);
      if (i === 0) g.moveTo(px, py);
      else g.lineTo(px, py);
    });
    g.stroke();
  }
}

/** A round number of units at or above `v`, for an axis's top (1, 2 or 5 times a power of ten). */
function niceCeil(v: number): number {
  if (v <= 0) return 0;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}
