-- One row per trainee per caller, kept up to date by a trigger as each attempt is inserted, so the
-- lead's report reads about (trainees × callers) rows instead of sorting the cohort's whole history.
-- "last" is the attempt with the latest (started_at, id), the same order the lists and exports use.

CREATE TABLE attempt_summaries (
  trainee_id bigint NOT NULL REFERENCES trainees (id) ON DELETE CASCADE,
  scenario_id text NOT NULL,
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  attempts integer NOT NULL,
  best double precision NOT NULL,
  passed boolean NOT NULL,
  last_id uuid NOT NULL,
  last_started_at timestamptz NOT NULL,
  last_total double precision NOT NULL,
  last_dimensions jsonb NOT NULL,
  PRIMARY KEY (trainee_id, scenario_id)
);
CREATE INDEX attempt_summaries_cohort ON attempt_summaries (cohort_id);

CREATE FUNCTION attempt_summaries_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attempt_summaries AS s (trainee_id, scenario_id, cohort_id, attempts, best, passed, last_id, last_started_at, last_total, last_dimensions)
  VALUES (NEW.trainee_id, NEW.scenario_id, NEW.cohort_id, 1, NEW.total, NEW.passed, NEW.id, NEW.started_at, NEW.total, NEW.dimensions)
  ON CONFLICT (trainee_id, scenario_id) DO UPDATE SET
    attempts = s.attempts + 1,
    best = greatest(s.best, EXCLUDED.best),
    passed = s.passed OR EXCLUDED.passed,
    last_id = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_id ELSE s.last_id END,
    last_total = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_total ELSE s.last_total END,
    last_dimensions = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_dimensions ELSE s.last_dimensions END,
    last_started_at = greatest(s.last_started_at, EXCLUDED.last_started_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER attempts_summarise AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION attempt_summaries_add();

-- Attempts stored before this migration.
INSERT INTO attempt_summaries (trainee_id, scenario_id, cohort_id, attempts, best, passed, last_id, last_started_at, last_total, last_dimensions)
SELECT DISTINCT ON (a.trainee_id, a.scenario_id) a.trainee_id, a.scenario_id, a.cohort_id,
  count(*) OVER w, max(a.total) OVER w, bool_or(a.passed) OVER w, a.id, a.started_at, a.total, a.dimensions
FROM attempts a
WINDOW w AS (PARTITION BY a.trainee_id, a.scenario_id)
ORDER BY a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC;

-- Keyset paging of lists and exports: (started_at, id) is the order and the cursor.
DROP INDEX attempts_cohort_started;
CREATE INDEX attempts_cohort_started ON attempts (cohort_id, started_at, id);
CREATE INDEX attempts_trainee_started ON attempts (trainee_id, started_at, id);
