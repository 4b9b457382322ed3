-- Attempt format 2: the seed the call was played with (option order, wording, starting anger) and
-- the mode. The replay needs the seed to reproduce the call; older attempts have none.
ALTER TABLE attempts ADD COLUMN seed text;
ALTER TABLE attempts ADD COLUMN mode text NOT NULL DEFAULT 'practice';
