/**
 * Dev-server help for trainers (`npm run dev` only): the preview page and the studio save a play as
 * a golden test plan into the scenarios folder's plans/, merged with the plans already there; the
 * studio lists, opens and saves caller files there. The folder is scenarios/ unless
 * HTL_SCENARIOS_DIR names another (the studio's end-to-end test uses a copy).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { listCallers, previousVersion, readCaller, saveCaller, StudioFileError } from '../server/studio-files';
import { VoiceMaker } from '../server/studio-voices';
import { SAFE_SCENARIO_ID, STUDIO_ROUTES } from '../shared/studio-contract';
import { checkScenario } from '../engine/check/validate';
import type { Diagnostic } from '../engine/check/diagnostics';
import { planSchema, plansFileSchema, type PlansFile } from '../engine/plans';

const MAX_BODY = 256 * 1024;

/** The folder the dev server reads and writes callers in. */
export function scenariosDirOf(root: string): string {
  return process.env.HTL_SCENARIOS_DIR ? resolve(process.env.HTL_SCENARIOS_DIR) : join(root, 'scenarios');
}

/** Adds a plan to the plans file beside the caller's file (DIR/plans/ID.plans.json). */
export function mergePlan(root: string, scenarioId: string, planInput: unknown, dir = join(root, 'scenarios')): { file: string; plans: PlansFile } {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(scenarioId)) throw new Error('scenario id must be lower-case letters, digits and "-"');
  if (!existsSync(join(dir, `${scenarioId}.json`))) throw new Error(`no scenario file ${scenarioId}.json in ${dir}`);
  const plan = planSchema.parse(planInput);
  const file = join(dir, 'plans', `${scenarioId}.plans.json`);
  const existing: PlansFile = existsSync(file) ? plansFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : { scenario: scenarioId, plans: [] };
  const plans = { scenario: scenarioId, plans: [...existing.plans.filter((p) => p.name !== plan.name), plan] };
  writeFileSync(file, `${JSON.stringify(plans, null, 2)}\n`);
  return { file, plans };
}

const SCENARIO_FILE = /\/scenarios\/([a-z0-9][a-z0-9-]*)\.json$/;

/** Every scenario file in scenarios/ that has a problem, with the checker's diagnostics. */
export function scenarioProblems(root: string, dir = join(root, 'scenarios')): Array<{ file: string; diagnostics: Diagnostic[] }> {
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

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((done, fail) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('error', fail);
    req.on('end', () => done(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
  });
}

function replyJson(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** GET the list, GET /ID the file, PUT /ID to save it (checked, in the stable layout), GET /ID/voices how its voices are coming on. */
async function studioRoute(root: string, dir: string, voices: VoiceMaker, req: IncomingMessage, res: ServerResponse) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
  try {
    if (path === '') {
      if (req.method !== 'GET') return replyJson(res, 405, { error: 'GET the list' });
      return replyJson(res, 200, { callers: listCallers(dir) });
    }
    const voicesOf = /^([^/]+)\/voices$/.exec(path)?.[1];
    if (voicesOf !== undefined) {
      if (req.method !== 'GET') return replyJson(res, 405, { error: 'GET the voice status' });
      if (!SAFE_SCENARIO_ID.test(voicesOf)) return replyJson(res, 400, { error: `"${voicesOf.slice(0, 100)}" is not a caller id` });
      return replyJson(res, 200, voices.status(voicesOf));
    }
    if (req.method === 'GET') {
      res.setHeader('content-type', 'application/json');
      return res.end(readCaller(dir, path));
    }
    if (req.method !== 'PUT') return replyJson(res, 405, { error: 'GET or PUT a caller' });
    const body = await readBody(req, MAX_CALLER_BODY);
    if (body === null) return replyJson(res, 413, { error: 'a caller file is at most 1 MB' });
    const before = previousVersion(dir, path);
    const { scenario, ...answer } = saveCaller(dir, path, body, root);
    // The voices of new and changed lines are made in the background; the save never waits for them.
    return replyJson(res, 200, { ...answer, voices: voices.saved(scenario.id, before, scenario) });
  } catch (error) {
    if (error instanceof StudioFileError) return replyJson(res, error.status, { error: error.message, diagnostics: error.diagnostics });
    return replyJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
  }
}

const MAX_CALLER_BODY = 1024 * 1024 + 1024;

/**
 * The dev server's voice maker: the voices go beside the scenarios folder (ROOT/assets/audio/voices
 * for scenarios/, where the game's build finds them), takes cached as npm run assets:audio caches
 * them. STUDIO_VOICES=0 makes none.
 */
export function devVoiceMaker(root: string, dir = scenariosDirOf(root)): VoiceMaker {
  return new VoiceMaker({
    root: resolve(dir, '..'),
    scenariosDir: dir,
    cacheDir: join(root, 'node_modules', '.cache', 'hold-the-line-audio'),
    enabled: process.env.STUDIO_VOICES !== '0',
    log: (message) => console.warn(`[studio] ${message}`),
  });
}

export function trainerPlugin(root: string): Plugin {
  const dir = scenariosDirOf(root);
  let voices: VoiceMaker | null = null;
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
        res.end(JSON.stringify(scenarioProblems(root, dir)));
      });
      server.middlewares.use(STUDIO_ROUTES.dev, (req, res) => void studioRoute(root, dir, (voices ??= devVoiceMaker(root, dir)), req, res));
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
            const { file } = mergePlan(root, String(body.scenario ?? ''), body.plan, dir);
            reply(200, { file: relative(root, file) });
          } catch (error) {
            reply(400, { error: error instanceof Error ? error.message : String(error) });
          }
        });
      });
    },
  };
}
