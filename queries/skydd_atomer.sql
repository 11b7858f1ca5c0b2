-- skydd_atomer: the stored protection's atoms, in order: each one's key and count.
-- Parameters: none.
-- Columns: atom, nyckel, antal.
SELECT atom, nyckel, antal FROM skydd_atom ORDER BY atom
