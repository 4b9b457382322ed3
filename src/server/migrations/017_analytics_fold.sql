-- The cohort analytics folded in the background (issue 12: the CPU a stored submission costs the
-- database). Until now each insert upserted every aggregate of migrations 011/013/015 from its
-- statement trigger: about 45 summary rows per attempt, the analytics' choices and times the
-- largest part. The report's summaries (attempt_summaries, summary_days) are still kept at insert;
-- the analytics' aggregates (analytics_callers, _rules, _choices, _times, _dimensions, _flags and
-- rule_days, choice_days, time_days, duration_days, dimension_days, flag_days) are now added up by
-- analytics_fold, many attempts at a time, grouped before each upsert.
--
-- * An insert queues its attempts in analytics_pending (one small row each) in the same transaction
--   as the attempts: an attempt is never stored without its queue row.
-- * analytics_fold(n) takes up to n queued attempts (FOR UPDATE SKIP LOCKED), deletes their queue
--   rows and adds them to every aggregate, in one statement and so one transaction: a crash
--   mid-fold leaves both as they were. One fold at a time per schema (a transaction advisory lock):
--   a second server's fold that finds it taken returns -1 and tries at its next turn.
-- * Every analytics read adds the queued attempts of its cohort to the aggregates
--   (src/server/repository/analytics.ts) in the same statement, so it is exact whatever the fold has
--   reached: an acknowledged attempt is in every figure.
-- * A delete or an update of attempts (a trainee removed or merged, older attempts filled in) takes
--   the same lock, waiting for a fold under way to commit, and holds it to its own commit. Its
--   attempts that were still queued were never added: it drops their queue rows and subtracts
--   nothing for them (an update leaves them queued, to be folded as they are now). The rows it makes
--   again from the attempts of their day (rules, choices, skills per day) leave out queued attempts,
--   which the fold adds later.

CREATE TABLE analytics_pending (
  cohort_id bigint NOT NULL,
  attempt_id uuid NOT NULL,
  PRIMARY KEY (cohort_id, attempt_id)
);

-- The lock of the fold, per schema (tests run many schemas in one database).
CREATE FUNCTION analytics_fold_key() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT hashtext('htl_analytics_fold_' || current_schema()) $$;

-- Folds up to max_rows queued attempts (all when null), the fold lock already held; how many it folded.
-- Its one statement is planned once per connection and kept (a generic plan: a custom plan for each
-- max_rows was most of a small fold's time).
CREATE FUNCTION analytics_fold_locked(max_rows integer) RETURNS integer LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE folded integer;
BEGIN
  -- The queue rows by their place (a TID scan) and each attempt by its key (OFFSET 0 keeps the
  -- subquery a nested loop over the primary key): the plan is made once, on whatever the tables
  -- held then, and must not become a scan of every attempt as they grow.
  WITH picked AS (
    SELECT ctid AS tid FROM analytics_pending ORDER BY cohort_id, attempt_id LIMIT max_rows FOR UPDATE SKIP LOCKED
  ), gone AS (
    DELETE FROM analytics_pending WHERE ctid = ANY (ARRAY(SELECT tid FROM picked)) RETURNING attempt_id
  ), a AS MATERIALIZED (
    SELECT a.* FROM gone CROSS JOIN LATERAL (
      SELECT x.cohort_id, x.scenario_id, x.trainee_id, summary_day(x.started_at) AS day, x.passed, x.decisions, x.flags, x.broken_rules, x.dimensions,
        x.duration_ms, x.timed_by_server
      FROM attempts x WHERE x.id = gone.attempt_id OFFSET 0) a
  ), callers AS (
    INSERT INTO analytics_callers AS s (cohort_id, scenario_id, trainee_id, attempts, passed, analysed, flagged)
    SELECT cohort_id, scenario_id, trainee_id, count(*), count(*) FILTER (WHERE passed), count(*) FILTER (WHERE decisions IS NOT NULL),
      count(*) FILTER (WHERE flags <> '[]'::jsonb)
    FROM a GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (cohort_id, scenario_id, trainee_id) DO UPDATE SET
      attempts = s.attempts + EXCLUDED.attempts, passed = s.passed + EXCLUDED.passed,
      analysed = s.analysed + EXCLUDED.analysed, flagged = s.flagged + EXCLUDED.flagged
  ), r AS (
    SELECT a.cohort_id, a.day, a.scenario_id, x.rule_id, a.trainee_id, count(*)::int AS attempts
    FROM a, unnest(a.broken_rules) AS x (rule_id) GROUP BY 1, 2, 3, 4, 5
  ), rule_day AS (
    INSERT INTO rule_days AS s (cohort_id, day, scenario_id, rule_id, trainee_id, attempts)
    SELECT * FROM r ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, day, scenario_id, rule_id, trainee_id) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts
  ), rule_all AS (
    INSERT INTO analytics_rules AS s (cohort_id, scenario_id, rule_id, trainee_id, attempts)
    SELECT cohort_id, scenario_id, rule_id, trainee_id, sum(attempts) FROM r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, scenario_id, rule_id, trainee_id) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts
  ), e AS (
    SELECT a.cohort_id, a.scenario_id, a.day, a.trainee_id, d ->> 'node' AS node_id, d ->> 'choice' AS choice_id,
      CASE WHEN d ? 'ms' THEN analytics_bucket((d ->> 'ms')::integer) END AS bucket_ms, d ? 'ms' AS timed
    FROM a, jsonb_array_elements(a.decisions) d
  ), c AS (
    SELECT cohort_id, scenario_id, day, node_id, choice_id, trainee_id, count(*)::int AS chosen FROM e GROUP BY 1, 2, 3, 4, 5, 6
  ), t AS (
    SELECT cohort_id, scenario_id, day, node_id, bucket_ms, count(*)::int AS n FROM e WHERE timed GROUP BY 1, 2, 3, 4, 5
  ), w AS (
    SELECT cohort_id, day, scenario_id, analytics_bucket(duration_ms) AS bucket_ms, count(*)::int AS n FROM a WHERE timed_by_server GROUP BY 1, 2, 3, 4
  ), choice_day AS (
    INSERT INTO choice_days AS s (cohort_id, scenario_id, day, node_id, choice_id, trainee_id, chosen)
    SELECT * FROM c ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (cohort_id, scenario_id, day, node_id, choice_id, trainee_id) DO UPDATE SET chosen = s.chosen + EXCLUDED.chosen
  ), choice_all AS (
    INSERT INTO analytics_choices AS s (cohort_id, scenario_id, node_id, choice_id, trainee_id, chosen)
    SELECT cohort_id, scenario_id, node_id, choice_id, trainee_id, sum(chosen) FROM c GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, scenario_id, node_id, choice_id, trainee_id) DO UPDATE SET chosen = s.chosen + EXCLUDED.chosen
  ), time_day AS (
    INSERT INTO time_days AS s (cohort_id, scenario_id, day, node_id, bucket_ms, n)
    SELECT * FROM t ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, scenario_id, day, node_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n
  ), duration_day AS (
    INSERT INTO duration_days AS s (cohort_id, day, scenario_id, bucket_ms, n)
    SELECT * FROM w ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, day, scenario_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n
  ), time_all AS (
    INSERT INTO analytics_times AS s (cohort_id, scenario_id, node_id, bucket_ms, n)
    SELECT cohort_id, scenario_id, node_id, bucket_ms, sum(n) FROM (
      SELECT cohort_id, scenario_id, node_id, bucket_ms, n FROM t
      UNION ALL
      SELECT cohort_id, scenario_id, '', bucket_ms, n FROM w
    ) y GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, scenario_id, node_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n
  ), dm AS (
    SELECT a.cohort_id, a.day, a.trainee_id, a.scenario_id, d.key AS dimension, sum(d.value::float8) AS total, count(*)::int AS n, max(d.value::float8) AS best
    FROM a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4, 5
  ), dimension_day AS (
    INSERT INTO dimension_days AS s (cohort_id, day, trainee_id, scenario_id, dimension, total, n, best)
    SELECT * FROM dm ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, day, trainee_id, scenario_id, dimension) DO UPDATE SET
      total = s.total + EXCLUDED.total, n = s.n + EXCLUDED.n, best = greatest(s.best, EXCLUDED.best)
  ), dimension_all AS (
    INSERT INTO analytics_dimensions AS s (cohort_id, trainee_id, scenario_id, dimension, total, n, best)
    SELECT cohort_id, trainee_id, scenario_id, dimension, sum(total), sum(n), max(best) FROM dm GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, trainee_id, scenario_id, dimension) DO UPDATE SET
      total = s.total + EXCLUDED.total, n = s.n + EXCLUDED.n, best = greatest(s.best, EXCLUDED.best)
  ), fl AS (
    SELECT a.cohort_id, a.day, a.scenario_id, f ->> 'kind' AS kind, count(*)::int AS n
    FROM a, jsonb_array_elements(a.flags) f WHERE a.flags <> '[]'::jsonb GROUP BY 1, 2, 3, 4
  ), flag_day AS (
    INSERT INTO flag_days AS s (cohort_id, day, scenario_id, kind, n)
    SELECT * FROM fl ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, day, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n
  ), flag_all AS (
    INSERT INTO analytics_flags AS s (cohort_id, scenario_id, kind, n)
    SELECT cohort_id, scenario_id, kind, sum(n) FROM fl GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (cohort_id, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n
  )
  SELECT count(*)::int INTO folded FROM gone;
  RETURN folded;
END
$$;

-- What the servers call: -1 when another fold holds the lock (it is not waited for), else how many it folded.
-- Its commit does not wait for the disk (synchronous_commit off for its transaction): a fold lost
-- in a crash is lost whole, queue rows and aggregates together, and done again; on PGlite, whose
-- one thread also serves the submissions, that is one fsync less per fold.
CREATE FUNCTION analytics_fold(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(analytics_fold_key()) THEN RETURN -1; END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN analytics_fold_locked(max_rows);
END
$$;

-- The insert: migration 015's trigger without the analytics, which it queues instead.
CREATE OR REPLACE FUNCTION attempts_summarise_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_pending (cohort_id, attempt_id) SELECT i.cohort_id, i.id FROM inserted i ORDER BY 1, 2;

  -- Per trainee and caller, a day at a time: the report's cells (all time, migration 002; per day, with the analytics' counts of the day).
  WITH x AS (
    SELECT DISTINCT ON (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id) a.cohort_id, summary_day(a.started_at) AS day, a.trainee_id, a.scenario_id,
      count(*) OVER w AS attempts, count(*) FILTER (WHERE a.passed) OVER w AS passed, count(*) FILTER (WHERE a.decisions IS NOT NULL) OVER w AS analysed,
      count(*) FILTER (WHERE a.flags <> '[]'::jsonb) OVER w AS flagged, max(a.total) OVER w AS best,
      a.id AS last_id, a.started_at AS last_started_at, a.total AS last_total, a.dimensions AS last_dimensions
    FROM inserted a WINDOW w AS (PARTITION BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id)
    ORDER BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC
  ), days AS (
    INSERT INTO summary_days AS s (cohort_id, day, trainee_id, scenario_id, attempts, passed, analysed, flagged, best, last_id, last_started_at, last_total, last_dimensions)
    SELECT * FROM x ORDER BY cohort_id, day, trainee_id, scenario_id
    ON CONFLICT (cohort_id, day, trainee_id, scenario_id) DO UPDATE SET
      attempts = s.attempts + EXCLUDED.attempts, passed = s.passed + EXCLUDED.passed,
      analysed = s.analysed + EXCLUDED.analysed, flagged = s.flagged + EXCLUDED.flagged,
      best = greatest(s.best, EXCLUDED.best),
      last_id = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_id ELSE s.last_id END,
      last_total = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_total ELSE s.last_total END,
      last_dimensions = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_dimensions ELSE s.last_dimensions END,
      last_started_at = greatest(s.last_started_at, EXCLUDED.last_started_at)
  )
  INSERT INTO attempt_summaries AS s (trainee_id, scenario_id, cohort_id, attempts, best, passed, last_id, last_started_at, last_total, last_dimensions)
  SELECT DISTINCT ON (trainee_id, scenario_id) trainee_id, scenario_id, cohort_id, sum(attempts) OVER w, max(best) OVER w, bool_or(passed > 0) OVER w,
    last_id, last_started_at, last_total, last_dimensions
  FROM x WINDOW w AS (PARTITION BY trainee_id, scenario_id)
  ORDER BY trainee_id, scenario_id, last_started_at DESC, last_id DESC
  ON CONFLICT (trainee_id, scenario_id) DO UPDATE SET
    attempts = s.attempts + EXCLUDED.attempts,
    best = greatest(s.best, EXCLUDED.best),
    passed = s.passed OR EXCLUDED.passed,
    last_id = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_id ELSE s.last_id END,
    last_total = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_total ELSE s.last_total END,
    last_dimensions = CASE WHEN (EXCLUDED.last_started_at, EXCLUDED.last_id) > (s.last_started_at, s.last_id) THEN EXCLUDED.last_dimensions ELSE s.last_dimensions END,
    last_started_at = greatest(s.last_started_at, EXCLUDED.last_started_at);
  RETURN NULL;
END
$$;

-- Migration 015's rebuild of the rows per trainee of the days a delete or an update touched: the
-- report's cells from every attempt of the day, the analytics' rows (rules, choices, skills) from
-- those already folded (the fold adds the queued ones).
CREATE OR REPLACE FUNCTION summary_days_rebuild(batch attempts[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(batch), 0) = 0 THEN RETURN; END IF;
  DELETE FROM summary_days s USING unnest(batch) a
    WHERE (s.cohort_id, s.day, s.trainee_id, s.scenario_id) = (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id);
  DELETE FROM rule_days s USING unnest(batch) a
    WHERE (s.cohort_id, s.day, s.trainee_id, s.scenario_id) = (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id);
  DELETE FROM choice_days s USING unnest(batch) a
    WHERE (s.cohort_id, s.day, s.trainee_id, s.scenario_id) = (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id);
  DELETE FROM dimension_days s USING unnest(batch) a
    WHERE (s.cohort_id, s.day, s.trainee_id, s.scenario_id) = (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id);
  INSERT INTO summary_days (cohort_id, day, trainee_id, scenario_id, attempts, passed, analysed, flagged, best, last_id, last_started_at, last_total, last_dimensions)
  SELECT DISTINCT ON (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id) a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id,
    count(*) OVER w, count(*) FILTER (WHERE a.passed) OVER w, count(*) FILTER (WHERE a.decisions IS NOT NULL) OVER w,
    count(*) FILTER (WHERE a.flags <> '[]'::jsonb) OVER w, max(a.total) OVER w, a.id, a.started_at, a.total, a.dimensions
  FROM summary_days_attempts(batch) a WINDOW w AS (PARTITION BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id)
  ORDER BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC;
  INSERT INTO rule_days (cohort_id, day, scenario_id, rule_id, trainee_id, attempts)
  SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, r.rule_id, a.trainee_id, count(*)
  FROM summary_days_attempts(batch) a, unnest(a.broken_rules) AS r (rule_id)
  WHERE NOT EXISTS (SELECT 1 FROM analytics_pending p WHERE p.cohort_id = a.cohort_id AND p.attempt_id = a.id) GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO choice_days (cohort_id, scenario_id, day, node_id, choice_id, trainee_id, chosen)
  SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', d ->> 'choice', a.trainee_id, count(*)
  FROM summary_days_attempts(batch) a, jsonb_array_elements(a.decisions) d
  WHERE NOT EXISTS (SELECT 1 FROM analytics_pending p WHERE p.cohort_id = a.cohort_id AND p.attempt_id = a.id) GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO dimension_days (cohort_id, day, trainee_id, scenario_id, dimension, total, n, best)
  SELECT a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, d.key, sum(d.value::float8), count(*), max(d.value::float8)
  FROM summary_days_attempts(batch) a, jsonb_each_text(a.dimensions) d
  WHERE NOT EXISTS (SELECT 1 FROM analytics_pending p WHERE p.cohort_id = a.cohort_id AND p.attempt_id = a.id) GROUP BY 1, 2, 3, 4, 5;
END
$$;

-- Migration 011's add-or-subtract of attempts already folded: a best taken again after a subtraction
-- reads the folded attempts only (a queued one may yet be deleted or moved before it is folded).
CREATE OR REPLACE FUNCTION analytics_apply(batch attempts[], delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(batch), 0) = 0 THEN RETURN; END IF;

  INSERT INTO analytics_callers AS s (cohort_id, scenario_id, trainee_id, attempts, passed, analysed, flagged)
  SELECT a.cohort_id, a.scenario_id, a.trainee_id, delta * count(*), delta * count(*) FILTER (WHERE a.passed),
    delta * count(*) FILTER (WHERE a.decisions IS NOT NULL), delta * count(*) FILTER (WHERE a.flags <> '[]'::jsonb)
  FROM unnest(batch) a GROUP BY 1, 2, 3
  ON CONFLICT (cohort_id, scenario_id, trainee_id) DO UPDATE SET
    attempts = s.attempts + EXCLUDED.attempts, passed = s.passed + EXCLUDED.passed,
    analysed = s.analysed + EXCLUDED.analysed, flagged = s.flagged + EXCLUDED.flagged;

  INSERT INTO analytics_rules AS s (cohort_id, scenario_id, rule_id, trainee_id, attempts)
  SELECT a.cohort_id, a.scenario_id, r.rule_id, a.trainee_id, delta * count(*)
  FROM unnest(batch) a, unnest(a.broken_rules) AS r (rule_id) GROUP BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, scenario_id, rule_id, trainee_id) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts;

  INSERT INTO analytics_choices AS s (cohort_id, scenario_id, node_id, choice_id, trainee_id, chosen)
  SELECT a.cohort_id, a.scenario_id, d ->> 'node', d ->> 'choice', a.trainee_id, delta * count(*)
  FROM unnest(batch) a, jsonb_array_elements(a.decisions) d GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (cohort_id, scenario_id, node_id, choice_id, trainee_id) DO UPDATE SET chosen = s.chosen + EXCLUDED.chosen;

  INSERT INTO analytics_times AS s (cohort_id, scenario_id, node_id, bucket_ms, n)
  SELECT cohort_id, scenario_id, node_id, bucket_ms, delta * sum(n) FROM (
    SELECT a.cohort_id, a.scenario_id, d ->> 'node' AS node_id, analytics_bucket((d ->> 'ms')::integer) AS bucket_ms, count(*) AS n
    FROM unnest(batch) a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms' GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT a.cohort_id, a.scenario_id, '', analytics_bucket(a.duration_ms), count(*)
    FROM unnest(batch) a WHERE a.timed_by_server GROUP BY 1, 2, 3, 4
  ) x GROUP BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, scenario_id, node_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n;

  INSERT INTO analytics_dimensions AS s (cohort_id, trainee_id, scenario_id, dimension, total, n, best)
  SELECT a.cohort_id, a.trainee_id, a.scenario_id, d.key, delta * sum(d.value::float8), delta * count(*), max(d.value::float8)
  FROM unnest(batch) a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, trainee_id, scenario_id, dimension) DO UPDATE SET
    total = s.total + EXCLUDED.total, n = s.n + EXCLUDED.n,
    best = CASE WHEN delta > 0 THEN greatest(s.best, EXCLUDED.best) ELSE s.best END;
  IF delta < 0 THEN
    -- A best cannot be subtracted: read it again from the attempts that remain (index on trainee, caller).
    UPDATE analytics_dimensions s SET best = coalesce((
      SELECT max((x.dimensions ->> s.dimension)::float8) FROM attempts x
      WHERE x.trainee_id = s.trainee_id AND x.scenario_id = s.scenario_id AND x.cohort_id = s.cohort_id
        AND NOT EXISTS (SELECT 1 FROM analytics_pending p WHERE p.cohort_id = x.cohort_id AND p.attempt_id = x.id)), 0)
    WHERE (s.cohort_id, s.trainee_id, s.scenario_id) IN (SELECT DISTINCT a.cohort_id, a.trainee_id, a.scenario_id FROM unnest(batch) a);
  END IF;

  INSERT INTO analytics_flags AS s (cohort_id, scenario_id, kind, n)
  SELECT a.cohort_id, a.scenario_id, f ->> 'kind', delta * count(*)
  FROM unnest(batch) a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3
  ON CONFLICT (cohort_id, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n;
END
$$;

CREATE OR REPLACE FUNCTION analytics_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  queued uuid[];
  old_rows attempts[];
BEGIN
  PERFORM pg_advisory_xact_lock(analytics_fold_key());
  -- Deleted before they were folded: never added, so nothing to subtract.
  WITH gone AS (
    DELETE FROM analytics_pending p USING analytics_old o WHERE p.cohort_id = o.cohort_id AND p.attempt_id = o.id RETURNING p.attempt_id
  ) SELECT coalesce(array_agg(attempt_id), '{}') INTO queued FROM gone;
  old_rows := ARRAY(SELECT ROW(o.*)::attempts FROM analytics_old o WHERE o.id <> ALL (queued));
  PERFORM analytics_apply(old_rows, -1);
  PERFORM summary_days_apply(old_rows, -1);
  -- Every day touched: the report's cells count the queued attempts too.
  PERFORM summary_days_rebuild(ARRAY(SELECT ROW(o.*)::attempts FROM analytics_old o));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION analytics_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  queued uuid[];
  old_rows attempts[];
  new_rows attempts[];
BEGIN
  PERFORM pg_advisory_xact_lock(analytics_fold_key());
  -- Still queued: the fold will count them as they are now (in the cohort they are now in).
  WITH moved AS (
    UPDATE analytics_pending p SET cohort_id = n.cohort_id FROM analytics_old o JOIN analytics_new n ON n.id = o.id
    WHERE p.cohort_id = o.cohort_id AND p.attempt_id = o.id RETURNING p.attempt_id
  ) SELECT coalesce(array_agg(attempt_id), '{}') INTO queued FROM moved;
  -- The all-time aggregates: only rows already folded whose counted columns changed, the old subtracted, the new added (migration 011).
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(o.*)::attempts FROM analytics_old o JOIN analytics_new n ON n.id = o.id
    WHERE o.id <> ALL (queued) AND (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.passed, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server)), -1);
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(n.*)::attempts FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE n.id <> ALL (queued) AND (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.passed, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server)), 1);
  -- The days: also the date, the score and the id that make a day's best and latest.
  old_rows := ARRAY(
    SELECT ROW(o.*)::attempts FROM analytics_old o JOIN analytics_new n ON n.id = o.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.started_at, o.passed, o.total, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.started_at, n.passed, n.total, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server));
  new_rows := ARRAY(
    SELECT ROW(n.*)::attempts FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.started_at, o.passed, o.total, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.started_at, n.passed, n.total, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server));
  -- Times, durations and flags per day: subtracted and added for the folded ones only.
  PERFORM summary_days_apply(ARRAY(SELECT x FROM unnest(old_rows) x WHERE x.id <> ALL (queued)), -1);
  PERFORM summary_days_apply(ARRAY(SELECT x FROM unnest(new_rows) x WHERE x.id <> ALL (queued)), 1);
  PERFORM summary_days_rebuild(old_rows || new_rows);
  RETURN NULL;
END
$$;
