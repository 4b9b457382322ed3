-- A cheaper attempt insert (issue 12: submissions ÷ raw inserts on PostgreSQL). What every stored
-- attempt paid for beyond the row itself, and what changes:
--
-- * The LRS outbox (migration 008) was queued by a row trigger: a plpgsql call and an insert
--   statement per attempt. One statement trigger now queues every inserted attempt at once from the
--   inserted rows (`REFERENCING NEW TABLE`), in the same transaction as before: an attempt is still
--   never stored without its queue row, whatever path stored it.
-- * attempts_trainee_scenario (trainee, caller, start; migration 001) was one more index entry per
--   attempt, and no query needs it: the lists and exports page on (cohort | trainee, started_at, id),
--   and the only readers that asked for (trainee, caller) rows are the rebuilds after a delete or an
--   update (migrations 011, 015), which read a trainee's attempts of one day, or all of them, through
--   attempts_trainee_started (trainee, started_at, id) as well: a trainee's attempts are few.

DROP TRIGGER attempts_lrs_outbox ON attempts;
DROP FUNCTION lrs_outbox_add();

CREATE FUNCTION lrs_outbox_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lrs_outbox (attempt_id) SELECT i.id FROM inserted_outbox i ORDER BY i.id ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
CREATE TRIGGER attempts_lrs_outbox AFTER INSERT ON attempts REFERENCING NEW TABLE AS inserted_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION lrs_outbox_add();

DROP INDEX attempts_trainee_scenario;
