#!/usr/bin/env node
/**
 * `npm test`'s test run: the unit files and the browser (e2e) files side by side, in two Vitest
 * processes, instead of one after the other.
 *
 * The browser files go one at a time (vitest.config.ts: two browsers at once starve each other's
 * frames and the tests that time a call), so during them the machine's second core was mostly idle;
 * the unit files (one at a time here) take it. Arguments are passed to both runs (a file filter
 * simply finds nothing in the other project). `--outputFile=FILE` (with a json reporter) gets each
 * run's report merged into FILE, as one run would have written it. Each line of output is prefixed
 * with its project's name; the exit code is the first failure's.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

const args = process.argv.slice(2);
let outputFile = null;
const passOn = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg.startsWith('--outputFile=')) outputFile = arg.slice('--outputFile='.length);
  else if (arg === '--outputFile') outputFile = args[++i] ?? null;
  else passOn.push(arg);
}

const runs = [
  { project: 'unit', extra: ['--maxWorkers=1'] },
  { project: 'e2e', extra: [] },
].map(({ project, extra }) => {
  const report = outputFile ? `${outputFile}.${project}.json` : null;
  const child = spawn(
    process.execPath,
    [vitest, 'run', '--project', project, '--passWithNoTests', ...extra, ...passOn, ...(report ? [`--outputFile=${report}`] : [])],
    { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
  );
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[${project}] ${line}\n`));
  }
  const done = new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`[${project}] could not start Vitest: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return { project, child, report, done };
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const run of runs) run.child.kill(signal);
  });
}

const codes = await Promise.all(runs.map((run) => run.done));

if (outputFile) {
  // One report, as a single run writes it (what .ci/run reads: numPassedTests, numFailedTests).
  const merged = { numTotalTestSuites: 0, numPassedTestSuites: 0, numFailedTestSuites: 0, numPendingTestSuites: 0, numTotalTests: 0, numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, startTime: Infinity, success: true, testResults: [] };
  for (const run of runs) {
    let report;
    try {
      report = JSON.parse(readFileSync(run.report, 'utf8'));
    } catch (error) {
      process.stderr.write(`[${run.project}] wrote no report (${error.message}): counted as failed\n`);
      merged.success = false;
      merged.numFailedTests += 1;
      continue;
    }
    for (const key of Object.keys(merged)) if (typeof merged[key] === 'number' && key !== 'startTime') merged[key] += report[key] ?? 0;
    merged.startTime = Math.min(merged.startTime, report.startTime ?? Infinity);
    merged.success &&= report.success !== false;
    merged.testResults.push(...(report.testResults ?? []));
    rmSync(run.report, { force: true });
  }
  writeFileSync(outputFile, JSON.stringify(merged));
}

const summary = runs.map((run, i) => `${run.project}: ${codes[i] === 0 ? 'passed' : `failed (exit ${codes[i]})`}`).join(', ');
process.stdout.write(`${summary}\n`);
process.exit(codes.find((code) => code !== 0) ?? 0);
