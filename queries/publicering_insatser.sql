-- publicering_insatser: the register as the publication's selections need it.
-- Parameters: none.
-- Columns: insats_id, typ, kommuner (list), sq and eq (quarter index of startdatum and
--          slutdatum: when the insats runs), forrehab.
SELECT insats_id, typ, kommuner, forrehab,
       year(startdatum) * 4 + (month(startdatum) - 1) // 3 AS sq,
       year(slutdatum) * 4 + (month(slutdatum) - 1) // 3 AS eq
FROM insatser ORDER BY insats_id
