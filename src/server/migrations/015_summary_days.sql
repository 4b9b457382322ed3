-- Summaries per day (issue 12: the report and the analytics over a date range), and the insert's
-- summaries kept by one statement trigger.
--
-- A date range that covers part of a long history read the calls of the range (hundreds of ms for a
-- few weeks). Each aggregate is now kept per UTC day as well: a range reads the days it holds whole
-- from these tables and only its partial days at either end from the calls (src/server/repository/
-- analytics.ts), with the same figures. The day of a call is the UTC date of its server date
-- (started_at).
--
-- The insert: migration 002's row trigger (one plpgsql call and one upsert per attempt) and 011's
-- statement trigger (every inserted row copied whole, steps included, into an array that six
-- upserts unnested; their plans made again at each call) are replaced by one statement trigger
-- whose statements read the inserted rows directly and are planned once per connection. Each
-- upsert takes its rows in key order, so two inserts at once lock rows in the same order.
-- Deletes and updates (a trainee removed or merged, older attempts filled in) keep migration 011's
-- way for the all-time aggregates; the days subtract the old counts and add the new ones, and the
-- rows that hold a best or a latest call are made again from the attempts of their day.

CREATE FUNCTION summary_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;

-- Per cohort, day, trainee and caller: the report's cells and the analytics' counts of the day.
CREATE TABLE summary_days (
  cohort_id bigint NOT NULL,
  day date NOT NULL,
  trainee_id bigint NOT NULL,
  scenario_id text NOT NULL,
  attempts integer NOT NULL,
  passed integer NOT NULL,
  analysed integer NOT NULL,
  flagged integer NOT NULL,
  best double precision NOT NULL,
  last_id uuid NOT NULL,
  last_started_at timestamptz NOT NULL,
  last_total double precision NOT NULL,
  last_dimensions jsonb NOT NULL,
  PRIMARY KEY (cohort_id, day, trainee_id, scenario_id)
) WITH (fillfactor = 70);

CREATE TABLE rule_days (
  cohort_id bigint NOT NULL,
  day date NOT NULL,
  scenario_id text NOT NULL,
  rule_id text NOT NULL,
  trainee_id bigint NOT NULL,
  attempts integer NOT NULL,
  PRIMARY KEY (cohort_id, day, scenario_id, rule_id, trainee_id)
) WITH (fillfactor = 70);

-- Read one caller at a time: the caller before the day.
CREATE TABLE choice_days (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  day date NOT NULL,
  node_id text NOT NULL,
  choice_id text NOT NULL,
  trainee_id bigint NOT NULL,
  chosen integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, day, node_id, choice_id, trainee_id)
) WITH (fillfactor = 70);

-- Reply times per decision (one caller at a time) and whole calls (every caller at once), apart.
CREATE TABLE time_days (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  day date NOT NULL,
  node_id text NOT NULL,
  bucket_ms integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, day, node_id, bucket_ms)
) WITH (fillfactor = 70);

CREATE TABLE duration_days (
  cohort_id bigint NOT NULL,
  day date NOT NULL,
  scenario_id text NOT NULL,
  bucket_ms integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (cohort_id, day, scenario_id, bucket_ms)
) WITH (fillfactor = 70);

CREATE TABLE dimension_days (
  cohort_id bigint NOT NULL,
  day date NOT NULL,
  trainee_id bigint NOT NULL,
  scenario_id text NOT NULL,
  dimension text NOT NULL,
  total double precision NOT NULL,
  n integer NOT NULL,
  best double precision NOT NULL,
  PRIMARY KEY (cohort_id, day, trainee_id, scenario_id, dimension)
) WITH (fillfactor = 70);

CREATE TABLE flag_days (
  cohort_id bigint NOT NULL,
  day date NOT NULL,
  scenario_id text NOT NULL,
  kind text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (cohort_id, day, scenario_id, kind)
) WITH (fillfactor = 70);

-- Every summary row is updated in place many times: room on each page for the new versions, so that
-- an update needs no new index entry (a HOT update). The tables of 002 and 011 likewise, from now on.
ALTER TABLE attempt_summaries SET (fillfactor = 70);
ALTER TABLE analytics_callers SET (fillfactor = 70);
ALTER TABLE analytics_rules SET (fillfactor = 70);
ALTER TABLE analytics_choices SET (fillfactor = 70);
ALTER TABLE analytics_times SET (fillfactor = 70);
ALTER TABLE analytics_dimensions SET (fillfactor = 70);
ALTER TABLE analytics_flags SET (fillfactor = 70);

-- The insert: every summary from the inserted rows. Each statement reads the rows once, keeps the
-- day's figures and adds them up into the all-time ones (data-modifying WITH: one pass over the
-- decisions, skills, rules and flags of the inserted attempts for both).
CREATE FUNCTION attempts_summarise_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Per trainee and caller, a day at a time: the report's cells (all time, migration 002; per day) and the analytics' counts.
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
  ), callers AS (
    INSERT INTO analytics_callers AS s (cohort_id, scenario_id, trainee_id, attempts, passed, analysed, flagged)
    SELECT cohort_id, scenario_id, trainee_id, sum(attempts), sum(passed), sum(analysed), sum(flagged) FROM x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (cohort_id, scenario_id, trainee_id) DO UPDATE SET
      attempts = s.attempts + EXCLUDED.attempts, passed = s.passed + EXCLUDED.passed,
      analysed = s.analysed + EXCLUDED.analysed, flagged = s.flagged + EXCLUDED.flagged
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

  -- Rules broken.
  WITH x AS (
    SELECT a.cohort_id, summary_day(a.started_at) AS day, a.scenario_id, r.rule_id, a.trainee_id, count(*)::int AS attempts
    FROM inserted a, unnest(a.broken_rules) AS r (rule_id) GROUP BY 1, 2, 3, 4, 5
  ), days AS (
    INSERT INTO rule_days AS s (cohort_id, day, scenario_id, rule_id, trainee_id, attempts)
    SELECT * FROM x ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, day, scenario_id, rule_id, trainee_id) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts
  )
  INSERT INTO analytics_rules AS s (cohort_id, scenario_id, rule_id, trainee_id, attempts)
  SELECT cohort_id, scenario_id, rule_id, trainee_id, sum(attempts) FROM x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, scenario_id, rule_id, trainee_id) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts;

  -- Decisions: the options chosen, and the reply times with the whole calls' times.
  WITH e AS (
    SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at) AS day, a.trainee_id, d ->> 'node' AS node_id, d ->> 'choice' AS choice_id,
      CASE WHEN d ? 'ms' THEN analytics_bucket((d ->> 'ms')::integer) END AS bucket_ms, d ? 'ms' AS timed
    FROM inserted a, jsonb_array_elements(a.decisions) d
  ), c AS (
    SELECT cohort_id, scenario_id, day, node_id, choice_id, trainee_id, count(*)::int AS chosen FROM e GROUP BY 1, 2, 3, 4, 5, 6
  ), t AS (
    SELECT cohort_id, scenario_id, day, node_id, bucket_ms, count(*)::int AS n FROM e WHERE timed GROUP BY 1, 2, 3, 4, 5
  ), w AS (
    SELECT a.cohort_id, summary_day(a.started_at) AS day, a.scenario_id, analytics_bucket(a.duration_ms) AS bucket_ms, count(*)::int AS n
    FROM inserted a WHERE a.timed_by_server GROUP BY 1, 2, 3, 4
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
  )
  INSERT INTO analytics_times AS s (cohort_id, scenario_id, node_id, bucket_ms, n)
  SELECT cohort_id, scenario_id, node_id, bucket_ms, sum(n) FROM (
    SELECT cohort_id, scenario_id, node_id, bucket_ms, n FROM t
    UNION ALL
    SELECT cohort_id, scenario_id, '', bucket_ms, n FROM w
  ) y GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, scenario_id, node_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n;

  -- Skills.
  WITH x AS (
    SELECT a.cohort_id, summary_day(a.started_at) AS day, a.trainee_id, a.scenario_id, d.key AS dimension,
      sum(d.value::float8) AS total, count(*)::int AS n, max(d.value::float8) AS best
    FROM inserted a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4, 5
  ), days AS (
    INSERT INTO dimension_days AS s (cohort_id, day, trainee_id, scenario_id, dimension, total, n, best)
    SELECT * FROM x ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (cohort_id, day, trainee_id, scenario_id, dimension) DO UPDATE SET
      total = s.total + EXCLUDED.total, n = s.n + EXCLUDED.n, best = greatest(s.best, EXCLUDED.best)
  )
  INSERT INTO analytics_dimensions AS s (cohort_id, trainee_id, scenario_id, dimension, total, n, best)
  SELECT cohort_id, trainee_id, scenario_id, dimension, sum(total), sum(n), max(best) FROM x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, trainee_id, scenario_id, dimension) DO UPDATE SET
    total = s.total + EXCLUDED.total, n = s.n + EXCLUDED.n, best = greatest(s.best, EXCLUDED.best);

  -- Flags.
  WITH x AS (
    SELECT a.cohort_id, summary_day(a.started_at) AS day, a.scenario_id, f ->> 'kind' AS kind, count(*)::int AS n
    FROM inserted a, jsonb_array_elements(a.flags) f WHERE a.flags <> '[]'::jsonb GROUP BY 1, 2, 3, 4
  ), days AS (
    INSERT INTO flag_days AS s (cohort_id, day, scenario_id, kind, n)
    SELECT * FROM x ORDER BY 1, 2, 3, 4
    ON CONFLICT (cohort_id, day, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n
  )
  INSERT INTO analytics_flags AS s (cohort_id, scenario_id, kind, n)
  SELECT cohort_id, scenario_id, kind, sum(n) FROM x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (cohort_id, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n;
  RETURN NULL;
END
$$;

DROP TRIGGER attempts_summarise ON attempts;
DROP TRIGGER attempts_analytics_insert ON attempts;
DROP FUNCTION attempt_summaries_add();
DROP FUNCTION analytics_on_insert();
CREATE TRIGGER attempts_summarise_insert AFTER INSERT ON attempts REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION attempts_summarise_insert();

-- Deletes and updates: the days' counts without a best or a latest (times, durations, flags) are
-- subtracted (delta -1) or added (delta 1)…
CREATE FUNCTION summary_days_apply(batch attempts[], delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(batch), 0) = 0 THEN RETURN; END IF;
  INSERT INTO time_days AS s (cohort_id, scenario_id, day, node_id, bucket_ms, n)
  SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', analytics_bucket((d ->> 'ms')::integer), delta * count(*)
  FROM unnest(batch) a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (cohort_id, scenario_id, day, node_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n;
  INSERT INTO duration_days AS s (cohort_id, day, scenario_id, bucket_ms, n)
  SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, analytics_bucket(a.duration_ms), delta * count(*)
  FROM unnest(batch) a WHERE a.timed_by_server GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, day, scenario_id, bucket_ms) DO UPDATE SET n = s.n + EXCLUDED.n;
  INSERT INTO flag_days AS s (cohort_id, day, scenario_id, kind, n)
  SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, f ->> 'kind', delta * count(*)
  FROM unnest(batch) a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cohort_id, day, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n;
  DELETE FROM time_days WHERE n = 0 AND (cohort_id, scenario_id, day) IN (SELECT DISTINCT a.cohort_id, a.scenario_id, summary_day(a.started_at) FROM unnest(batch) a);
  DELETE FROM duration_days WHERE n = 0 AND (cohort_id, day, scenario_id) IN (SELECT DISTINCT a.cohort_id, summary_day(a.started_at), a.scenario_id FROM unnest(batch) a);
  DELETE FROM flag_days WHERE n = 0 AND (cohort_id, day, scenario_id) IN (SELECT DISTINCT a.cohort_id, summary_day(a.started_at), a.scenario_id FROM unnest(batch) a);
END
$$;

-- …and the rows per trainee (the report's cells with their best and latest call, rules, choices,
-- skills) of every (cohort, day, trainee, caller) the batch touched are made again from the
-- attempts of that day (the index on trainee, caller and start): a best cannot be subtracted.
-- The stored attempts of the (cohort, day, trainee, caller) keys of a batch (the index on trainee, caller and start).
CREATE FUNCTION summary_days_attempts(batch attempts[]) RETURNS SETOF attempts LANGUAGE sql STABLE AS $$
  SELECT a.* FROM (SELECT DISTINCT b.cohort_id, summary_day(b.started_at) AS day, b.trainee_id, b.scenario_id FROM unnest(batch) b) k
  JOIN attempts a ON a.trainee_id = k.trainee_id AND a.scenario_id = k.scenario_id AND a.cohort_id = k.cohort_id
    AND a.started_at >= k.day::timestamp AT TIME ZONE 'UTC' AND a.started_at < (k.day + 1)::timestamp AT TIME ZONE 'UTC'
$$;

CREATE FUNCTION summary_days_rebuild(batch attempts[]) RETURNS void LANGUAGE plpgsql AS $$
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
  -- The attempts of each key's day, as they are now.
  INSERT INTO summary_days (cohort_id, day, trainee_id, scenario_id, attempts, passed, analysed, flagged, best, last_id, last_started_at, last_total, last_dimensions)
  SELECT DISTINCT ON (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id) a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id,
    count(*) OVER w, count(*) FILTER (WHERE a.passed) OVER w, count(*) FILTER (WHERE a.decisions IS NOT NULL) OVER w,
    count(*) FILTER (WHERE a.flags <> '[]'::jsonb) OVER w, max(a.total) OVER w, a.id, a.started_at, a.total, a.dimensions
  FROM summary_days_attempts(batch) a WINDOW w AS (PARTITION BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id)
  ORDER BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC;
  INSERT INTO rule_days (cohort_id, day, scenario_id, rule_id, trainee_id, attempts)
  SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, r.rule_id, a.trainee_id, count(*)
  FROM summary_days_attempts(batch) a, unnest(a.broken_rules) AS r (rule_id) GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO choice_days (cohort_id, scenario_id, day, node_id, choice_id, trainee_id, chosen)
  SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', d ->> 'choice', a.trainee_id, count(*)
  FROM summary_days_attempts(batch) a, jsonb_array_elements(a.decisions) d GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO dimension_days (cohort_id, day, trainee_id, scenario_id, dimension, total, n, best)
  SELECT a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, d.key, sum(d.value::float8), count(*), max(d.value::float8)
  FROM summary_days_attempts(batch) a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4, 5;
END
$$;

-- Migration 011's delete and update triggers, with the days.
CREATE OR REPLACE FUNCTION analytics_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE old_rows attempts[] := ARRAY(SELECT ROW(o.*)::attempts FROM analytics_old o);
BEGIN
  PERFORM analytics_apply(old_rows, -1);
  PERFORM summary_days_apply(old_rows, -1);
  PERFORM summary_days_rebuild(old_rows);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION analytics_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_rows attempts[];
  new_rows attempts[];
BEGIN
  -- The all-time aggregates: only rows whose counted columns changed, the old subtracted, the new added (migration 011).
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(o.*)::attempts FROM analytics_old o JOIN analytics_new n ON n.id = o.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.passed, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server)), -1);
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(n.*)::attempts FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
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
  PERFORM summary_days_apply(old_rows, -1);
  PERFORM summary_days_apply(new_rows, 1);
  PERFORM summary_days_rebuild(old_rows || new_rows);
  RETURN NULL;
END
$$;

-- The days of the attempts already stored.
INSERT INTO summary_days (cohort_id, day, trainee_id, scenario_id, attempts, passed, analysed, flagged, best, last_id, last_started_at, last_total, last_dimensions)
SELECT DISTINCT ON (a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id) a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id,
  count(*) OVER w, count(*) FILTER (WHERE a.passed) OVER w, count(*) FILTER (WHERE a.decisions IS NOT NULL) OVER w,
  count(*) FILTER (WHERE a.flags <> '[]'::jsonb) OVER w, max(a.total) OVER w, a.id, a.started_at, a.total, a.dimensions
FROM attempts a WINDOW w AS (PARTITION BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id)
ORDER BY a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC;
INSERT INTO rule_days (cohort_id, day, scenario_id, rule_id, trainee_id, attempts)
SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, r.rule_id, a.trainee_id, count(*)
FROM attempts a, unnest(a.broken_rules) AS r (rule_id) GROUP BY 1, 2, 3, 4, 5;
INSERT INTO choice_days (cohort_id, scenario_id, day, node_id, choice_id, trainee_id, chosen)
SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', d ->> 'choice', a.trainee_id, count(*)
FROM attempts a, jsonb_array_elements(a.decisions) d GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO time_days (cohort_id, scenario_id, day, node_id, bucket_ms, n)
SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', analytics_bucket((d ->> 'ms')::integer), count(*)
FROM attempts a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms' GROUP BY 1, 2, 3, 4, 5;
INSERT INTO duration_days (cohort_id, day, scenario_id, bucket_ms, n)
SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, analytics_bucket(a.duration_ms), count(*)
FROM attempts a WHERE a.timed_by_server GROUP BY 1, 2, 3, 4;
INSERT INTO dimension_days (cohort_id, day, trainee_id, scenario_id, dimension, total, n, best)
SELECT a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, d.key, sum(d.value::float8), count(*), max(d.value::float8)
FROM attempts a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4, 5;
INSERT INTO flag_days (cohort_id, day, scenario_id, kind, n)
SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, f ->> 'kind', count(*)
FROM attempts a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3, 4;
