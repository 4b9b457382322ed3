-- What the insert compares to flag attempts (src/server/vouch.ts): sha256 of the caller and the
-- choices with their reply times (a recording sent again matches), and of the choices alone; and
-- the secrets every app server on this database shares (the key that signs attempt starts).
DROP INDEX attempts_fingerprint;
ALTER TABLE attempts DROP COLUMN fingerprint;
ALTER TABLE attempts ADD COLUMN replay_print text;
ALTER TABLE attempts ADD COLUMN choice_print text;
CREATE INDEX attempts_replay_print ON attempts (replay_print) WHERE replay_print IS NOT NULL;
CREATE INDEX attempts_choice_print ON attempts (choice_print) WHERE choice_print IS NOT NULL;

CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);
