-- How strong the check was that marked an archive damaged: a mark is cleared (or replaced) only by
-- a check at least as strong (SPEC invariant 1), or by repair, which moves the zip aside.
--   1  structure: the zip is there, its bytes hash to its name, it opens, its manifest reads
--      (plain verify)
--   2  data: every stored image re-hashed as well (verify --read-data, reindex, clean's read-back,
--      repair)
-- A mark set before this migration is of unknown strength: taken as the strongest, so only a
-- check that re-reads every image (or repair) clears it.

ALTER TABLE archives ADD COLUMN damage_strength INTEGER;  -- NULL when the archive is not marked damaged
UPDATE archives SET damage_strength = 2 WHERE damage IS NOT NULL;
