-- The insert's look-ups for a recording sent again and for another trainee's choices (issue 12:
-- the PostgreSQL backends' CPU per stored submission). For every row it inserts, the insert looks
-- for the earliest stored attempt with the same print (src/server/repository.ts, FOUND_FLAGS). With
-- an index on the print alone, each look-up was a sort of the matches, and the plan built a hash of
-- them to join the trainees' names: per row a sort and a hash table made and dropped, 13% of the
-- writing backend's CPU under bench:server (perf, 25,000 submissions). With the order in the index,
-- the earliest match is the index's first entry, and its trainee is read by key only when there is
-- one. Same flags, same attempts named.
DROP INDEX attempts_replay_print;
CREATE INDEX attempts_replay_print ON attempts (replay_print, received_at, id) WHERE replay_print IS NOT NULL;
DROP INDEX attempts_choice_print;
CREATE INDEX attempts_choice_print ON attempts (choice_print, received_at, id) WHERE choice_print IS NOT NULL;

-- No statistics for the attempts' steps, decisions and skills: no query filters, joins or groups
-- on them, and ANALYZE sorted their sampled values (long jsonb arrays, compared element by
-- element) to build them. autovacuum's ANALYZE of attempts on PostgreSQL, 20,000 bench:server
-- attempts: 720–760 ms of CPU, 350–380 ms without these three (5 runs each). Their flags keep theirs
-- (`flags <> '[]'` picks the flagged-attempts index).
ALTER TABLE attempts ALTER COLUMN steps SET STATISTICS 0;
ALTER TABLE attempts ALTER COLUMN decisions SET STATISTICS 0;
ALTER TABLE attempts ALTER COLUMN dimensions SET STATISTICS 0;
