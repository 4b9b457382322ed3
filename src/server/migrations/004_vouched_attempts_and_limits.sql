-- Attempts the server starts and times, flags for the lead, join codes that expire, names that
-- cannot pass for another trainee's, and rate limits kept in the database so that several app
-- servers on one PostgreSQL share them.

-- An attempt the server started: its id is the attempt's id, so a start is used by one attempt.
CREATE TABLE attempt_starts (
  id uuid PRIMARY KEY,
  trainee_id bigint NOT NULL REFERENCES trainees (id) ON DELETE CASCADE,
  scenario_id text NOT NULL,
  seed text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('practice', 'assessment')),
  started_at timestamptz NOT NULL
);
CREATE INDEX attempt_starts_trainee ON attempt_starts (trainee_id, started_at);

-- False for an attempt played without a server start: its dates are when the server received it.
ALTER TABLE attempts ADD COLUMN timed_by_server boolean NOT NULL DEFAULT false;
-- What the client said its start was; shown, never used for ordering.
ALTER TABLE attempts ADD COLUMN claimed_started_at timestamptz;
-- sha256 of the scenario and the choices with their timings: the same play sent again matches.
ALTER TABLE attempts ADD COLUMN fingerprint text;
-- [{ "kind": …, "reason": … }]: what the lead should look at.
ALTER TABLE attempts ADD COLUMN flags jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX attempts_fingerprint ON attempts (fingerprint) WHERE fingerprint IS NOT NULL;

ALTER TABLE join_codes ADD COLUMN expires_at timestamptz;
UPDATE join_codes SET expires_at = created_at + interval '14 days' WHERE expires_at IS NULL;
ALTER TABLE join_codes ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE join_codes ALTER COLUMN expires_at SET DEFAULT now() + interval '14 days';

-- The name's skeleton (see src/server/names.ts): two names with one skeleton look alike.
-- Filled for older rows at start-up.
ALTER TABLE trainees ADD COLUMN name_key text;
CREATE UNIQUE INDEX trainees_cohort_name_key ON trainees (cohort_id, name_key);

-- Token buckets (src/server/rate-limit.ts).
CREATE TABLE rate_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  at timestamptz NOT NULL,
  granted boolean NOT NULL
);

-- Failed logins per (name, address): the delay before the next try grows with each failure.
CREATE TABLE login_failures (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  blocked_until timestamptz NOT NULL,
  at timestamptz NOT NULL
);

-- /api/health writes here: a database that cannot write is not healthy.
CREATE TABLE health_checks (
  id integer PRIMARY KEY,
  at timestamptz NOT NULL
);
