-- bench/analytics-data.sql - the data set of bench/analytics.sh (issue 14),
-- all in SQL with generate_series and a fixed seed: one district of 40
-- schools, :users people (250 a school at 10,000, teams of 8, each team's
-- first member a coach assigned to it), :convs conversations of 5
-- questions and 5 answers spread over the 365 days before now (answers
-- with 2-3 citations of 1,200 chapters, a domain, timings), feedback on
-- 10% of the answers.  Person 1's conversations are :admin's.  Loaded
-- with the triggers off; bench/analytics.sh then runs usage_rebuild().
--
-- bench/analytics.sh keeps the database it made from this file (keyed by
-- this file's SHA-256 and the sizes) and reuses it while this file is
-- unchanged: editing it makes the next run generate the data again.
--
--   psql -v users=10000 -v convs=100000 -v admin=UUID -f bench/analytics-data.sql
SET session_replication_role = replica;  -- no triggers while loading
SELECT setseed(0.14);
INSERT INTO organizations (id, kind, name) VALUES (md5('district')::uuid, 'district', 'Bench District');
INSERT INTO organizations (id, parent_id, kind, name)
SELECT md5('school' || s)::uuid, md5('district')::uuid, 'school', 'Bench School ' || s
FROM generate_series(0, 39) s;
INSERT INTO users (id, email, name, role, organization_id)
SELECT md5('user' || u)::uuid, 'u' || u || '@bench.example', 'Bench User ' || u,
       CASE WHEN (u / 40) % 8 = 0 THEN 'coach' ELSE 'educator' END, md5('school' || (u % 40))::uuid
FROM generate_series(0, :users - 1) u;
INSERT INTO teams (id, organization_id, name)
SELECT md5('team' || s || '/' || t)::uuid, md5('school' || s)::uuid, 'Team ' || t
FROM generate_series(0, 39) s, generate_series(0, 31) t;
INSERT INTO team_members (team_id, user_id)
SELECT md5('team' || (u % 40) || '/' || ((u / 40) / 8))::uuid, md5('user' || u)::uuid
FROM generate_series(0, :users - 1) u;
INSERT INTO team_coaches (team_id, user_id)
SELECT md5('team' || (u % 40) || '/' || ((u / 40) / 8))::uuid, md5('user' || u)::uuid
FROM generate_series(0, :users - 1) u WHERE (u / 40) % 8 = 0;
CREATE TEMP TABLE bench_conv AS
SELECT c, md5('conv' || c)::uuid AS id,
       CASE WHEN c % :users = 1 THEN :'admin'::uuid ELSE md5('user' || (c % :users))::uuid END AS user_id,
       date_trunc('minute', now() - random() * interval '365 days') AS at
FROM generate_series(0, :convs - 1) c;
INSERT INTO conversations (id, user_id, title, created_at, updated_at)
SELECT id, user_id, 'Bench conversation ' || c, at, at + interval '15 minutes' FROM bench_conv;
-- Messages in time order, as they would have been written.
INSERT INTO messages (conversation_id, role, content, citations, domains, mode, model, grounded,
                      ttft_ms, total_ms, kind, created_at)
SELECT bc.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END,
       CASE WHEN k % 2 = 0 THEN 'Bench question ' || k ELSE 'Bench answer ' || k END,
       CASE WHEN k % 2 = 0 THEN '[]'::jsonb ELSE (
         SELECT jsonb_agg(jsonb_build_object('n', n,
                'book', jsonb_build_object('title', 'Bench book ' || b, 'authors', '["Bench Author"]'::jsonb),
                'chapter', jsonb_build_object('number', ch::text, 'title', 'Chapter ' || ch || ' of book ' || b),
                'pages', jsonb_build_object('start', (ch * 10)::text, 'end', (ch * 10 + 1)::text),
                'quote', 'A quoted passage from the bench book that is long enough to look real.'))
         FROM (SELECT n, 1 + floor(100 * random() ^ 3)::int AS b, 1 + floor(12 * random())::int AS ch
               FROM generate_series(1, 2 + (k % 3 = 1)::int) n WHERE k > 0) z) END,
       CASE WHEN k % 2 = 0 THEN '{}'::text[] ELSE ARRAY[(ARRAY['assessment', 'collaboration',
            'leadership', 'curriculum', 'data_analysis', 'school_culture',
            'student_learning'])[1 + floor(random() * 7)::int]] END,
       CASE WHEN k % 2 = 1 THEN 'llm' END, CASE WHEN k % 2 = 1 THEN 'bench-model' END,
       CASE WHEN k % 2 = 1 THEN true END,
       CASE WHEN k % 2 = 1 THEN t.ttft END, CASE WHEN k % 2 = 1 THEN t.ttft + t.gen END,
       CASE WHEN k % 2 = 1 THEN 'answer' END,
       bc.at + (k / 2) * interval '3 minutes' + (k % 2) * interval '20 seconds'
FROM bench_conv bc, generate_series(0, 9) k,
     LATERAL (SELECT (200 + 600 * random() ^ 2)::int AS ttft,
                     (1000 + 6000 * random() ^ 2)::int AS gen WHERE k >= 0) t
ORDER BY bc.at, k;
INSERT INTO feedback (message_id, user_id, rating, reasons, flagged, flagged_at, created_at, updated_at)
SELECT m.id, c.user_id, r.rating,
       CASE WHEN r.rating = -1 THEN ARRAY[(ARRAY['inaccurate', 'incomplete', 'not_relevant',
            'missing_citations', 'other'])[1 + floor(random() * 5)::int]] ELSE '{}' END,
       r.flag, CASE WHEN r.flag THEN m.created_at + interval '1 minute' END,
       m.created_at + interval '1 minute', m.created_at + interval '1 minute'
FROM messages m JOIN conversations c ON c.id = m.conversation_id,
     LATERAL (SELECT CASE WHEN random() < 0.7 THEN 1 ELSE -1 END::smallint AS rating,
                     random() < 0.02 AS flag WHERE m.id IS NOT NULL) r
WHERE m.role = 'assistant' AND random() < 0.1;
SET session_replication_role = origin;
