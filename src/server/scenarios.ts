/**
 * The scenarios the server scores against, keyed by content hash: the files in scenarios/ at start,
 * plus any older version an attempt was once scored on (kept in the database), so that a trainee
 * who played offline before an update is still scored on the call they actually played.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisOf, checkScenario, hasErrors, scenarioHash, scenarioSchema, type Diagnostic, type Localised, type Scenario } from '../engine/index';
import type { Repository } from './repository';

export interface ScenarioEntry {
  hash: string;
  scenario: Scenario;
  file: string | null;
}

export interface LoadProblem {
  file: string;
  diagnostics: Diagnostic[];
}

/** Every scenario file in `dir`: top-level *.json other than *.schema.json. */
export function loadScenarioFiles(dir: string): { entries: ScenarioEntry[]; problems: LoadProblem[] } {
  const entries: ScenarioEntry[] = [];
  const problems: LoadProblem[] = [];
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.json') && !f.name.endsWith('.schema.json'))
    .map((f) => f.name)
    .sort();
  for (const file of files) {
    // The structure is all scoring needs; the trainer's checks (reachability and so on) run in CI.
    const { diagnostics, scenario } = checkScenario(readFileSync(join(dir, file), 'utf8'), { structureOnly: true });
    if (!scenario || hasErrors(diagnostics)) problems.push({ file, diagnostics: diagnostics.filter((d) => d.severity === 'error') });
    else entries.push({ hash: scenarioHash(scenario), scenario, file });
  }
  return { entries, problems };
}

const cache = new Map<string, { entries: ScenarioEntry[]; problems: LoadProblem[] }>();

/** The same folder read once per process: tests build many apps, and analysis takes seconds. */
export function loadScenarioFilesOnce(dir: string) {
  let loaded = cache.get(dir);
  if (!loaded) {
    loaded = loadScenarioFiles(dir);
    cache.set(dir, loaded);
  }
  return loaded;
}

export class ScenarioCatalogue {
  private readonly byHash = new Map<string, ScenarioEntry>();
  /** The newest file version of each scenario id. */
  readonly current = new Map<string, ScenarioEntry>();

  constructor(entries: readonly ScenarioEntry[]) {
    for (const entry of entries) {
      this.byHash.set(entry.hash, entry);
      const existing = this.current.get(entry.scenario.id);
      if (!existing || existing.scenario.revision < entry.scenario.revision) this.current.set(entry.scenario.id, entry);
    }
  }

  /** A caller file written while the server runs (the trainer studio): scored from now on. */
  add(entry: ScenarioEntry): void {
    this.byHash.set(entry.hash, entry);
    const existing = this.current.get(entry.scenario.id);
    if (!existing || existing.scenario.revision <= entry.scenario.revision) this.current.set(entry.scenario.id, entry);
  }

  /** Computes each scenario's analysis (maximum scores, best path) now rather than on the first attempt. */
  warm(): void {
    for (const entry of this.byHash.values()) analysisOf(entry.scenario);
  }

  /** Records the file versions so attempts on them can be replayed later, whatever the files become. */
  async persist(repository: Repository): Promise<void> {
    for (const entry of this.byHash.values()) {
      await repository.saveScenarioVersion(entry.hash, entry.scenario.id, entry.scenario.revision, entry.scenario.title, entry.scenario);
    }
  }

  /** The version with this hash, from the files or from the database. */
  async byContentHash(hash: string, repository: Repository): Promise<ScenarioEntry | null> {
    const known = this.byHash.get(hash);
    if (known) return known;
    const stored = await repository.getScenarioVersion(hash);
    if (!stored) return null;
    const parsed = scenarioSchema.safeParse(stored.body);
    if (!parsed.success || scenarioHash(parsed.data) !== hash) return null;
    const entry: ScenarioEntry = { hash, scenario: parsed.data, file: null };
    this.byHash.set(hash, entry);
    return entry;
  }

  title(scenarioId: string): Localised | null {
    return this.current.get(scenarioId)?.scenario.title ?? null;
  }

  /** The callers on offer to trainees and their leads: a draft is for its trainer only, until published. */
  list(): { id: string; revision: number; hash: string; title: Localised; difficulty: number; passMark: number }[] {
    return [...this.current.values()]
      .filter((e) => e.scenario.status !== 'draft')
      .map((e) => ({ id: e.scenario.id, revision: e.scenario.revision, hash: e.hash, title: e.scenario.title, difficulty: e.scenario.difficulty, passMark: e.scenario.passMark }))
      .sort((a, b) => a.difficulty - b.difficulty || a.id.localeCompare(b.id));
  }
}
