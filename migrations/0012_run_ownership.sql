-- Which run a removed place belongs to (catalog/removals.ts): the latest run that lists it, found
-- by place. And the runs killed before this release: they were left `interrupted` with no counts;
-- what they are known to have removed is counted, and they say their counts are unknown (`killed`).

CREATE INDEX run_removals_location ON run_removals(location_id, run_id);

UPDATE runs SET
  outcome = 'killed',
  files = (SELECT count(*) FROM run_removals r WHERE r.run_id = runs.id AND r.removed = 1),
  bytes = (SELECT coalesce(sum(l.size), 0) FROM run_removals r JOIN locations l ON l.id = r.location_id WHERE r.run_id = runs.id AND r.removed = 1)
WHERE outcome = 'interrupted';
