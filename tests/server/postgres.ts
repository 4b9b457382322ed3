/**
 * The real PostgreSQL server the tests also run against: TEST_DATABASE_URL, else DATABASE_URL, else
 * the cluster `.ci/start-postgres.sh` starts. Null (and the PostgreSQL tests skip, saying why) only
 * when none answers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable(POSTGRES_URL);
export const postgresUrl: string | null = problem === null ? POSTGRES_URL : null;
if (problem !== null) {
  console.warn(
    `SKIPPING the PostgreSQL variant: no server answers at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')} (${problem}). ` +
      'Start one with .ci/start-postgres.sh (or set TEST_DATABASE_URL); .ci/run does.',
  );
}

/** A fresh schema name: each test file works in its own and drops it. */
export const testSchema = () => `htl_test_${randomBytes(6).toString('hex')}`;

export async function dropSchema(schema: string): Promise<void> {
  if (!postgresUrl) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
