-- Every version of one of the kansli's texts, newest first.
SELECT version, text, skriven_av, skriven
FROM texter
WHERE kvartal = $kvartal AND avsnitt = $avsnitt AND insats_id = $insats_id
ORDER BY version DESC
