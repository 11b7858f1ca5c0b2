-- laddning_lampor_nya: the goal lights of an extract's kvartalsrapport rows before they are
-- stored, by the same lampa() macro as the stored ones.
-- Parameters: $i_fas, $prognos (lists of booleans or NULL, pairwise: the rows in order).
-- Columns: lampa, one row per pair, in order.
SELECT lampa(i, p) AS lampa
FROM (SELECT unnest($i_fas::BOOLEAN[]) AS i, unnest($prognos::BOOLEAN[]) AS p)
