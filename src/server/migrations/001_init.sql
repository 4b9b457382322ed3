-- Leads, cohorts, trainees, the scenario versions attempts were played on, and the attempts.
-- Plain PostgreSQL that PGlite runs too.

CREATE TABLE leads (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lead_sessions (
  token_hash text PRIMARY KEY,
  lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX lead_sessions_lead ON lead_sessions (lead_id);

CREATE TABLE cohorts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lead_id, name)
);

CREATE TABLE join_codes (
  code text PRIMARY KEY,
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX join_codes_cohort ON join_codes (cohort_id);

CREATE TABLE trainees (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A second person with the same name adds an initial; nobody takes over another's record.
  UNIQUE (cohort_id, name)
);

-- Every version of a scenario an attempt was scored on, so an old attempt's transcript can be
-- replayed after the file changes.
CREATE TABLE scenario_versions (
  hash text PRIMARY KEY,
  scenario_id text NOT NULL,
  revision integer NOT NULL,
  title jsonb NOT NULL,
  body jsonb NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attempts (
  id uuid PRIMARY KEY,
  trainee_id bigint NOT NULL REFERENCES trainees (id) ON DELETE CASCADE,
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  scenario_id text NOT NULL,
  scenario_hash text NOT NULL REFERENCES scenario_versions (hash),
  scenario_revision integer NOT NULL,
  language text NOT NULL,
  started_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  steps jsonb NOT NULL,
  -- What the server computed by replaying the steps; never what the client said.
  outcome text NOT NULL,
  passed boolean NOT NULL,
  total double precision NOT NULL,
  dimensions jsonb NOT NULL,
  duration_ms integer NOT NULL
);
CREATE INDEX attempts_cohort_started ON attempts (cohort_id, started_at);
CREATE INDEX attempts_trainee_scenario ON attempts (trainee_id, scenario_id, started_at);
