/**
 * Reading and writing caller files for the trainer studio, shared by the dev server's plugin and the
 * results service: a file name only from a safe id, never a path outside the scenarios folder, the
 * body refused unless it is JSON that names the same id and passes the checker, and the file written
 * whole (a temporary file renamed over it) in the one stable layout.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { checkScenario, hasErrors, MAX_SCENARIO_BYTES, type Diagnostic, type Localised, type Scenario, type ScenarioStatus } from '../engine/index';
import { scenarioText } from '../engine/format/layout';
import { planSchema, plansFileSchema, type PlansFile } from '../engine/plans';
import { SAFE_SCENARIO_ID, type ListedCaller, type SaveAnswer } from '../shared/studio-contract';

export class StudioFileError extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 422,
    message: string,
    readonly diagnostics?: Diagnostic[],
  ) {
    super(message);
  }
}

/** The file of a caller id, or an error for an id that is not a safe file name. */
export function callerFile(dir: string, id: string): string {
  if (!SAFE_SCENARIO_ID.test(id)) throw new StudioFileError(400, `"${id.slice(0, 100)}" is not a caller id: lower-case letters, digits and "-", at most 80`);
  const root = resolve(dir);
  const file = resolve(root, `${id}.json`);
  // The pattern already forbids it; this says so again where the path is made.
  if (!file.startsWith(root + sep) || basename(file) !== `${id}.json`) throw new StudioFileError(400, 'the file would be outside the scenarios folder');
  return file;
}

export function listCallers(dir: string): ListedCaller[] {
  const out: ListedCaller[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).sort()) {
    try {
      const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { id?: unknown; status?: unknown; title?: unknown };
      if (typeof value.id !== 'string') continue;
      out.push({ id: value.id, file: name, status: value.status === 'draft' ? 'draft' : 'published', title: (value.title ?? {}) as Localised });
    } catch {
      // A half-written file is listed by the dev server's problem panel, not here.
    }
  }
  return out;
}

export function readCaller(dir: string, id: string): string {
  const file = callerFile(dir, id);
  if (!existsSync(file)) throw new StudioFileError(404, `no caller "${id}" in the scenarios folder`);
  return readFileSync(file, 'utf8');
}

/** The caller file as it is before a save replaces it (null: none yet, or not JSON), for the voices to see what changed. */
export function previousVersion(dir: string, id: string): unknown {
  try {
    return JSON.parse(readFileSync(callerFile(dir, id), 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Checks and writes a caller; `root` only shortens the path in the answer. */
export function saveCaller(dir: string, id: string, body: string, root = resolve(dir, '..')): SaveAnswer & { scenario: Scenario } {
  const file = callerFile(dir, id);
  if (Buffer.byteLength(body, 'utf8') > MAX_SCENARIO_BYTES) throw new StudioFileError(413, `a caller file is at most ${MAX_SCENARIO_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new StudioFileError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StudioFileError(400, 'the body is not a caller (a JSON object)');
  const named = (value as { id?: unknown }).id;
  if (named !== id) throw new StudioFileError(400, `the caller's id is "${String(named)}", not "${id}": the file name and the id must agree`);
  const { diagnostics, scenario } = checkScenario(value, { audit: false });
  if (!scenario || hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new StudioFileError(422, `the checker found ${errors.length} error(s); fix them before saving`, errors);
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, scenarioText(value));
  renameSync(temporary, file);
  const status: ScenarioStatus = scenario.status;
  return { file: relative(root, file).split(sep).join('/'), status, scenario };
}

/** Adds a golden test plan to the plans file beside the caller (DIR/plans/ID.plans.json), replacing one of the same name. */
export function savePlan(dir: string, id: string, planInput: unknown): string {
  const file = callerFile(dir, id);
  if (!existsSync(file)) throw new StudioFileError(404, `no caller "${id}" in the scenarios folder`);
  const parsed = planSchema.safeParse(planInput);
  if (!parsed.success) throw new StudioFileError(400, `the plan is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const plansDir = join(resolve(dir), 'plans');
  mkdirSync(plansDir, { recursive: true });
  const plansFile = join(plansDir, `${id}.plans.json`);
  const existing: PlansFile = existsSync(plansFile) ? plansFileSchema.parse(JSON.parse(readFileSync(plansFile, 'utf8'))) : { scenario: id, plans: [] };
  const plans: PlansFile = { scenario: id, plans: [...existing.plans.filter((p) => p.name !== parsed.data.name), parsed.data] };
  writeFileSync(plansFile, `${JSON.stringify(plans, null, 2)}\n`);
  return `plans/${id}.plans.json`;
}
