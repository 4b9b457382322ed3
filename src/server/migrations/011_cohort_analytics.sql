-- Cohort analytics (src/server/analytics.ts, src/server/repository/analytics.ts). The summaries of
-- migration 002 hold best, last and passed per trainee and caller; the analytics also need what each
-- attempt broke and chose and how long each answer took. So each attempt keeps the rules it broke
-- and its decisions, and statement triggers keep aggregates of them, so that the lead's analytics
-- read a few thousand rows whatever the length of the history. An insert adds, a delete subtracts,
-- an update (a trainee merged into another, older attempts filled in) subtracts the old and adds
-- the new: the aggregates stay right when attempts move or go.

-- The rules the attempt broke (each once) and its decisions in order: [{"node", "choice", "ms"}],
-- "ms" the reply time the device recorded. Null for attempts stored before this migration until the
-- server replays them at start-up (Repository.fillAnalyticsFacts).
ALTER TABLE attempts ADD COLUMN broken_rules text[];
ALTER TABLE attempts ADD COLUMN decisions jsonb;

-- Per cohort, caller and trainee: attempts, passed, with facts (analysed), flagged.
CREATE TABLE analytics_callers (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  trainee_id bigint NOT NULL,
  attempts integer NOT NULL,
  passed integer NOT NULL,
  analysed integer NOT NULL,
  flagged integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, trainee_id)
);

-- Attempts that broke a rule, per cohort, caller, rule and trainee.
CREATE TABLE analytics_rules (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  rule_id text NOT NULL,
  trainee_id bigint NOT NULL,
  attempts integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, rule_id, trainee_id)
);

-- Times each option was chosen, per cohort, caller, decision, option (by choice id: the order shown
-- differs per attempt) and trainee.
CREATE TABLE analytics_choices (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  node_id text NOT NULL,
  choice_id text NOT NULL,
  trainee_id bigint NOT NULL,
  chosen integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, node_id, choice_id, trainee_id)
);

-- How long answers took, as a histogram: per decision (node_id; the device's reply times) and per
-- whole call (node_id '': start to receipt as the server timed it; attempts it timed only). Buckets
-- are exact to 10 ms below 10 s, to 100 ms below 100 s, to 1 s beyond (analytics_bucket).
CREATE TABLE analytics_times (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  node_id text NOT NULL,
  bucket_ms integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, node_id, bucket_ms)
);

-- Per trainee, caller and skill: the sum and number of scores (average) and the best.
CREATE TABLE analytics_dimensions (
  cohort_id bigint NOT NULL,
  trainee_id bigint NOT NULL,
  scenario_id text NOT NULL,
  dimension text NOT NULL,
  total double precision NOT NULL,
  n integer NOT NULL,
  best double precision NOT NULL,
  PRIMARY KEY (cohort_id, trainee_id, scenario_id, dimension)
);

-- Flagged attempts per cohort, caller and kind of flag.
CREATE TABLE analytics_flags (
  cohort_id bigint NOT NULL,
  scenario_id text NOT NULL,
  kind text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (cohort_id, scenario_id, kind)
);

-- The latest flagged attempts of a cohort, newest first.
CREATE INDEX attempts_flagged ON attempts (cohort_id, started_at DESC, id DESC) WHERE flags <> '[]'::jsonb;

CREATE FUNCTION analytics_bucket(ms integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN ms < 10000 THEN ms / 10 * 10 WHEN ms < 100000 THEN ms / 100 * 100 ELSE ms / 1000 * 1000 END
$$;

-- Adds (delta 1) or subtracts (delta -1) attempts to or from every aggregate.
CREATE FUNCTION analytics_apply(batch attempts[], delta integer) RETURNS void LANGUAGE plpgsql AS $$
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
      WHERE x.trainee_id = s.trainee_id AND x.scenario_id = s.scenario_id AND x.cohort_id = s.cohort_id), 0)
    WHERE (s.cohort_id, s.trainee_id, s.scenario_id) IN (SELECT DISTINCT a.cohort_id, a.trainee_id, a.scenario_id FROM unnest(batch) a);
  END IF;

  INSERT INTO analytics_flags AS s (cohort_id, scenario_id, kind, n)
  SELECT a.cohort_id, a.scenario_id, f ->> 'kind', delta * count(*)
  FROM unnest(batch) a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3
  ON CONFLICT (cohort_id, scenario_id, kind) DO UPDATE SET n = s.n + EXCLUDED.n;
END
$$;

CREATE FUNCTION analytics_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply(ARRAY(SELECT ROW(n.*)::attempts FROM analytics_new n), 1);
  RETURN NULL;
END
$$;

CREATE FUNCTION analytics_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply(ARRAY(SELECT ROW(o.*)::attempts FROM analytics_old o), -1);
  RETURN NULL;
END
$$;

-- Only rows whose counted columns changed: the old subtracted, the new added.
CREATE FUNCTION analytics_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(o.*)::attempts FROM analytics_old o JOIN analytics_new n ON n.id = o.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.passed, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server)), -1);
  PERFORM analytics_apply(ARRAY(
    SELECT ROW(n.*)::attempts FROM analytics_new n JOIN analytics_old o ON o.id = n.id
    WHERE (o.cohort_id, o.trainee_id, o.scenario_id, o.passed, o.dimensions, o.flags, o.broken_rules, o.decisions, o.duration_ms, o.timed_by_server)
      IS DISTINCT FROM (n.cohort_id, n.trainee_id, n.scenario_id, n.passed, n.dimensions, n.flags, n.broken_rules, n.decisions, n.duration_ms, n.timed_by_server)), 1);
  RETURN NULL;
END
$$;

CREATE TRIGGER attempts_analytics_insert AFTER INSERT ON attempts REFERENCING NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_insert();
CREATE TRIGGER attempts_analytics_delete AFTER DELETE ON attempts REFERENCING OLD TABLE AS analytics_old
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_delete();
CREATE TRIGGER attempts_analytics_update AFTER UPDATE ON attempts REFERENCING OLD TABLE AS analytics_old NEW TABLE AS analytics_new
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_update();

-- Attempts stored before this migration, a trainee at a time: their counts, skills, times and flags
-- now; their rules and decisions when the server fills them in (an update, counted as above).
DO $$
DECLARE t bigint;
BEGIN
  FOR t IN SELECT id FROM trainees LOOP
    PERFORM analytics_apply(ARRAY(SELECT a FROM attempts a WHERE a.trainee_id = t), 1);
  END LOOP;
END
$$;
