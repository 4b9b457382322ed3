/**
 * Child process of `npm run bench:engine`: the checker's first call in a fresh process (its code
 * compiled as it runs), then the same call again. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { validateScenario } from '../src/engine/index';

const file = process.argv[2];
if (!file) throw new Error('usage: checker-first.ts FILE');
const text = readFileSync(file, 'utf8');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let t = performance.now();
const c = cpu();
const diagnostics = validateScenario(text);
const firstCpuMs = cpu() - c;
const firstMs = performance.now() - t;
t = performance.now();
validateScenario(text);
const secondMs = performance.now() - t;
console.log(JSON.stringify({ firstMs, firstCpuMs, secondMs, errors: diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`) }));
