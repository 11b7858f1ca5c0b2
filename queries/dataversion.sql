-- dataversion: what identifies the current data and its protection (inlast.data_version,
-- the key of every result kept per data version): the database's instance, the newest
-- active_seq, how many loads, the stored protection's hash.
-- Parameters: none.
-- Columns: instans, seq, laddningar, skydd.
SELECT (SELECT value FROM meta WHERE key = 'instance') AS instans,
       (SELECT max(active_seq) FROM loads) AS seq, (SELECT count(*) FROM loads) AS laddningar,
       (SELECT varde FROM skydd WHERE nyckel = 'hash') AS skydd
