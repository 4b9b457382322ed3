/**
 * Dev-server help for trainers (`npm run dev` only): the preview page saves a play as a golden test
 * plan straight into scenarios/plans/, merged with the plans already there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
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

export function trainerPlugin(root: string): Plugin {
  return {
    name: 'hold-the-line-trainer',
    apply: 'serve',
    configureServer(server) {
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
