/**
 * The set-up the in-process server benches share (server-cpu-*.ts): a service on PGlite in a fresh
 * temporary folder with limits out of the way, one lead signed in, one cohort and 50 trainees
 * joined by its code.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AppLimits } from '../src/server/app';
import { hashPassword } from '../src/server/auth';
import { openService, type Service } from '../src/server/service';

const roomy = { burst: 1e9, perSecond: 1e9 };
const PASSWORD = 'bench password 123';

export interface BenchCohort {
  service: Service;
  app: Service['app'];
  /** The lead's session cookie. */
  cookie: string;
  cohort: { id: number; codes: { code: string }[] };
  /** The trainees' bearer tokens and ids, in join order. */
  tokens: string[];
  ids: number[];
  /** Stops the service and removes its folder. */
  close(): Promise<void>;
}

/**
 * `postgres`: a fresh schema on that PostgreSQL (dropped at close) instead of PGlite in a folder.
 */
export async function openBenchCohort(folderPrefix: string, roomyLimits: (keyof AppLimits)[] = ['login', 'join'], trainees = 50, postgres?: string): Promise<BenchCohort> {
  const dataDir = postgres ? undefined : mkdtempSync(join(tmpdir(), folderPrefix));
  const schema = postgres ? `htl_bench_${randomBytes(4).toString('hex')}` : undefined;
  const service = await openService({ ...(postgres ? { databaseUrl: postgres, schema } : { dataDir }), limits: Object.fromEntries(roomyLimits.map((k) => [k, roomy])) });
  const app = service.app;
  const json = { 'content-type': 'application/json' };
  await service.repository.createLead('L', await hashPassword(PASSWORD));
  const login = await app.request('http://localhost/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name: 'L', password: PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const cohort = (await (await app.request('http://localhost/api/cohorts', { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ name: 'C' }) })).json()) as BenchCohort['cohort'];
  const tokens: string[] = [];
  for (let i = 0; i < trainees; i++) {
    const joined = await app.request('http://localhost/api/join', { method: 'POST', headers: json, body: JSON.stringify({ name: `T${i}`, code: cohort.codes[0]!.code }) });
    tokens.push(((await joined.json()) as { token: string }).token);
  }
  const ids = (await service.db.query<{ id: number }>('SELECT id::int AS id FROM trainees ORDER BY id')).map((r) => r.id);
  return {
    service,
    app,
    cookie,
    cohort,
    tokens,
    ids,
    close: async () => {
      await service.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const client = new pg.Client({ connectionString: postgres });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}
