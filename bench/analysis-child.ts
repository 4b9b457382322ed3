/**
 * Child process of `npm run bench:engine` and `bench:analysis`: the analysis of a generated scenario
 * with about five million call states, alone in its process so that its peak memory is its own.
 * `node --import tsx --expose-gc bench/analysis-child.ts NODES FLAGS LIMIT [before]`; `before` runs
 * the analysis as of commit 1e02757 (tests/engine/analysis-before/, which the tests hold to the
 * same results) instead of today's, for a side-by-side comparison. Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { checkScenario, analyseScenario as analyseNow } from '../src/engine/index';
import { generateLoopScenario } from './generate-loops';

const size = Number(process.argv[2] ?? 2000);
const persistent = Number(process.argv[3] ?? 6);
const limit = Number(process.argv[4] ?? 6_000_000);
const analyseScenario = process.argv[5] === 'before' ? (await import('../tests/engine/analysis-before/explore')).analyseScenario : analyseNow;
const checked = checkScenario(generateLoopScenario(size, { persistentFlags: persistent }), { structureOnly: true });
if (!checked.scenario) throw new Error(checked.diagnostics.map((d) => d.message).join('\n'));
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const t = performance.now();
const c = process.cpuUsage();
const analysis = analyseScenario(checked.scenario, limit);
const ms = performance.now() - t;
const used = process.cpuUsage(c);
const cpuMs = (used.user + used.system) / 1000;
const usage = process.resourceUsage();
console.log(JSON.stringify({ ms, cpuMs, states: analysis.stateCount, complete: analysis.complete, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: usage.maxRSS / 1024 }));
