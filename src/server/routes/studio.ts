/**
 * The trainer studio's routes on the results service (issue 17), for a lead with the trainer role:
 * list the caller files of the scenarios folder, read one, save one (checked, in the stable layout;
 * src/server/studio-files.ts), and save a play as a golden test plan beside it. A saved caller is
 * scored by this server at once, and a published one is on the trainees' menu at their next load
 * (the live list, src/server/routes/catalog.ts); its voices are made behind the save
 * (src/server/studio-voices.ts), and GET ID/voices says how far they are.
 */
import { fileURLToPath } from 'node:url';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { MAX_SCENARIO_BYTES, scenarioHash } from '../../engine/index';
import { SAFE_SCENARIO_ID, STUDIO_ROUTES } from '../../shared/studio-contract';
import type { LeadSession, Repository, TraineeRow } from '../repository';
import type { ScenarioCatalogue } from '../scenarios';
import { listCallers, previousVersion, readCaller, saveCaller, savePlan, StudioFileError } from '../studio-files';
import type { VoiceMaker } from '../studio-voices';

type Env = { Variables: { lead: LeadSession; trainee: TraineeRow } };

export interface StudioRouteOptions {
  repository: Repository;
  catalogue: ScenarioCatalogue;
  /** The folder the callers are read from and written to; default the project's scenarios/. */
  scenariosDir?: string;
  /** Makes the voices of a saved caller in the background (src/server/studio-voices.ts). */
  voices?: VoiceMaker;
  /** The lead session middleware (sets c.var.lead). */
  lead: MiddlewareHandler<Env>;
  /** Whether the signed-in lead may write callers. */
  isTrainer: (c: Context<Env>) => boolean;
}

export function mountStudioRoutes(app: Hono<Env>, options: StudioRouteOptions): void {
  const { catalogue, repository, lead, isTrainer } = options;
  const scenariosDir = options.scenariosDir ?? fileURLToPath(new URL('../../../scenarios/', import.meta.url));
  const base = STUDIO_ROUTES.server;
  const trainer: MiddlewareHandler<Env> = async (c, next) => {
    if (!isTrainer(c)) throw new HTTPException(403, { message: 'writing callers needs the trainer role (npm run admin -- set-roles NAME --trainer)' });
    await next();
  };
  const body = bodyLimit({ maxSize: MAX_SCENARIO_BYTES + 1024, onError: (c) => c.json({ error: `a caller file is at most ${MAX_SCENARIO_BYTES} bytes` }, 413) });
  const refused = (c: Context, error: unknown) => {
    if (error instanceof StudioFileError) return c.json({ error: error.message, ...(error.diagnostics ? { diagnostics: error.diagnostics } : {}) }, error.status);
    throw error;
  };

  app.get(base, lead, trainer, (c) => c.json({ callers: listCallers(scenariosDir) }));

  app.get(`${base}/:id`, lead, trainer, (c) => {
    try {
      return c.body(readCaller(scenariosDir, c.req.param('id')), 200, { 'content-type': 'application/json; charset=utf-8' });
    } catch (error) {
      return refused(c, error);
    }
  });

  app.get(`${base}/:id/voices`, lead, trainer, (c) => {
    const id = c.req.param('id');
    if (!SAFE_SCENARIO_ID.test(id)) return c.json({ error: `"${id.slice(0, 100)}" is not a caller id` }, 400);
    return c.json(options.voices?.status(id) ?? { state: 'off', missing: [] });
  });

  app.put(`${base}/:id`, body, lead, trainer, async (c) => {
    try {
      const before = previousVersion(scenariosDir, c.req.param('id'));
      const { scenario, ...saved } = saveCaller(scenariosDir, c.req.param('id'), await c.req.text());
      // The voices of new and changed lines are made in the background; the save never waits for them.
      const answer = { ...saved, ...(options.voices ? { voices: options.voices.saved(scenario.id, before, scenario) } : {}) };
      // Scored from now on, and kept so an attempt on this version can be replayed whatever the file becomes.
      const entry = { hash: scenarioHash(scenario), scenario, file: `${scenario.id}.json` };
      catalogue.add(entry);
      await repository.saveScenarioVersion(entry.hash, scenario.id, scenario.revision, scenario.title, scenario);
      return c.json(answer);
    } catch (error) {
      return refused(c, error);
    }
  });

  app.post(`${base}/:id/plans`, bodyLimit({ maxSize: 256 * 1024 }), lead, trainer, async (c) => {
    try {
      const sent = (await c.req.json().catch(() => null)) as { plan?: unknown } | null;
      if (!sent) throw new StudioFileError(400, 'the body is not valid JSON');
      return c.json({ file: savePlan(scenariosDir, c.req.param('id'), sent.plan) });
    } catch (error) {
      return refused(c, error);
    }
  });
}
