-- Forwarding to an LRS (issue 15): every stored attempt is queued here by a trigger, so the queue row
-- is written in the attempt's own transaction (an attempt is never stored without it, whatever path
-- stored it). The statement is built from the attempt when it is sent (src/server/xapi.ts, its id
-- fixed by the attempt id), so a resend is the same statement. A row is deleted only after the LRS
-- acknowledged the statement. With LRS_URL unset nothing sends: the rows wait for one to be set.
CREATE TABLE lrs_outbox (
  attempt_id uuid PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  -- Not before this time (the backoff after a failure).
  next_at timestamptz NOT NULL DEFAULT now(),
  -- A server that claimed the row sends it until then; after, another may (it stopped or hung).
  lease_until timestamptz,
  leased_by text,
  tries integer NOT NULL DEFAULT 0,
  last_error text,
  last_tried_at timestamptz
);
CREATE INDEX lrs_outbox_due ON lrs_outbox (next_at, enqueued_at);

CREATE FUNCTION lrs_outbox_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lrs_outbox (attempt_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
CREATE TRIGGER attempts_lrs_outbox AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION lrs_outbox_add();
