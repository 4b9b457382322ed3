/** Opens the database, migrates it, loads the scenarios and builds the app: what main, the admin CLI, tests and the bench share. */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { analysisOf, randomPlay, seededRandom, stepsFromChoiceList } from '../engine/index';
import { AnalyticsFolder, fillAnalyticsFacts, type FoldOptions } from './analytics';
import { createApp, type AppOptions } from './app';
import { openDb, type Db, type DbOptions } from './db';
import { migrate } from './migrate';
import { nameSkeleton } from './names';
import { ReplayPool } from './replay';
import { LrsSender, type LrsConfig, type LrsSenderOptions } from './lrs';
import { Repository } from './repository';
import { LrsOutbox } from './repository/lrs';
import { DEFAULT_PUBLIC_URL, publicAddress } from './xapi';
import { AnalyticsRepository } from './repository/analytics';
import { loadScenarioFilesOnce, ScenarioCatalogue, type LoadProblem } from './scenarios';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface ServiceOptions extends RepositoryOptions, Omit<AppOptions, 'repository' | 'catalogue' | 'replays' | 'lrs'> {
  scenariosDir?: string;
  /** Threads that replay submissions (src/server/replay.ts); 0 or unset: the request thread does (main.ts sets REPLAY_THREADS or one per spare core). */
  replayThreads?: number;
  /** Forward attempts to this LRS (LRS_URL…): a sender runs until close(). */
  lrs?: LrsConfig | null;
  /** Sender settings (tests: short backoff, a fake fetch). */
  lrsSender?: Omit<LrsSenderOptions, 'config' | 'outbox' | 'homePage' | 'scenarioTitle'>;
  /** When the cohort analytics are folded (src/server/analytics.ts, AnalyticsFolder); `everyMs: 0` never by itself. */
  analyticsFold?: FoldOptions;
}

export interface Service {
  app: ReturnType<typeof createApp>;
  db: Db;
  repository: Repository;
  catalogue: ScenarioCatalogue;
  lrs: LrsSender | null;
  problems: LoadProblem[];
  replays: ReplayPool | null;
  close(): Promise<void>;
  /** Attempts from before migration 011 being replayed for the analytics, in the background: how many were filled in. */
  analyticsFilled: Promise<number>;
  /** Folds the queued attempts into the cohort analytics (migration 017) in the background. */
  analyticsFolder: AnalyticsFolder;
}

export interface RepositoryOptions extends DbOptions {
  /** PostgreSQL: attempt insert statements in flight at once (src/server/repository.ts, BatchWriter); default 1 (DEFAULT_POSTGRES_WRITERS says why). PGlite: one. */
  attemptWriters?: number | undefined;
}

export async function openRepository(options: RepositoryOptions): Promise<{ db: Db; repository: Repository }> {
  const db = await openDb(options);
  try {
    await migrate(db);
    await new Repository(db).fillNameKeys(nameSkeleton);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, repository: new Repository(db, options.attemptWriters) };
}

/**
 * Before the first request: every replay thread gets every current caller and replays a few plays
 * of each. A thread's first replay of a caller carries the caller to it and builds what the engine
 * keeps per caller, and a fresh thread's code is not yet optimised: without this the first
 * submissions of each caller after a start paid for it (bench:server's first 3 s).
 */
export async function warmReplays(replays: ReplayPool, catalogue: ScenarioCatalogue, playsPerThread = 3): Promise<void> {
  const random = seededRandom(1);
  const jobs: Promise<unknown>[] = [];
  for (const entry of catalogue.current.values()) {
    const analysis = analysisOf(entry.scenario);
    for (let i = 0; i < playsPerThread * replays.size; i++) {
      const play = randomPlay(entry.scenario, analysis, random, 0.05, 0);
      const steps = stepsFromChoiceList(play.choices).map((s) => (s.type === 'choose' ? { ...s, ms: 5000 } : s));
      jobs.push(
        replays.replay({ scenario: entry.scenario, hash: entry.hash, steps, seed: undefined, language: 'zh-CN', serverElapsedMs: null, claimedStartedAt: new Date(0).toISOString() }).catch(() => undefined),
      );
    }
  }
  await Promise.all(jobs);
}

/**
 * Most attempts in one fold of the analytics. PGlite runs every statement on one thread, the
 * submissions' too: a fold holds them while it runs, so its folds are smaller (README, Performance).
 */
const FOLD_CHUNK_PGLITE = 50;
const FOLD_CHUNK_POSTGRES = 2000;

export async function openService(options: ServiceOptions): Promise<Service> {
  const { entries, problems } = loadScenarioFilesOnce(options.scenariosDir ?? SCENARIOS_DIR);
  const catalogue = new ScenarioCatalogue(entries);
  catalogue.warm();
  const { db, repository } = await openRepository(options);
  // PostgreSQL: trainees removed or merged on another server are forgotten here at once.
  await repository.watchTokens();
  await catalogue.persist(repository);
  const startSecret = options.startSecret ?? (await repository.serverSecret('attempt-start', () => randomBytes(32).toString('base64url')));
  const replays = options.replayThreads ? await ReplayPool.open(options.replayThreads) : null;
  if (replays) await warmReplays(replays, catalogue);
  const lrs = options.lrs
    ? new LrsSender({ ...options.lrsSender, config: options.lrs, outbox: new LrsOutbox(db), homePage: publicAddress(options.publicUrl ?? DEFAULT_PUBLIC_URL), scenarioTitle: (id) => catalogue.title(id) })
    : null;
  const { lrs: _config, analyticsFold, ...appOptions } = options;
  const app = createApp({ ...appOptions, startSecret, repository, catalogue, replays, ...(lrs ? { lrs } : {}) });
  lrs?.start();
  let closing = false;
  const analyticsFolder = new AnalyticsFolder(new AnalyticsRepository(db), {
    chunk: db.kind === 'pglite' ? FOLD_CHUNK_PGLITE : FOLD_CHUNK_POSTGRES,
    busy: () => repository.storingAttempts(),
    // PGlite: the fold and the inserts share one thread (AnalyticsFolder's holdsWriter says why).
    ...(db.kind === 'pglite' ? { holdsWriter: () => repository.writingAttempts() } : {}),
    ...analyticsFold,
  });
  analyticsFolder.start();
  const analyticsFilled = fillAnalyticsFacts(new AnalyticsRepository(db), async (hash) => (await catalogue.byContentHash(hash, repository))?.scenario ?? null, { stopped: () => closing }).catch((error: unknown) => {
    if (!closing) console.error(`filling in the analytics of older attempts failed: ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  });
  return {
    app,
    db,
    repository,
    catalogue,
    lrs,
    problems,
    replays,
    analyticsFilled,
    analyticsFolder,
    close: async () => {
      closing = true;
      await analyticsFilled;
      await analyticsFolder.stop();
      await lrs?.stop();
      await replays?.close();
      await repository.stopWatchingTokens();
      await db.close();
    },
  };
}
