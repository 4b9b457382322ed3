-- Assignments (issue 15): a lead assigns a caller to a cohort, in practice or assessment mode, with
-- a due date and a number of attempts allowed. Every date is the server's.
CREATE TABLE assignments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  scenario_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('practice', 'assessment')),
  due_at timestamptz NOT NULL,
  attempts_allowed integer NOT NULL CHECK (attempts_allowed BETWEEN 1 AND 20),
  -- When the lead released the model call of an assessment (after its due date); null until then.
  released_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (cohort_id, scenario_id, mode)
);
CREATE INDEX assignments_cohort ON assignments (cohort_id);

-- The assignment a server start was made for: the starts are the attempts counted against it.
-- A removed assignment leaves its starts and attempts in place, unlinked.
ALTER TABLE attempt_starts ADD COLUMN assignment_id bigint REFERENCES assignments (id) ON DELETE SET NULL;
CREATE INDEX attempt_starts_assignment ON attempt_starts (assignment_id, trainee_id) WHERE assignment_id IS NOT NULL;

-- Set by the insert from the attempt's verified server start.
ALTER TABLE attempts ADD COLUMN assignment_id bigint REFERENCES assignments (id) ON DELETE SET NULL;
CREATE INDEX attempts_assignment ON attempts (assignment_id, trainee_id) WHERE assignment_id IS NOT NULL;
