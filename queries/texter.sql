-- The kansli's texts about one quarter: the newest version of each, with how many versions
-- it has. A removed text's newest version is '' (the caller leaves it out).
SELECT avsnitt, insats_id, text, skriven_av, skriven, version,
       count(*) OVER w AS versioner
FROM texter
WHERE kvartal = $kvartal
WINDOW w AS (PARTITION BY avsnitt, insats_id)
QUALIFY version = max(version) OVER w
