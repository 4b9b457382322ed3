-- Administration (issue 15): roles of leads, passwords an admin set, trainee records merged into
-- one, and the log of administrative actions.

-- An admin adds and removes leads, resets their passwords and sets roles; a trainer edits callers
-- (the studio). The oldest lead becomes both, so every existing install keeps one admin.
ALTER TABLE leads ADD COLUMN is_admin boolean NOT NULL DEFAULT false;
ALTER TABLE leads ADD COLUMN is_trainer boolean NOT NULL DEFAULT false;
UPDATE leads SET is_admin = true, is_trainer = true WHERE id = (SELECT id FROM leads ORDER BY created_at, id LIMIT 1);

-- A password an admin set (a new lead, a reset): the lead chooses their own before anything else.
ALTER TABLE leads ADD COLUMN password_temporary boolean NOT NULL DEFAULT false;

-- The tokens of trainee records merged into another: the devices that joined as either keep working
-- and send to the one record.
CREATE TABLE trainee_token_aliases (
  token_hash text PRIMARY KEY,
  trainee_id bigint NOT NULL REFERENCES trainees (id) ON DELETE CASCADE
);
CREATE INDEX trainee_token_aliases_trainee ON trainee_token_aliases (trainee_id);

-- Who did what, from where: never a password, a token or a join code.
CREATE TABLE admin_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES leads (id) ON DELETE SET NULL,
  actor text NOT NULL,
  via text NOT NULL CHECK (via IN ('dashboard', 'cli')),
  action text NOT NULL,
  target text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX admin_log_at ON admin_log (at DESC, id DESC);
