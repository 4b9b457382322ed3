/**
 * The set-up the in-process server benches share (server-cpu-*.ts): a service on PGlite in a fresh
 * temporary folder with limits out of the way, one lead signed in, one cohort and 50 trainees
 * joined by its code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export async function openBenchCohort(folderPrefix: string, roomyLimits: (keyof AppLimits)[] = ['login', 'join'], trainees = 50): Promise<BenchCohort> {
  const dataDir = mkdtempSync(join(tmpdir(), folderPrefix));
  const service = await openService({ dataDir, limits: Object.fromEntries(roomyLimits.map((k) => [k, roomy])) });
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
