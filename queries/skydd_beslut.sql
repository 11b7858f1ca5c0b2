-- skydd_beslut: how the stored protection of small numbers was decided (JSON: the data and
-- threshold it is of, and more; dashboard/beslut.py writes it).
-- Parameters: none.
-- Columns: varde; no row when none is stored.
SELECT varde FROM skydd WHERE nyckel = 'beslut'
