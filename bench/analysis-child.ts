/**
 * Child process of `npm run bench:engine`: the analysis of a generated scenario with about five
 * million call states, alone in its process so that its peak memory is its own. Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { checkScenario, analyseScenario } from '../src/engine/index';
import { generateLoopScenario } from './generate-loops';

const size = Number(process.argv[2] ?? 2000);
const persistent = Number(process.argv[3] ?? 6);
const limit = Number(process.argv[4] ?? 6_000_000);
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
