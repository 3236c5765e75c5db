-- Picture identity (SPEC "The vault"): a place's hash is the picture the vault stores. A WeChat
-- .dat stored as the picture it hides also keeps its own bytes' hash and the recipe that rebuilds
-- it from the picture. Places catalogued before have neither: their file is their picture.

ALTER TABLE locations ADD COLUMN file_hash TEXT;  -- xxh64 of the file on disk; NULL: the same as hash
ALTER TABLE locations ADD COLUMN recipe TEXT;     -- JSON (media/dat.ts DatRecipe) that rebuilds the file; NULL: none
