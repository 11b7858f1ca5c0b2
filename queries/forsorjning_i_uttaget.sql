-- forsorjning_i_uttaget: whether the current data registers a source of support at avslut at
-- all (deltagare.csv's optional forsorjning_slut: an extract without the column, or with it
-- empty throughout, has none).
-- Parameters: none.
-- Columns: i_uttaget (boolean).
SELECT EXISTS (SELECT 1 FROM episoder WHERE forsorjning_slut IS NOT NULL) AS i_uttaget
