-- Cohort analytics, time histograms (issue 15): migration 011 kept answer and call times to 10 ms
-- below 10 s, so a busy caller's histograms grew to tens of thousands of rows and every read of
-- them scanned that many. Buckets are now fixed on a log scale, eight to each doubling of the time:
-- a value counts in the bucket k = floor(8·log2(ms)) and the bucket is named by its geometric
-- middle, 2^((k + 0.5) / 8) ms rounded, which is within 4.4% of every value in it. From 0.1 s to an
-- hour that is 121 buckets per decision, whatever the number of attempts.
CREATE OR REPLACE FUNCTION analytics_bucket(ms integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ms IS NULL THEN NULL WHEN ms <= 0 THEN 0
    ELSE round(power(2::float8, (floor(8 * ln(ms::float8) / ln(2::float8)) + 0.5) / 8))::integer END
$$;

-- The histograms again from the attempts, in the new buckets (what analytics_apply counts).
DELETE FROM analytics_times;
INSERT INTO analytics_times (cohort_id, scenario_id, node_id, bucket_ms, n)
SELECT cohort_id, scenario_id, node_id, bucket_ms, sum(n) FROM (
  SELECT a.cohort_id, a.scenario_id, d ->> 'node' AS node_id, analytics_bucket((d ->> 'ms')::integer) AS bucket_ms, count(*) AS n
  FROM attempts a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms' GROUP BY 1, 2, 3, 4
  UNION ALL
  SELECT a.cohort_id, a.scenario_id, '', analytics_bucket(a.duration_ms), count(*)
  FROM attempts a WHERE a.timed_by_server GROUP BY 1, 2, 3, 4
) x GROUP BY 1, 2, 3, 4;

-- A date range needs no aggregate of its own: the analytics of a range read that range's attempts
-- through attempts_cohort_started (cohort_id, started_at, id), as the report's dated cells do.

-- Trainee tokens across app servers (issue 15): each server remembers the tokens it has seen for a
-- while (Repository.findTraineeByToken). A trainee removed (by a lead, or with their cohort or lead),
-- merged into another or renamed is announced on a channel of this schema, after the commit, to
-- every server listening on this database, which forgets their tokens at once; a cohort renamed
-- ('*') makes them forget every token. PostgreSQL delivers a notification only to sessions of the
-- same database and drops it if nobody listens (PGlite: one server, which forgets by itself).
CREATE FUNCTION trainee_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('htl_trainee_tokens_' || current_schema(), CASE WHEN TG_TABLE_NAME = 'trainees' THEN OLD.id::text ELSE '*' END);
  RETURN NULL;
END
$$;
CREATE TRIGGER trainees_tokens_changed AFTER DELETE OR UPDATE OF name, cohort_id, token_hash ON trainees
  FOR EACH ROW EXECUTE FUNCTION trainee_tokens_changed();
CREATE TRIGGER cohorts_tokens_changed AFTER UPDATE OF name ON cohorts
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION trainee_tokens_changed();
