#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Analytics through nginx (issue 14): GET /api/analytics and
# /api/analytics.csv for an educator's own usage, a coach's team (and a
# team not theirs: 404), an admin's school and district; every figure
# checked against the activity this script creates (worked out by hand
# in the comments); figures of fewer than five people hidden, zeros
# included when the group is too small, and a second timeline period
# hidden when one alone would be; the audit rows; the CSV tables; bad
# parameters; and the usage rollups written by the triggers equal to a
# full recomputation (usage_rebuild()).
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

# ---- Who: a district D with schools S and S2; team A (t1-t6 and Ed),
# team B (t1, t2); coach Cat assigned to both, coach Cot to none; admin Ada.
D=$(stack_cli org add --name "River District" --kind district)
S=$(stack_cli org add --name "Lincoln Elementary" --kind school --parent "$D")
S2=$(stack_cli org add --name "Oak Middle" --kind school --parent "$D")
for who in t1 t2 t3 t4 t5 t6; do
    add_user "$who" "$who@example.org" "Teacher ${who#t}" educator
done
add_user ed ed@example.org "Ed Educator" educator
add_user cat cat@example.org "Cat Coach" coach
add_user cot cot@example.org "Cot Coach" coach
add_user ada ada@example.org "Ada Admin" admin
stack_psql -- -c "UPDATE users SET organization_id = '$S' WHERE email ~ '^(t[1-6]|ed)@'" >/dev/null
A=$(stack_cli team add --org "$S" --name "Grade 3")
B=$(stack_cli team add --org "$S" --name "Pair")
for who in t1 t2 t3 t4 t5 t6 ed; do
    stack_cli team add-member --team "$A" --email "$who@example.org" >/dev/null
done
for who in t1 t2; do stack_cli team add-member --team "$B" --email "$who@example.org" >/dev/null; done
stack_cli team add-coach --team "$A" --email cat@example.org >/dev/null
stack_cli team add-coach --team "$B" --email cat@example.org >/dev/null
for who in t1 t2 t3 t4 t5 t6 ed cat cot ada; do signin "$who"; done

# ---- What: days ago 10 (D2), 5 (D3) and 3 (D1).
C1='{"book":{"title":"Learning by Doing"},"chapter":{"number":"3","title":"A Results Orientation"}}'
C2='{"book":{"title":"Learning by Doing"},"chapter":{"number":"5","title":"Common Assessments"}}'
C3='{"book":{"title":"Taking Action"},"chapter":{"number":"1","title":"Tier 1"}}'
at() { printf "created_at=now() - interval '%s days'" "$1"; }
# answer CONV DAYS TOTAL_MS TTFT_MS DOMAINS CITATIONS: prints its id.
answer() {
    add_message "$1" assistant "An answer" "$(at "$2")" "total_ms=$3" "ttft_ms=$4" \
        "domains='$5'" "citations='$6'" "mode='llm'" "kind='answer'"
}
declare -A a1 a2
for i in 1 2 3 4 5; do
    conv=$(new_conversation "t$i" "Day three")
    add_message "$conv" user "A question" "$(at 3)" >/dev/null
    a1[$i]=$(answer "$conv" 3 $((1000 * i)) $((100 * i)) '{assessment}' "[$C1]")
    add_message "$conv" user "A follow-up" "$(at 3)" >/dev/null
    if [ "$i" -le 3 ]; then
        a2[$i]=$(answer "$conv" 3 2000 300 '{assessment,collaboration}' "[$C1,$C2]")
    else
        a2[$i]=$(answer "$conv" 3 2000 300 '{assessment}' "[$C1]")
    fi
    conv=$(new_conversation "t$i" "Day five")
    add_message "$conv" user "Unanswered" "$(at 5)" >/dev/null
done
conv=$(new_conversation t6 "Day ten")
add_message "$conv" user "A question" "$(at 10)" >/dev/null
answer "$conv" 10 4000 400 '{leadership}' "[$C3]" >/dev/null
conv=$(new_conversation ed "Ed's")
add_message "$conv" user "A question" "$(at 10)" >/dev/null
answer "$conv" 10 6000 600 '{curriculum}' "[$C3]" >/dev/null
# Feedback through the API, today: t1-t5 up on their first answer; t1 and
# t2 down on the second (incomplete), t1 flagging it.
statuses=
for i in 1 2 3 4 5; do
    as "t$i" POST "/api/messages/${a1[$i]}/feedback" --data '{"rating":"up"}'
    statuses+="$HTTP_STATUS "
done
as t1 POST "/api/messages/${a2[1]}/feedback" --data '{"rating":"down","reasons":["incomplete"],"flag":true}'
statuses+="$HTTP_STATUS "
as t2 POST "/api/messages/${a2[2]}/feedback" --data '{"rating":"down","reasons":["incomplete"]}'
statuses+="$HTTP_STATUS"
is "$statuses" "200 200 200 200 200 200 200" "feedback given through the API"

FROM=$(stack_psql -- -c "SELECT current_date - 10")
TO=$(stack_psql -- -c "SELECT current_date")
RANGE="from=$FROM&to=$TO"
summary() { jp 'join " ", map { my $m = $d->{summary}{$_}; ($m->{suppressed} ? "-" : $m->{value} // "null") } qw(members active_users conversations questions questions_per_user_median questions_per_user_p90 answer_ms_avg answer_ms_p95 ttft_ms_avg ttft_ms_p95 feedback_up feedback_down flagged)'; }
rows() { # TABLE KEY VALUE: "key=value" per row, "-" for a hidden one
    jp "join ' ', map { \$_->{$2} . '=' . (\$_->{suppressed} ? '-' : \$_->{$3} // 'null') } @{\$d->{$1}}"
}

# ---- A coach's team ------------------------------------------------------------------
# 7 members, all active: t1-t5 asked 3 times (2 on D1, 1 on D3), t6 and Ed
# once (D2): 17 questions in 12 conversations; per person 1 1 3 3 3 3 3:
# median 3, p90 3.  12 answers: 1000..5000 ms, 2000 x5, 4000, 6000: sum
# 35000, average 2917; in the histogram (bounds 500, 1000, 1500, 2000,
# 2500, 3000, 4000, 5000, 6000, 8000, ...) the 95th of 12 (rank 11.4)
# is in [6000, 8000) holding one: 6000 + 0.4 x 2000 = 6800.  Time to
# first token 100..500, 300 x5, 400, 600: average 333; rank 11.4 in
# [500, 750) holding two, 1.4 of them: 500 + 0.7 x 250 = 675.  Five up;
# two down and one flag, by fewer than five people: hidden.
as cat GET "/api/analytics?scope=team:$A&$RANGE"
is "$HTTP_STATUS" 200 "a coach reads her team"
is "$(jp '[$d->{scope}{kind}, $d->{scope}{name}, $d->{from}, $d->{to}, $d->{bucket}, $d->{min_people}]')" \
    "[\"team\",\"Grade 3\",\"$FROM\",\"$TO\",\"day\",5]" "the report names the team, range and rule"
is "$(summary)" "7 7 12 17 3 3 2917 6800 333 675 5 - -" \
    "team summary: every figure as worked out, down and flagged hidden (2 and 1 people)"
is "$(rows domains domain answers)" \
    "assessment=10 collaboration=- leadership=- curriculum=- data_analysis=0 school_culture=0 student_learning=0" \
    "domains: assessment by 5 people shown; 3, 1 and 1 people hidden; zeros shown"
is "$(rows reasons reason count)" \
    "inaccurate=0 incomplete=- not_relevant=0 missing_citations=0 other=0" \
    "reasons: incomplete (2 people) hidden"
is "$(jp '[map { "$_->{rank} $_->{book} $_->{chapter_number} $_->{chapter_title} $_->{citations}" } @{$d->{topics}}]')" \
    '["1 Learning by Doing 3 A Results Orientation 10"]' \
    "topics: the chapter cited for five people, with its citations"
is "$(jp '$d->{topics_hidden}')" 2 "topics: two chapters cited for fewer people are hidden"
is "$(jp 'scalar @{$d->{timeline}}')" 11 "daily timeline: 11 days"
is "$(jp 'join " ", map { $_->{suppressed} ? "-" : $_->{questions} } @{$d->{timeline}}')" \
    "- 0 0 0 0 - 0 10 0 0 0" \
    "timeline: day ten (2 people) hidden; day five (5 people) hidden too, or 17 - 10 would tell it"
is "$(jp '[$d->{timeline}[7]{period_start}, $d->{timeline}[7]{active_users}, $d->{timeline}[7]{conversations}]')" \
    "[\"$(stack_psql -- -c "SELECT current_date - 3")\",5,5]" "day three: 5 people, 5 conversations"
is "$(jp '[$d->{suppressed}, defined $d->{notice} ? 1 : 0]')" "[true,1]" "the report says figures were hidden"
like "$(json_get notice)" "fewer than 5 people" "and why"
# Weekly buckets start on Monday.
as cat GET "/api/analytics?scope=team:$A&$RANGE&bucket=week"
is "$(jp 'join ",", map { $_->{period_start} } @{$d->{timeline}}')" \
    "$(stack_psql -- -c "SELECT string_agg(w::date::text, ',' ORDER BY w) FROM generate_series(date_trunc('week', current_date - 10), current_date, '1 week') w")" \
    "weekly: one row per week touching the range, each starting on its Monday"
is "$(jp 'my $n = 0; $n += $_->{questions} // 0 for @{$d->{timeline}}; $n')" \
    "$(jp 'my $n = 0; $n += $_->{questions} // 0 for grep { !$_->{suppressed} } @{$d->{timeline}}; $n')" \
    "weekly: the shown weeks add up"

# ---- A team too small: everything hidden but its size -------------------------------
as cat GET "/api/analytics?scope=team:$B&$RANGE"
is "$(summary)" "2 - - - - - - - - - - - -" "two active people: every figure hidden, members shown"
is "$(jp 'join "", map { $_->{suppressed} ? "-" : "+" } @{$d->{timeline}}, @{$d->{domains}}, @{$d->{reasons}}')" \
    "$(printf -- '-%.0s' $(seq 1 23))" "and every period, domain and reason, zeros included"
is "$(jp '[scalar @{$d->{topics}}, $d->{topics_hidden}]')" "[0,2]" "and every chapter"

# ---- Who may see what ------------------------------------------------------------------
as cot GET "/api/analytics?scope=team:$A&$RANGE"
error_envelope_ok 404 not_found "a coach not assigned to the team"
as ed GET "/api/analytics?scope=team:$A"
error_envelope_ok 404 not_found "an educator asking for her own team"
as cat GET "/api/analytics?scope=team:00000000-0000-4000-8000-000000000000"
error_envelope_ok 404 not_found "a team that does not exist"
as cat GET "/api/analytics?scope=team:nope"
error_envelope_ok 404 not_found "a team id that is not a UUID"
as cat GET "/api/analytics?scope=school:$S"
error_envelope_ok 403 forbidden "a coach asking for a school"
as ed GET "/api/analytics?scope=district:$D"
error_envelope_ok 403 forbidden "an educator asking for a district"
as ada GET "/api/analytics?scope=school:$D"
error_envelope_ok 404 not_found "a district asked for as a school"
http GET "/api/analytics"
is "$HTTP_STATUS" 401 "signed out: 401"

# ---- An admin: the school, the district and a team -----------------------------------
as ada GET "/api/analytics?scope=school:$S&$RANGE"
is "$HTTP_STATUS $(jp '$d->{scope}{name}')" "200 Lincoln Elementary" "an admin reads a school"
is "$(summary)" "7 7 12 17 3 3 2917 6800 333 675 5 - -" "the school: the same people, the same figures"
school_json=$(jp '[$d->{domains}, $d->{reasons}, $d->{topics}, $d->{timeline}]')
as ada GET "/api/analytics?scope=district:$D&$RANGE"
is "$(summary)" "7 7 12 17 3 3 2917 6800 333 675 5 - -" "the district (its schools): the same figures"
is "$(jp '[$d->{domains}, $d->{reasons}, $d->{topics}, $d->{timeline}]')" "$school_json" \
    "and the same tables"
district_topics=$(jp '[$d->{topics}, $d->{topics_hidden}]')
as ada GET "/api/analytics?scope=team:$A&$RANGE"
is "$HTTP_STATUS" 200 "an admin reads any team"
as ada GET "/api/analytics?scope=school:$S2&$RANGE"
is "$(summary)" "0 - - - - - - - - - - - -" "an empty school: nothing shown, zeros hidden"

# ---- My usage: nothing hidden -----------------------------------------------------------
# t1: 3 questions in 2 conversations, 2 answers (1000 and 2000 ms), one up,
# one down (incomplete) flagged, chapters 3 (twice) and 5.
as t1 GET "/api/analytics?$RANGE"
is "$(jp '[$d->{scope}{kind}, $d->{scope}{id}, $d->{min_people}]')" "[\"me\",\"$id_t1\",null]" \
    "no scope is my own usage"
# p95 of 1000 and 2000 ms: rank 1.9, in [2000, 2500): 2450; of 100 and
# 300 ms: in [300, 400): 390.
is "$(summary)" "1 1 2 3 3 3 1500 2450 200 390 1 1 1" "my figures, none hidden"
is "$(jp 'join " ", map { $d->{summary}{$_}{suppressed} ? "hidden" : "shown" } keys %{$d->{summary}}')" \
    "$(jp 'join " ", map { "shown" } keys %{$d->{summary}}')" "my usage hides nothing"
is "$(rows reasons reason count)" "inaccurate=0 incomplete=1 not_relevant=0 missing_citations=0 other=0" \
    "my reasons"
is "$(jp '[map { "$_->{chapter_number}:$_->{citations}" } @{$d->{topics}}]')" '["3:2","5:1"]' \
    "my chapters, most cited first"

# ---- Audit: every read by a coach or an admin, none for an educator ------------------
is "$(stack_psql -- -c "SELECT a.action || ' ' || a.target_type || ' ' || (a.detail->>'format') || ' ' || (a.detail->>'from')
        FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE u.email = 'cat@example.org'
        AND a.action = 'analytics.read' ORDER BY a.id LIMIT 1")" "analytics.read team json $FROM" \
    "a coach's read is audited with the range"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE a.action = 'analytics.read' AND u.email = 'cat@example.org'")" 3 \
    "the coach's three reports (refusals are not reads)"
is "$(stack_psql -- -c "SELECT string_agg(a.target_type, ',' ORDER BY a.id) FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE a.action = 'analytics.read' AND u.email = 'ada@example.org'")" "school,district,team,school" \
    "the admin's reads, each with its group"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'analytics.read' AND target_id = '$id_t1'")" 0 \
    "an educator's own usage is not audited"

# ---- CSV -------------------------------------------------------------------------------
as cat GET "/api/analytics.csv?scope=team:$A&$RANGE&metric=summary"
is "$HTTP_STATUS" 200 "CSV summary"
like "$(http_header Content-Type)" "^text/csv; charset=utf-8" "CSV content type"
is "$(http_header Content-Disposition)" "attachment; filename=\"plccoach-team-summary-$FROM-$TO.csv\"" \
    "CSV file name"
is "$(head -n 1 "$HTTP_BODY_FILE")" $'metric,value,suppressed\r' "CSV header, CRLF"
is "$(grep -c $'\r$' "$HTTP_BODY_FILE")" 14 "a header and 13 metrics"
is "$(grep -E '^(questions|answer_ms_p95|feedback_down),' "$HTTP_BODY_FILE" | tr -d '\r' | tr '\n' ' ')" \
    "questions,17,false answer_ms_p95,6800,false feedback_down,,true " "CSV values, a hidden one empty"
as cat GET "/api/analytics.csv?scope=team:$A&$RANGE&metric=topics"
is "$(tr -d '\r' <"$HTTP_BODY_FILE")" "rank,book,chapter_number,chapter_title,citations
1,Learning by Doing,3,A Results Orientation,10" "CSV topics"
as cat GET "/api/analytics.csv?scope=team:$A&$RANGE&metric=timeline"
is "$(sed -n 9p "$HTTP_BODY_FILE" | tr -d '\r')" "$(stack_psql -- -c "SELECT current_date - 3"),5,10,5,false" \
    "CSV timeline row"
is "$(sed -n 2p "$HTTP_BODY_FILE" | tr -d '\r')" "$FROM,,,,true" "CSV timeline hidden row"
as cat GET "/api/analytics.csv?scope=team:$A&$RANGE&metric=domains"
is "$(sed -n 1,3p "$HTTP_BODY_FILE" | tr -d '\r' | tr '\n' ' ')" "domain,answers,suppressed assessment,10,false collaboration,,true " "CSV domains"
as cat GET "/api/analytics.csv?scope=team:$A&$RANGE&metric=reasons"
is "$(sed -n 3p "$HTTP_BODY_FILE" | tr -d '\r')" "incomplete,,true" "CSV reasons"
as cat GET "/api/analytics.csv?scope=team:$A&metric=words"
error_envelope_ok 400 invalid_parameter "an unknown CSV table"
is "$(stack_psql -- -c "SELECT string_agg(detail->>'table', ',' ORDER BY id) FROM audit_log WHERE action = 'analytics.read' AND detail->>'format' = 'csv'")" \
    "summary,topics,timeline,domains,reasons" "each CSV read is audited with its table"

# ---- Bad parameters ------------------------------------------------------------------------
for bad in "bucket=month" "from=$TO&to=$FROM" "from=2024-01-01&to=2025-01-02" "from=2026-02-30" \
    "scope=everyone" "scope=team" "page=2" "scope=me&scope=me"; do
    as t1 GET "/api/analytics?$bad"
    error_envelope_ok 400 invalid_parameter "refused: $bad"
done
as t1 GET "/api/analytics?from=2024-01-01&to=2024-12-31"
is "$HTTP_STATUS" 200 "a 366-day range (a leap year) is allowed"
as t1 GET "/api/analytics"
is "$(jp '[$d->{to}, scalar @{$d->{timeline}}]')" "[\"$TO\",30]" "the default range: the last 30 days"

# ---- The people bit strings of schools and districts (sql/061) ----------------------------
# Per organization, range and figure: the bit count of the range's month
# and day strings against the distinct people of the person-days, over
# ranges of days only, whole months only, both, and none with activity.
bits_differ() {
    stack_psql -- -c "
    WITH r(f, t) AS (VALUES (current_date - 10, current_date), (current_date - 3, current_date - 3),
        (date_trunc('month', current_date - 40)::date, date_trunc('month', current_date)::date - 1),
        (date_trunc('month', current_date)::date, current_date), (current_date - 70, current_date + 40),
        (current_date - 400, current_date), (current_date - 9, current_date - 4)),
    m AS (SELECT r.f, r.t, (date_trunc('month', r.f - 1) + interval '1 month')::date AS m0,
                 date_trunc('month', r.t + 1)::date AS m1 FROM r),
    c AS (SELECT o.id, m.f, m.t, g.flag,
        coalesce((SELECT bit_count(usage_bits_union(x.people)) FROM usage_org_bits x
                  WHERE x.org_id = o.id AND x.flag = g.flag
                    AND ((x.span = 'm' AND x.start >= m.m0 AND x.start < m.m1)
                         OR (x.span = 'd' AND x.start BETWEEN m.f AND m.t
                             AND NOT (x.start >= m.m0 AND x.start < m.m1)))), 0) AS bits,
        (SELECT count(DISTINCT d.user_id) FROM usage_days d
         WHERE d.day BETWEEN m.f AND m.t AND (g.flag = 19 OR (d.flags >> g.flag) & 1 = 1)
           AND (d.org_id = o.id OR d.org_id IN (SELECT s.id FROM organizations s WHERE s.parent_id = o.id))) AS days
        FROM organizations o, m, generate_series(0, 19) g(flag))
    SELECT count(*) FILTER (WHERE bits <> days) || ' ' || (sum(days) > 0) FROM c"
}
is "$(bits_differ)" "0 true" "the triggers' bit strings count the people of the person-days, for every figure and range"
# Per organization and range: each person's questions from the running
# totals of usage_person_days (sql/070: the last day's less the day's
# before the first, per year the range touches) against the sum of their
# person-days; the ranges as above, one of them across a new year.
asks_differ() {
    stack_psql -- -c "
    WITH r(f, t) AS (VALUES (current_date - 10, current_date), (current_date - 3, current_date - 3),
        (date_trunc('month', current_date - 40)::date, date_trunc('month', current_date)::date - 1),
        (date_trunc('month', current_date)::date, current_date), (current_date - 70, current_date + 40),
        (current_date - 400, current_date), (current_date - 9, current_date - 4),
        (date_trunc('year', current_date)::date - 3, date_trunc('year', current_date)::date + 2)),
    k AS (SELECT r.f, r.t, extract(year FROM r.f)::integer AS y0, extract(doy FROM r.f)::integer AS k0,
                 extract(year FROM r.t)::integer AS y1, extract(doy FROM r.t)::integer AS k1 FROM r),
    a AS (SELECT o.id, k.f, k.t, y.user_id,
                 sum(usage_cum_at(y.days, y.cum, CASE WHEN y.year = k.y1 THEN k.k1 ELSE 366 END)
                     - CASE WHEN y.year = k.y0 THEN usage_cum_at(y.days, y.cum, k.k0 - 1) ELSE 0 END) AS q
          FROM organizations o, k, usage_person_days y
          WHERE y.year BETWEEN k.y0 AND k.y1
            AND (y.org_id = o.id OR y.org_id IN (SELECT s.id FROM organizations s WHERE s.parent_id = o.id))
          GROUP BY 1, 2, 3, 4),
    b AS (SELECT o.id, r.f, r.t, d.user_id, sum(d.questions) AS q
          FROM organizations o, r, usage_days d
          WHERE d.day BETWEEN r.f AND r.t
            AND (d.org_id = o.id OR d.org_id IN (SELECT s.id FROM organizations s WHERE s.parent_id = o.id))
          GROUP BY 1, 2, 3, 4)
    SELECT (SELECT count(*) FROM ((SELECT * FROM a WHERE q > 0 EXCEPT SELECT * FROM b WHERE q > 0)
                                  UNION ALL (SELECT * FROM b WHERE q > 0 EXCEPT SELECT * FROM a WHERE q > 0)) x)
        || ' ' || (SELECT count(*) > 20 FROM b WHERE q > 0)"
}
is "$(asks_differ)" "0 true" "the triggers' running totals give each person's questions of the person-days, for every range"
# The triggers' strings hold the same people as a recomputation's (the
# numbering may differ: compared as the people each string holds).
decoded="SELECT x.org_id, x.span, x.flag, x.start, p.user_id FROM usage_org_bits x
    JOIN usage_org_people p ON p.org_id = x.org_id AND length(x.people) > p.idx AND get_bit(x.people, p.idx) = 1"
is "$(stack_psql -- -c "CREATE TEMP TABLE b1 AS $decoded; CREATE TEMP TABLE m1 AS TABLE usage_org_chapter_months;
    CREATE TEMP TABLE p1 AS TABLE usage_person_days;
    SELECT usage_rebuild();
    CREATE TEMP TABLE b2 AS $decoded;
    SELECT (SELECT count(*) FROM ((TABLE b1 EXCEPT TABLE b2) UNION ALL (TABLE b2 EXCEPT TABLE b1)) x)
        || ' ' || (SELECT count(*) > 100 FROM b1)
        || ' ' || (SELECT count(*) FROM ((TABLE m1 EXCEPT TABLE usage_org_chapter_months)
                                         UNION ALL (TABLE usage_org_chapter_months EXCEPT TABLE m1)) x)
        || ' ' || (SELECT count(*) > 0 FROM m1)
        || ' ' || (SELECT count(*) FROM ((TABLE p1 EXCEPT TABLE usage_person_days)
                                         UNION ALL (TABLE usage_person_days EXCEPT TABLE p1)) x)
        || ' ' || (SELECT count(*) > 0 FROM p1)" | tail -n 1)" "0 true 0 true 0 true" \
    "usage_rebuild() writes the strings, the chapter months and the running totals the triggers wrote"

# ---- The triggers' rows equal a recomputation from scratch ----------------------------------
is "$(stack_psql -- -c "
    CREATE TEMP TABLE d1 AS SELECT * FROM usage_days; CREATE TEMP TABLE d2 AS SELECT * FROM usage_org_days;
    CREATE TEMP TABLE d3 AS SELECT * FROM usage_chapters; CREATE TEMP TABLE d4 AS SELECT * FROM usage_org_chapters;
    SELECT usage_rebuild();
    SELECT (SELECT count(*) FROM ((TABLE d1 EXCEPT TABLE usage_days) UNION ALL (TABLE usage_days EXCEPT TABLE d1)) x)
        || ' ' || (SELECT count(*) FROM ((TABLE d2 EXCEPT TABLE usage_org_days) UNION ALL (TABLE usage_org_days EXCEPT TABLE d2)) x)
        || ' ' || (SELECT count(*) FROM ((SELECT user_id, day, chapter_id, citations FROM d3 EXCEPT SELECT user_id, day, chapter_id, citations FROM usage_chapters)
                   UNION ALL (SELECT user_id, day, chapter_id, citations FROM usage_chapters EXCEPT SELECT user_id, day, chapter_id, citations FROM d3)) x)
        || ' ' || (SELECT count(*) FROM d1)" | tail -n 1)" \
    "0 0 0 $(stack_psql -- -c "SELECT count(*) FROM usage_days")" \
    "usage_rebuild() writes exactly the rows the triggers wrote"

# ---- A day counts for the organization of that day --------------------------------------
as ada PATCH "/api/admin/users/$id_t6" --data "{\"organization_id\":\"$S2\"}"
conv=$(new_conversation t6 "After the move")
add_message "$conv" user "A question after moving" >/dev/null
is "$(stack_psql -- -c "SELECT string_agg(o.name || ':' || d.questions, ',' ORDER BY d.day)
        FROM usage_days d JOIN organizations o ON o.id = d.org_id WHERE d.user_id = '$id_t6'")" \
    "Lincoln Elementary:1,Oak Middle:1" "t6's old day stays with the old school, the new one goes to the new"
is "$(stack_psql -- -c "SELECT string_agg(o.name || ':' || d.questions, ',' ORDER BY o.name) FROM usage_org_days d
        JOIN organizations o ON o.id = d.org_id WHERE d.day = current_date AND d.questions > 0")" \
    "Oak Middle:1,River District:1" "today's question counts for Oak Middle and its district"
is "$(bits_differ)" "0 true" "the bit strings after the move: today's bits in Oak Middle's strings"
is "$(asks_differ)" "0 true" "the running totals after the move: today's question in Oak Middle's row"

# ---- A failure saved in an answer's place (issue 11) is no answer ----------------------------
answers() { stack_psql -- -c "SELECT sum(answers) || ' ' || sum(answer_ms_n) FROM usage_days WHERE user_id = '$id_t6'"; }
before=$(answers)
add_message "$conv" assistant "The coach could not finish this answer." "kind='error'" \
    "error_code='db_unavailable'" "total_ms=900" >/dev/null
is "$(answers)" "$before" "a saved failure counts as no answer (the trigger)"
like "$(stack_psql -- -c "SELECT usage_rebuild()" 2>&1 || true)" "0 people outlive .* and 1 people moved" \
    "usage_rebuild() refuses after t6's move: it would give her old day to the new school"
stack_psql -- -c "SELECT usage_rebuild(force => true)" >/dev/null
is "$(answers)" "$before" "... nor in a recomputation (usage_rebuild(force => true))"

is "$(bits_differ)" "0 true" "and after a recomputation"
is "$(asks_differ)" "0 true" "the running totals too"
MONTH0=$(stack_psql -- -c "SELECT date_trunc('month', current_date - 40)::date")
as ada GET "/api/analytics?scope=district:$D&from=$MONTH0&to=$TO"
is "$(summary)" "7 7 13 18 3 3 2917 6800 333 675 5 - -" \
    "a district's range of whole months and days: the same people (t6's question after the move added)"
is "$(jp '[$d->{topics}, $d->{topics_hidden}]')" "$district_topics" \
    "and the same topics, read from the month rows (sql/061) and the days"
# A thumbs up changed to down takes t3's bit of "up" off today's string
# (and this month's): 4 people gave a thumbs up now.
as t3 POST "/api/messages/${a1[3]}/feedback" --data '{"rating":"down","reasons":["other"]}'
is "$HTTP_STATUS" 200 "t3 changes her thumbs up to down"
is "$(bits_differ)" "0 true" "... and the bit strings follow"
as ada GET "/api/analytics?scope=school:$S&from=$MONTH0&to=$TO"
is "$(jp '$d->{summary}{feedback_up}{suppressed} ? "hidden" : "shown"')" hidden \
    "thumbs up by 4 people: hidden"

# ---- An answer's citations counted in one statement (sql/073) -------------------------------
# One answer citing C1 twice, a chapter never cited before, and an entry
# without a book (not counted); the new chapter again on another day of
# the month by the same person (counted once among the month's people).
C4='{"book":{"title":"Revisiting PLCs"},"chapter":{"title":"Norms"}}'
conv=$(new_conversation t1 "Citations at once")
other=$(stack_psql -- -c "SELECT now() + CASE WHEN extract(day FROM now() AT TIME ZONE 'UTC') > 1
    THEN interval '-1 day' ELSE interval '1 day' END")
add_message "$conv" user "A question" >/dev/null
answer "$conv" 0 1000 100 '{assessment}' "[$C1,$C1,$C4,{\"chapter\":{\"number\":\"9\"}}]" >/dev/null
add_message "$conv" user "Another" "created_at='$other'" >/dev/null
add_message "$conv" assistant "An answer" "created_at='$other'" "citations='[$C4]'" >/dev/null
chapter_rows="SELECT d.user_id, d.day, c.book, c.number, c.title, d.citations
    FROM usage_chapters d JOIN cited_chapters c ON c.id = d.chapter_id"
is "$(stack_psql -- -c "SELECT string_agg(c.title || ':' || d.citations, ',' ORDER BY c.title)
        FROM usage_chapters d JOIN cited_chapters c ON c.id = d.chapter_id
        WHERE d.user_id = '$id_t1' AND d.day = (now() AT TIME ZONE 'UTC')::date")" \
    "A Results Orientation:2,Norms:1" "t1's chapter-days today: C1 twice, the new chapter once, no entry without a book"
is "$(stack_psql -- -c "SELECT m.people || ' ' || m.citations FROM usage_org_chapter_months m
        JOIN cited_chapters c ON c.id = m.chapter_id
        WHERE c.title = 'Norms' AND m.org_id = '$D'")" \
    "1 2" \
    "the new chapter in the district's month: one person, two citations"
is "$(stack_psql -- -c "
    CREATE TEMP TABLE c1 AS $chapter_rows;
    CREATE TEMP TABLE o1 AS SELECT d.org_id, d.day, c.book, c.number, c.title, d.citations, d.people
        FROM usage_org_chapters d JOIN cited_chapters c ON c.id = d.chapter_id;
    CREATE TEMP TABLE m1 AS SELECT d.org_id, d.month, c.book, c.number, c.title, d.citations, d.people
        FROM usage_org_chapter_months d JOIN cited_chapters c ON c.id = d.chapter_id;
    SELECT usage_rebuild();
    CREATE TEMP TABLE c2 AS $chapter_rows;
    CREATE TEMP TABLE o2 AS SELECT d.org_id, d.day, c.book, c.number, c.title, d.citations, d.people
        FROM usage_org_chapters d JOIN cited_chapters c ON c.id = d.chapter_id;
    CREATE TEMP TABLE m2 AS SELECT d.org_id, d.month, c.book, c.number, c.title, d.citations, d.people
        FROM usage_org_chapter_months d JOIN cited_chapters c ON c.id = d.chapter_id;
    SELECT (SELECT count(*) FROM ((TABLE c1 EXCEPT TABLE c2) UNION ALL (TABLE c2 EXCEPT TABLE c1)) x)
        || ' ' || (SELECT count(*) FROM ((TABLE o1 EXCEPT TABLE o2) UNION ALL (TABLE o2 EXCEPT TABLE o1)) x)
        || ' ' || (SELECT count(*) FROM ((TABLE m1 EXCEPT TABLE m2) UNION ALL (TABLE m2 EXCEPT TABLE m1)) x)
        || ' ' || (SELECT count(*) FROM c1) || ' ' || (SELECT count(*) FROM o1)
        || ' ' || (SELECT count(*) FROM m1)" | tail -n 1)" \
    "0 0 0 $(stack_psql -- -c "SELECT (SELECT count(*) FROM usage_chapters) || ' '
        || (SELECT count(*) FROM usage_org_chapters) || ' ' || (SELECT count(*) FROM usage_org_chapter_months)")" \
    "the chapter-days, the organizations' chapter-days and chapter-months equal a recomputation's"
# ---- Deleted conversations keep their counts, and usage_rebuild() keeps them too -------------
# (docs/privacy.md: usage counts outlive deleted conversations and retention.)
questions() { stack_psql -- -c "SELECT sum(questions) FROM usage_org_days WHERE org_id = '$D'"; }
before=$(questions)
gone=$(new_conversation t4 "Deleted later")
add_message "$gone" user "A question to delete" >/dev/null
as t4 DELETE "/api/conversations/$gone"
is "$HTTP_STATUS" 204 "t4 deletes a conversation"
is "$(questions)" "$((before + 1))" "its question still counts"
out=$(stack_psql -- -c "SELECT usage_rebuild()" 2>&1 || true)
like "$out" "counts of 1 people outlive" "usage_rebuild() refuses: it would drop that count"
is "$(questions)" "$((before + 1))" "... and changes nothing"
stack_psql -- -c "UPDATE conversations SET updated_at = now() - interval '400 days'" >/dev/null
stack_cli retention --days 1 >/dev/null
is "$(stack_psql -- -c "SELECT count(*) FROM conversations")" 0 "retention deletes every conversation (changed 400 days ago)"
is "$(questions)" "$((before + 1))" "the counts stay"
like "$(stack_psql -- -c "SELECT usage_rebuild()" 2>&1 || true)" "counts of 7 people outlive" \
    "usage_rebuild() refuses after retention too (t1-t6 and Ed had conversations)"
stack_psql -- -c "SELECT usage_rebuild(force => true)" >/dev/null
is "$(stack_psql -- -c "SELECT coalesce(sum(questions), 0) FROM usage_days")" 0 \
    "told to forget them, it recomputes from what is left: no questions"
is "$(stack_psql -- -c "SELECT count(*) FROM usage_not_recomputable")" 0 "and starts the record afresh"

done_testing
