/**
 * Dev-server help for trainers (`npm run dev` only): the preview page saves a play as a golden test
 * plan straight into scenarios/plans/, merged with the plans already there.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { checkScenario } from '../engine/check/validate';
import type { Diagnostic } from '../engine/check/diagnostics';
import { planSchema, plansFileSchema, type PlansFile } from '../engine/plans';

const MAX_BODY = 256 * 1024;

export function mergePlan(root: string, scenarioId: string, planInput: unknown): { file: string; plans: PlansFile } {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(scenarioId)) throw new Error('scenario id must be lower-case letters, digits and "-"');
  if (!existsSync(join(root, 'scenarios', `${scenarioId}.json`))) throw new Error(`no scenario file scenarios/${scenarioId}.json`);
  const plan = planSchema.parse(planInput);
  const file = join(root, 'scenarios', 'plans', `${scenarioId}.plans.json`);
  const existing: PlansFile = existsSync(file) ? plansFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : { scenario: scenarioId, plans: [] };
  const plans = { scenario: scenarioId, plans: [...existing.plans.filter((p) => p.name !== plan.name), plan] };
  writeFileSync(file, `${JSON.stringify(plans, null, 2)}\n`);
  return { file, plans };
}

const SCENARIO_FILE = /\/scenarios\/([a-z0-9][a-z0-9-]*)\.json$/;

/** Every scenario file in scenarios/ that has a problem, with the checker's diagnostics. */
export function scenarioProblems(root: string): Array<{ file: string; diagnostics: Diagnostic[] }> {
  const dir = join(root, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => ({ file: `scenarios/${f}`, diagnostics: checkScenario(readFileSync(join(dir, f), 'utf8')).diagnostics }))
    .filter((r) => r.diagnostics.length > 0);
}

/**
 * A scenario saved half-written is not valid JSON; importing it would break the whole page. In the
 * dev server such a file reads as an empty menu entry (the menu skips it) and the page lists the
 * checker's diagnostics instead.
 */
export function guardedScenarioSource(file: string, text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    void file;
    return JSON.stringify({ id: null, title: null, summary: null, difficulty: null, caller: null });
  }
}

export function trainerPlugin(root: string): Plugin {
  return {
    name: 'hold-the-line-trainer',
    apply: 'serve',
    enforce: 'pre',
    load(id) {
      const [path = '', query = ''] = id.split('?');
      if (!SCENARIO_FILE.test(path) || /(^|&)(raw|url)\b/.test(query)) return null;
      if (!existsSync(path)) return null;
      return guardedScenarioSource(path, readFileSync(path, 'utf8'));
    },
    configureServer(server) {
      server.middlewares.use('/__trainer/diagnostics', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(scenarioProblems(root)));
      });
      server.middlewares.use('/__trainer/plans', (req, res) => {
        const reply = (status: number, body: unknown) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'POST') return reply(405, { error: 'POST a plan' });
        let size = 0;
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        req.on('end', () => {
          if (size > MAX_BODY) return reply(413, { error: 'plan too large' });
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { scenario?: unknown; plan?: unknown };
            const { file } = mergePlan(root, String(body.scenario ?? ''), body.plan);
            reply(200, { file: file.slice(root.length + 1) });
          } catch (error) {
            reply(400, { error: error instanceof Error ? error.message : String(error) });
          }
        });
      });
    },
  };
}
