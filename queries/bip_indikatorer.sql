-- bip_indikatorer: the BIP indicators of the current data in display order (data-contract.md,
-- bip.csv): the snapshot load's own bip_indikatorer.csv, else the default eleven (the view
-- bip_indikatorer in db.py). Ties in ordning go by the code.
-- Columns: indikator, namn, ordning.
SELECT indikator, namn, ordning FROM bip_indikatorer ORDER BY ordning, indikator
