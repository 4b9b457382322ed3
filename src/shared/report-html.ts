/** A self-contained HTML report of a simulation, for trainers. Every text is escaped. */
import type { Analysis } from '../engine/index';
import type { Scenario } from '../engine/index';
import type { SimulationReport } from '../engine/analysis/simulate';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function bar(value: number, max: number): string {
  const width = max > 0 ? Math.round((value / max) * 200) : 0;
  return `<span class="bar" style="width:${width}px"></span>`;
}

export function simulationHtml(scenario: Scenario, analysis: Analysis, report: SimulationReport): string {
  const rows = (entries: [string, number][], total: number) =>
    entries.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="n">${v}</td><td class="n">${((v / Math.max(1, total)) * 100).toFixed(1)}%</td><td>${bar(v, total)}</td></tr>`).join('');
  const maxVisits = Math.max(1, ...Object.values(report.nodeVisits));
  const maxChoice = Math.max(1, ...Object.values(report.choiceCounts));
  const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : '<p>None.</p>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Simulation: ${escapeHtml(scenario.id)}</title>
<style>
body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#1d2733;max-width:960px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}
.n{text-align:right;font-variant-numeric:tabular-nums}.bar{display:inline-block;height:10px;background:#2f6f9f;border-radius:2px}
.path{font-family:ui-monospace,monospace;background:#f3f5f8;padding:6px 10px;border-radius:4px;word-break:break-all}
</style></head><body>
<h1>${escapeHtml(scenario.title.en ?? scenario.id)} · ${escapeHtml(scenario.title['zh-CN'] ?? '')}</h1>
<p>${report.runs} random plays, seed ${report.seed}. Passed: ${report.passed} (${((report.passed / report.runs) * 100).toFixed(1)}%). Mean total ${report.total.mean}%, min ${report.total.min}%, max ${report.total.max}%.</p>
<h2>Outcomes</h2><table>${rows(Object.entries(report.outcomes).sort((a, b) => b[1] - a[1]), report.runs)}</table>
<h2>Total score distribution</h2><table>${rows(report.total.histogram.map((n, i): [string, number] => [`${i * 10}–${i === 10 ? 100 : i * 10 + 9}%`, n]), report.runs)}</table>
<h2>Best path (analysis)</h2><p class="path">${escapeHtml(analysis.bestPath?.choices.join(' → ') ?? 'none')}</p>
<h2>Best and worst simulated plays</h2>
<p>Best (${report.best?.total ?? '-'}%): <span class="path">${escapeHtml(report.best?.choices.join(' → ') ?? '-')}</span></p>
<p>Worst (${report.worst?.total ?? '-'}%): <span class="path">${escapeHtml(report.worst?.choices.join(' → ') ?? '-')}</span></p>
<h2>Nodes no play reached</h2>${list(report.unvisitedNodes)}
<h2>Choices no play made</h2>${list(report.unchosenChoices)}
<h2>Visits per node</h2><table>${Object.entries(report.nodeVisits).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="n">${v}</td><td>${bar(v, maxVisits)}</td></tr>`).join('')}</table>
<h2>Times each choice was made</h2><table>${Object.entries(report.choiceCounts).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="n">${v}</td><td>${bar(v, maxChoice)}</td></tr>`).join('')}</table>
</body></html>
`;
}
