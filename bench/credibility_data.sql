-- Synthetic data for the credibility recompute benchmark (bench/credibility.py), set-based only.
-- Placeholders {sources} and {verdicts} are filled in by the script. Creates:
--   {sources} sources (outlets and people), {sources}/2 articles each with an outlet and an author,
--   {verdicts} claims each with one published verdict (random rating of the six levels, Unverifiable
--   included) and a random claimant, and {verdicts}/2 appearances (80% asserting) in random articles.
-- Claims and verdicts reference each other; Django's foreign keys are DEFERRABLE INITIALLY DEFERRED,
-- so both are inserted with explicit ids in one transaction and the identity sequences advanced.
BEGIN;

CREATE TEMPORARY TABLE bench_base ON COMMIT DROP AS
SELECT (SELECT COALESCE(max(id), 0) FROM claims_source) AS s,
       (SELECT COALESCE(max(id), 0) FROM claims_article) AS a,
       (SELECT COALESCE(max(id), 0) FROM claims_claim) AS c,
       (SELECT COALESCE(max(id), 0) FROM claims_verdict) AS v,
       (SELECT array_agg(id ORDER BY id) FROM claims_ratinglevel) AS ratings,
       DATE '2026-11-21' AS today;

INSERT INTO claims_source (id, created_at, updated_at, kind, name, slug, homepage, domain, country, description,
                           rated_claims_count, rating_counts)
SELECT b.s + g, now(), now(), CASE WHEN g % 4 = 0 THEN 'outlet' ELSE 'person' END,
       'Bench source ' || g, 'bench-cred-s-' || g, '', '', '', '', 0, '{}'::jsonb
  FROM bench_base b, generate_series(1, {sources}) g;

INSERT INTO claims_article (id, created_at, updated_at, url, title, published_on, language, kind, archived_url, body,
                            outlet_id)
SELECT b.a + g, now(), now(), 'https://bench.example.org/cred/' || g, 'Bench article ' || g,
       b.today - (random() * 1825)::int, 'en', 'news', '', '', b.s + 1 + floor(random() * {sources})::bigint
  FROM bench_base b, generate_series(1, {sources} / 2) g;

INSERT INTO claims_article_authors (article_id, source_id)
SELECT b.a + g, b.s + 1 + floor(random() * {sources})::bigint
  FROM bench_base b, generate_series(1, {sources} / 2) g;

INSERT INTO claims_claim (id, created_at, updated_at, text, slug, first_seen, status, claimant_id, published_verdict_id)
SELECT b.c + g, now(), now(), 'Bench claim ' || g, 'bench-cred-c-' || g, b.today - (random() * 1825)::int,
       'published', b.s + 1 + floor(random() * {sources})::bigint, b.v + g
  FROM bench_base b, generate_series(1, {verdicts}) g;

INSERT INTO claims_verdict (id, created_at, updated_at, summary, rationale, status, version, submitted_at, published_at,
                            correction_note, withdrawal_reason, is_example, original_rating_label, claim_id, rating_id)
SELECT b.v + g, now(), now(), 'Bench verdict', '', 'published', 3, c.first_seen + 1, c.first_seen + 2,
       '', '', true, '', b.c + g, b.ratings[1 + floor(random() * array_length(b.ratings, 1))::int]
  FROM bench_base b CROSS JOIN generate_series(1, {verdicts}) g
  JOIN claims_claim c ON c.id = b.c + g;

INSERT INTO claims_appearance (created_at, updated_at, quote, voice, article_id, claim_id)
SELECT now(), now(), '', CASE WHEN random() < 0.8 THEN 'asserts' ELSE 'reports' END,
       b.a + 1 + floor(random() * ({sources} / 2))::bigint, b.c + 2 * g
  FROM bench_base b, generate_series(1, {verdicts} / 2) g;

SELECT setval(pg_get_serial_sequence('claims_source', 'id'), (SELECT max(id) FROM claims_source));
SELECT setval(pg_get_serial_sequence('claims_article', 'id'), (SELECT max(id) FROM claims_article));
SELECT setval(pg_get_serial_sequence('claims_claim', 'id'), (SELECT max(id) FROM claims_claim));
SELECT setval(pg_get_serial_sequence('claims_verdict', 'id'), (SELECT max(id) FROM claims_verdict));

COMMIT;
ANALYZE claims_source, claims_article, claims_article_authors, claims_claim, claims_verdict, claims_appearance;
