-- The web page (serve) reads a month at a time and counts the catalogue by month: an index that
-- leads with the month and carries what those queries read (the picture, its size), so a month of
-- 5 000 places, or the overview's table of 300 000, is read from the index alone.
CREATE INDEX locations_month ON locations(month, hash, size);
