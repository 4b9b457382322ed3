/** The dashboard's two charts, drawn as SVG by hand: the skills heat map and a trainee's progress. */
import type { AttemptSummary, ReportAnswer } from '../server/schemas';
import { s } from './dom';
import { pick, type Lang } from './i18n';

/** Okabe–Ito: told apart with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#999933'];

/** Red (weak) through amber to green (strong). */
export function heatColour(percent: number): string {
  const p = Math.max(0, Math.min(100, percent)) / 100;
  const stops = [
    [0, [198, 40, 40]],
    [0.5, [249, 168, 37]],
    [1, [46, 125, 50]],
  ] as const;
  const i = p <= 0.5 ? 0 : 1;
  const [p0, c0] = stops[i]!;
  const [p1, c1] = stops[i + 1]!;
  const t = (p - p0) / (p1 - p0);
  const mix = c0.map((v, k) => Math.round(v + (c1[k]! - v) * t));
  return `rgb(${mix.join(',')})`;
}

function ellipsis(text: string, max: number): string {
  return [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
}

export function heatMap(report: ReportAnswer, lang: Lang, onTrainee: (id: number) => void): SVGSVGElement {
  const label = 170;
  const cellW = 78;
  const cellH = 30;
  const top = 44;
  const dims = report.dimensions;
  const width = label + dims.length * cellW + 4;
  const height = top + report.trainees.length * cellH + 4;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'heat-map' });
  svg.append(s('title', {}, 'Heat map: trainees × skills'));
  dims.forEach((d, col) => {
    svg.append(s('text', { x: label + col * cellW + cellW / 2, y: top - 12, 'text-anchor': 'middle', class: 'heat-head' }, pick(d.name, lang, d.id)));
  });
  const byKey = new Map(report.heat.map((x) => [`${x.traineeId}:${x.dimension}`, x]));
  report.trainees.forEach((trainee, row) => {
    const y = top + row * cellH;
    const name = s('text', { x: label - 10, y: y + cellH / 2 + 5, 'text-anchor': 'end', class: 'heat-name', tabindex: 0, role: 'button' }, ellipsis(trainee.name, 16));
    name.append(s('title', {}, trainee.name));
    name.addEventListener('click', () => onTrainee(trainee.id));
    name.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') onTrainee(trainee.id);
    });
    svg.append(name);
    dims.forEach((d, col) => {
      const x = label + col * cellW;
      const cell = byKey.get(`${trainee.id}:${d.id}`);
      const g = s('g', { class: 'heat-cell' });
      g.append(s('rect', { x: x + 1, y: y + 1, width: cellW - 2, height: cellH - 2, rx: 3, fill: cell ? heatColour(cell.percent) : '#eceff1' }));
      g.append(s('text', { x: x + cellW / 2, y: y + cellH / 2 + 5, 'text-anchor': 'middle', fill: cell ? '#fff' : '#90a4ae', class: 'heat-value' }, cell ? `${Math.round(cell.percent)}` : '–'));
      g.append(s('title', {}, `${trainee.name} · ${pick(d.name, lang, d.id)}: ${cell ? `${cell.percent}% (${cell.calls})` : '—'}`));
      svg.append(g);
    });
  });
  return svg;
}

export interface Series {
  scenarioId: string;
  title: string;
  colour: string;
  attempts: AttemptSummary[];
}

export function progressChart(series: readonly Series[], onAttempt: (id: string) => void): SVGSVGElement {
  const width = 660;
  const height = 280;
  const m = { left: 44, right: 16, top: 14, bottom: 36 };
  const n = Math.max(2, ...series.map((x) => x.attempts.length));
  const x = (i: number) => m.left + ((width - m.left - m.right) * i) / (n - 1);
  const y = (v: number) => m.top + ((height - m.top - m.bottom) * (100 - v)) / 100;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'progress-chart' });
  svg.append(s('title', {}, 'Score over attempts, one line per caller'));
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(s('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('text', { x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, `${v}`));
  }
  const step = Math.ceil(n / 12);
  for (let i = 0; i < n; i += step) svg.append(s('text', { x: x(i), y: height - m.bottom + 18, 'text-anchor': 'middle', class: 'axis' }, `${i + 1}`));
  svg.append(s('text', { x: width - m.right, y: height - 4, 'text-anchor': 'end', class: 'axis' }, 'attempt →'));
  for (const line of series) {
    const points = line.attempts.map((a, i) => `${x(i)},${y(a.total)}`).join(' ');
    svg.append(s('polyline', { points, fill: 'none', stroke: line.colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round' }));
    line.attempts.forEach((a, i) => {
      const dot = s('circle', {
        cx: x(i),
        cy: y(a.total),
        r: 5.5,
        fill: a.passed ? line.colour : '#fff',
        stroke: line.colour,
        'stroke-width': 2.5,
        class: 'dot',
        tabindex: 0,
        role: 'button',
      });
      dot.append(s('title', {}, `${line.title} #${i + 1}: ${a.total}% · ${new Date(a.startedAt).toLocaleString()}`));
      dot.addEventListener('click', () => onAttempt(a.id));
      dot.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') onAttempt(a.id);
      });
      svg.append(dot);
    });
  }
  return svg;
}
