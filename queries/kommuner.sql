-- kommuner: every kommun the register names, once, in Swedish order (the filter's choices).
-- Parameters: none.
-- Columns: kommun.
SELECT DISTINCT unnest(kommuner) AS kommun FROM insatser ORDER BY kommun COLLATE sv
