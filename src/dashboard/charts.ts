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

/** The heat map's cells: a skill's mean percent per trainee (by best, latest or average). */
export type HeatCells = ReportAnswer['heat'];

export function heatMap(report: ReportAnswer, heat: HeatCells, lang: Lang, label: string, onTrainee: (id: number) => void): SVGSVGElement {
  const nameW = 170;
  const cellW = 78;
  const cellH = 30;
  const top = 44;
  const dims = report.dimensions;
  const width = nameW + dims.length * cellW + 4;
  const height = top + report.trainees.length * cellH + 4;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': label, class: 'heat-map' });
  dims.forEach((d, col) => {
    svg.append(s('text', { x: nameW + col * cellW + cellW / 2, y: top - 12, 'text-anchor': 'middle', class: 'heat-head', 'aria-hidden': 'true' }, pick(d.name, lang, d.id)));
  });
  const byKey = new Map(heat.map((x) => [`${x.traineeId}:${x.dimension}`, x]));
  report.trainees.forEach((trainee, row) => {
    const y = top + row * cellH;
    const name = s('text', { x: nameW - 10, y: y + cellH / 2 + 5, 'text-anchor': 'end', class: 'heat-name', tabindex: 0, role: 'button', 'aria-label': trainee.name }, ellipsis(trainee.name, 16));
    name.append(s('title', {}, trainee.name));
    name.addEventListener('click', () => onTrainee(trainee.id));
    name.addEventListener('keydown', (e) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'Enter' || key === ' ') {
        e.preventDefault();
        onTrainee(trainee.id);
      }
    });
    svg.append(name);
    dims.forEach((d, col) => {
      const x = nameW + col * cellW;
      const cell = byKey.get(`${trainee.id}:${d.id}`);
      const g = s('g', { class: 'heat-cell', 'aria-hidden': 'true' });
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

export interface ProgressWords {
  label: string;
  axis: string;
  dot: (line: Series, attempt: AttemptSummary) => string;
}

/** Scores over time: one line per caller, dates along the x axis; a filled dot passed. */
export function progressChart(series: readonly Series[], lang: Lang, words: ProgressWords, onAttempt: (id: string) => void): SVGSVGElement {
  const width = 660;
  const height = 280;
  const m = { left: 44, right: 16, top: 26, bottom: 36 };
  const times = series.flatMap((x) => x.attempts.map((a) => Date.parse(a.startedAt)));
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (!(t1 > t0)) {
    t0 -= 12 * 3600_000;
    t1 += 12 * 3600_000;
  }
  const x = (ms: number) => m.left + ((width - m.left - m.right) * (ms - t0)) / (t1 - t0);
  const y = (v: number) => m.top + ((height - m.top - m.bottom) * (100 - Math.max(0, Math.min(100, v)))) / 100;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': words.label, class: 'progress-chart' });
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(s('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v), class: 'grid', 'aria-hidden': 'true' }));
    svg.append(s('text', { x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis', 'aria-hidden': 'true' }, `${v}`));
  }
  const span = t1 - t0;
  const format: Intl.DateTimeFormatOptions = span < 2 * 86400_000 ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' };
  for (let i = 0; i <= 4; i++) {
    const at = t0 + (span * i) / 4;
    svg.append(s('text', { x: x(at), y: height - m.bottom + 18, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle', class: 'axis', 'aria-hidden': 'true' }, new Date(at).toLocaleString(lang, format)));
  }
  svg.append(s('text', { x: 4, y: 12, class: 'axis', 'aria-hidden': 'true' }, words.axis));
  for (const line of series) {
    const points = line.attempts.map((a) => `${x(Date.parse(a.startedAt))},${y(a.total)}`).join(' ');
    svg.append(s('polyline', { points, fill: 'none', stroke: line.colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round', 'aria-hidden': 'true' }));
    line.attempts.forEach((a) => {
      const label = words.dot(line, a);
      const dot = s('circle', {
        cx: x(Date.parse(a.startedAt)),
        cy: y(a.total),
        r: 5.5,
        fill: a.passed ? line.colour : '#fff',
        stroke: line.colour,
        'stroke-width': 2.5,
        class: 'dot',
        tabindex: 0,
        role: 'button',
        'aria-label': label,
      });
      dot.append(s('title', {}, label));
      dot.addEventListener('click', () => onAttempt(a.id));
      dot.addEventListener('keydown', (e) => {
        const key = (e as KeyboardEvent).key;
        if (key === 'Enter' || key === ' ') {
          e.preventDefault();
          onAttempt(a.id);
        }
      });
      svg.append(dot);
    });
  }
  return svg;
}
