#!/bin/bash
# shellcheck disable=SC2016,SC2154 # Perl in single quotes (jp); id_*/csrf_* set by printf -v
# Data rights through nginx (issue 14, docs/privacy.md): a person's data
# as a ZIP (GET /api/me/export and the admins' GET
# /api/admin/users/{id}/export), unzipped and read file by file, recorded
# as a disclosure; erasure (DELETE /api/admin/users/{id} and `plccoach
# user delete`) leaving no row anywhere that names the person, their
# sessions dead, a pseudonymous record in the audit log, the analytics
# rollups without them; retention (`plccoach retention` and the job
# process's daily run) deleting only what is old.
. "$(dirname "$0")/../lib/integration.sh"
. "$PLC_SRCDIR/t/integration/conversations-lib.bash"
command -v unzip >/dev/null 2>&1 || skip_all "unzip is not installed (scripts/check installs it)"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

S=$(stack_cli org add --name "Lincoln Elementary" --kind school)
add_user ed ed@example.org "Ed Educator" educator
add_user ana ana@example.org "Ana Other" educator
add_user ada ada@example.org "Ada Admin" admin
stack_psql -- -c "UPDATE users SET organization_id = '$S' WHERE email IN ('ed@example.org', 'ana@example.org')" >/dev/null
T=$(stack_cli team add --org "$S" --name "Grade 3")
stack_cli team add-member --team "$T" --email ed@example.org >/dev/null
stack_cli team add-member --team "$T" --email ana@example.org >/dev/null
for who in ed ana ada; do signin "$who"; done
# A failed sign-in under Ed's email (kept for throttling: erasure takes it,
# with his other sign-in attempts).
http POST /api/auth/login -H 'Content-Type: application/json' -H 'Origin: http://localhost:8000' \
    --data '{"email":"ed@example.org","password":"not-the-password"}' >/dev/null

# Ed: two conversations with a question, an answer and feedback, a share
# link, and a third conversation deleted.
c1=$(new_conversation ed "Common assessments")
add_message "$c1" user "How do we write a common formative assessment?" >/dev/null
a1=$(add_message "$c1" assistant "Start from the essential standards." \
    "citations='[{\"book\":{\"title\":\"Learning by Doing\"},\"chapter\":{\"number\":\"3\",\"title\":\"A Results Orientation\"}}]'" \
    "domains='{assessment}'" "mode='llm'" "total_ms=2100" "ttft_ms=300")
c2=$(new_conversation ed "Norms")
add_message "$c2" user "Which norms help a new team?" >/dev/null
a2=$(add_message "$c2" assistant "Agree on a few, and revisit them.")
c3=$(new_conversation ed "Gone")
add_message "$c3" user "A question Ed deleted" >/dev/null
as ed DELETE "/api/conversations/$c3"
as ed POST "/api/messages/$a1/feedback" --data '{"rating":"down","reasons":["incomplete"],"comment":"Needs a rubric.","flag":true}'
as ed POST "/api/messages/$a2/feedback" --data '{"rating":"up"}'
as ed POST "/api/conversations/$c1/shares" --data '{"expires_in_days":7}'
token=$(json_get token)
# Two exports of Ed's first conversation (files in the exports store).
as ed POST "/api/conversations/$c1/exports" --data '{"format":"md"}'
x_md=$(json_get id)
as ed POST "/api/conversations/$c1/exports" --data '{"format":"pdf"}'
x_pdf=$(json_get id)
export_files() { find "$STACK_DIR/content" -type f \( -name "$x_md.*" -o -name "$x_pdf.*" \) | wc -l; }
is "$(export_files)" 2 "Ed has two export files in the store"
# Ana's conversation, which must appear in nobody else's export.
ca=$(new_conversation ana "Ana's private")
add_message "$ca" user "Ana asks something private" >/dev/null

# ---- GET /api/me/export ------------------------------------------------------------------
as ed GET /api/me/export
is "$HTTP_STATUS" 200 "my export: 200"
is "$(http_header Content-Type)" application/zip "a ZIP"
like "$(http_header Content-Disposition)" '^attachment; filename="plccoach-data-[0-9]{4}-[0-9]{2}-[0-9]{2}\.zip"$' \
    "as a dated attachment"
Z=$STACK_DIR/ed.zip
X=$STACK_DIR/ed
cp "$HTTP_BODY_FILE" "$Z"
is "$(unzip -tq "$Z" 2>&1)" "No errors detected in compressed data of $Z." "unzip finds the archive sound"
is "$(unzip -Z1 "$Z" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f-]{36}\./DATE-ID./' | tr '\n' ' ')" \
    "README.txt profile.json conversations/DATE-ID.json conversations/DATE-ID.pdf conversations/DATE-ID.json conversations/DATE-ID.pdf feedback.json shares.json audit.json usage.json " \
    "the files: README, profile, two conversations as JSON and PDF, feedback, shares, audit, usage"
mkdir -p "$X"
unzip -q "$Z" -d "$X"
like "$(head -n 2 "$X/README.txt")" "data export for Ed Educator <ed@example.org>.*at the request of the person themselves" \
    "the README names whose data and who asked"
like "$(cat "$X/README.txt")" "conversations/ +every conversation kept" "and says what each file is"
is "$(jp '[$d->{email}, $d->{name}, $d->{role}, $d->{organization}{name}, $d->{local_password}, scalar @{$d->{sessions}}, $d->{teams}[0]{team}, $d->{teams}[0]{as}]' "$X/profile.json")" \
    '["ed@example.org","Ed Educator","educator","Lincoln Elementary",true,1,"Grade 3","member"]' \
    "profile: account, organization, password sign-in, open session, team"
f1=$(ls "$X"/conversations/*"$c1".json)
is "$(jp '[$d->{id}, $d->{title}, scalar @{$d->{messages}}, $d->{messages}[0]{content}, $d->{messages}[1]{citations}[0]{book}{title}, $d->{messages}[1]{feedback}{rating}, $d->{messages}[1]{feedback}{comment}]' "$f1")" \
    "[\"$c1\",\"Common assessments\",2,\"How do we write a common formative assessment?\",\"Learning by Doing\",\"down\",\"Needs a rubric.\"]" \
    "a conversation: its messages, citations and Ed's feedback"
is "$(ls "$X"/conversations | grep -c "$c3" || true)" 0 "the deleted conversation is not there"
p1=$(ls "$X"/conversations/*"$c1".pdf)
if command -v pdftotext >/dev/null 2>&1; then
    text=$(pdftotext "$p1" - | tr -s ' \n' ' ')
    like "$text" "Common assessments.*How do we write a common formative assessment\?.*Start from the essential standards.*Learning by Doing" \
        "the PDF holds the title, the question, the answer and its citation as text"
else
    skip "pdftotext is not installed (poppler-utils)"
fi
is "$(jp 'join " ", map { "$_->{rating}:" . join("+", @{$_->{reasons}}) . ":" . ($_->{flagged} ? "flagged" : "-") } @{$d}' "$X/feedback.json")" \
    "down:incomplete:flagged up::-" "feedback: both ratings"
is "$(jp '[scalar @$d, $d->[0]{conversation_id}, exists $d->[0]{token} ? 1 : 0, exists $d->[0]{token_hash} ? 1 : 0]' "$X/shares.json")" \
    "[1,\"$c1\",0,0]" "shares: the link, never its token or digest"
is "$(grep -rl -- "$token" "$X" | wc -l)" 0 "the share token appears nowhere in the archive"
is "$(jp 'join ",", map { $_->{action} } grep { $_->{by_self} } @$d' "$X/audit.json")" \
    "login.success,login.failure,conversation.delete,share.create,export.create,export.create" \
    "audit: Ed's own sign-in, a failed one under his account, a deletion, a share, two exports"
is "$(jp 'join ",", map { $_->{action} } grep { !$_->{by_self} } @$d' "$X/audit.json")" \
    "user.create" "audit: the entries about Ed by others (the account's creation)"
is "$(jp 'my @x = grep { $_->{action} eq "login.success" } @$d; defined $x[0]{ip} ? 1 : 0' "$X/audit.json")" 1 \
    "audit: the address of Ed's own sign-in"
is "$(jp '[$d->[0]{questions}, $d->[0]{answers}, $d->[0]{domains}{assessment}, $d->[0]{feedback_up}, $d->[0]{feedback_down}]' "$X/usage.json")" \
    "[3,2,1,1,1]" "usage: Ed's day (3 questions, the deleted one included; 2 answers; feedback)"
is "$(grep -rl "Ana asks something private\|ana@example.org" "$X" | wc -l)" 0 "nothing of Ana's"
is "$(stack_psql -- -c "SELECT a.action || ' ' || a.target_id || ' ' || (a.detail->>'requested_by') || ' ' || (a.detail->>'conversations') || ' ' || (a.detail->>'disclosure')
        FROM audit_log a WHERE a.action = 'user.export' AND a.actor_id = '$id_ed'")" "user.export $id_ed self 2 true" \
    "the disclosure is in the audit log: to whom, at whose request, how much"

http HEAD /api/me/export -b "$STACK_DIR/ed.jar"
is "$HTTP_STATUS $(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'user.export'")" "200 1" \
    "HEAD reads nothing and records no disclosure"

# ---- The admins' export ----------------------------------------------------------------------
as ada GET "/api/admin/users/$id_ed/export"
is "$HTTP_STATUS $(http_header Content-Type)" "200 application/zip" "an admin exports Ed's data"
cp "$HTTP_BODY_FILE" "$STACK_DIR/ed-admin.zip"
is "$(unzip -Z1 "$STACK_DIR/ed-admin.zip" | tr '\n' ' ')" "$(unzip -Z1 "$Z" | tr '\n' ' ')" "the same files"
like "$(unzip -p "$STACK_DIR/ed-admin.zip" README.txt | head -n 2)" "at the request of an administrator" \
    "its README says an administrator asked"
is "$(stack_psql -- -c "SELECT (detail->>'requested_by') || ' ' || target_id FROM audit_log WHERE action = 'user.export' AND actor_id = '$id_ada'")" \
    "admin $id_ed" "recorded as a disclosure to the admin"
as ed GET "/api/admin/users/$id_ana/export"
error_envelope_ok 403 forbidden "an educator cannot export someone else"
as ada GET "/api/admin/users/00000000-0000-4000-8000-000000000000/export"
error_envelope_ok 404 not_found "no such user"
http GET /api/me/export
is "$HTTP_STATUS" 401 "signed out: 401"

# ---- Erasure ------------------------------------------------------------------------------------
as ed DELETE "/api/admin/users/$id_ana"
error_envelope_ok 403 forbidden "an educator cannot erase"
as_nocsrf ada DELETE "/api/admin/users/$id_ed"
error_envelope_ok 403 csrf "erasure needs the CSRF token"
as ada DELETE "/api/admin/users/$id_ada"
error_envelope_ok 409 conflict "an admin cannot erase herself"
before_days=$(stack_psql -- -c "SELECT sum(questions) FROM usage_org_days WHERE org_id = '$S'")
as ada DELETE "/api/admin/users/$id_ed"
is "$HTTP_STATUS" 200 "an admin erases Ed"
E=$(json_get erasure_id)
like "$E" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "the answer names a random erasure id"
is "$(jp '[$d->{deleted}{conversations}, $d->{deleted}{messages}, $d->{deleted}{feedback}, $d->{deleted}{shares}, $d->{deleted}{sessions}, $d->{deleted}{sign_in_accounts}, $d->{deleted}{exports}, $d->{files_pending}]')" \
    "[2,4,2,1,1,0,2,0]" "and what went: 2 conversations, 4 messages, 2 ratings, 1 link, 1 session, 2 exports"
is "$(export_files)" 0 "the exports' files are gone from the store"
is "$(stack_psql -- -c "SELECT count(*) FROM exports") $(stack_psql -- -c "SELECT count(*) FROM storage_deletions")" "0 0" \
    "so are their rows, and nothing is left in the deletion queue"
as ed GET /api/me
is "$HTTP_STATUS" 401 "Ed's session is gone"
http GET "/api/shared/$token" -b "$STACK_DIR/ana.jar"
is "$HTTP_STATUS" 404 "Ed's share link is gone"
as ada DELETE "/api/admin/users/$id_ed"
error_envelope_ok 404 not_found "erasing twice: no such user"

# No row anywhere names Ed: every column of every table, as text.
leftovers=$(stack_psql -- -c "
    SELECT string_agg(format('%s:%s', t, n), ',') FROM (
      SELECT c.relname AS t, (xpath('/row/n/text()', query_to_xml(format(
        'SELECT count(*) AS n FROM %I x WHERE x::text ILIKE %L OR x::text ILIKE %L OR x::text ILIKE %L',
        c.relname, '%$id_ed%', '%ed@example.org%', '%Ed Educator%'), false, true, '')))[1]::text::int AS n
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = 'public' AND c.relkind = 'r') x WHERE n > 0")
is "$leftovers" "" "no row of any table holds Ed's id, email or name"
is "$(stack_psql -- -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass")" \
    "$(stack_psql -- -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND confdeltype IN ('c', 'n')")" \
    "every reference to users is ON DELETE CASCADE or SET NULL (so none can keep the row)"
is "$(stack_psql -- -c "SELECT a.actor_id = '$id_ada' AND a.target_type = 'erased_user' AND a.target_id = '$E'
        AND a.detail->>'via' = 'api' AND (a.detail->>'conversations')::int = 2
        FROM audit_log a WHERE a.action = 'user.erase'")" t \
    "the erasure is recorded: by whom, under the erasure id, with the counts"
is "$(stack_psql -- -c "SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM audit_log WHERE detail->>'erased_actor' = '$E'")" \
    "conversation.delete,export.create,login.failure,login.success,share.create,user.export" \
    "Ed's own actions stay in the log, by the erasure id instead of Ed"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE detail->>'erased_actor' = '$E' AND (actor_id IS NOT NULL OR ip IS NOT NULL)")" 0 \
    "without actor or address"
is "$(stack_psql -- -c "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE target_type = 'erased_user' AND target_id = '$E'")" \
    "user.create,login.success,login.failure,user.export,user.export,user.erase" \
    "entries about Ed now name the erasure id"
is "$(stack_psql -- -c "SELECT count(*) FROM login_attempts WHERE email_lower = 'ed@example.org'")" 0 \
    "the sign-in attempts under Ed's email (the failed one too) are gone"
isnt "$(stack_psql -- -c "SELECT count(*) FROM login_attempts WHERE email_lower = 'ada@example.org'")" 0 \
    "others' are kept"
is "$(stack_psql -- -c "SELECT sum(questions) FROM usage_org_days WHERE org_id = '$S'")" \
    "$((before_days - 3))" "the school's usage no longer counts Ed's 3 questions"
is "$(stack_psql -- -c "CREATE TEMP TABLE o AS SELECT org_id, day, questions, answers, up, down, domains FROM usage_org_days;
        SELECT usage_rebuild();
        SELECT count(*) FROM ((TABLE o EXCEPT SELECT org_id, day, questions, answers, up, down, domains FROM usage_org_days)
          UNION ALL (SELECT org_id, day, questions, answers, up, down, domains FROM usage_org_days EXCEPT TABLE o)) x" | tail -n 1)" 0 \
    "the organizations' rollups equal a recomputation without Ed"
is "$(stack_psql -- -c "SELECT count(*) FROM conversations WHERE id = '$ca'")" 1 "Ana's conversation is untouched"

# ---- plccoach user delete ---------------------------------------------------------------------------
out=$(stack_cli user delete --email ana@example.org 2>&1 || true)
like "$out" "needs --email or --id, and --yes" "the command wants --yes"
out=$(stack_cli user delete --email ANA@example.org --yes)
like "$out" '^erasure [0-9a-f-]{36}: 1 conversations, 1 messages, 0 feedback, 0 shares, 1 sessions' \
    "plccoach user delete erases Ana (email in any case) and prints the erasure id"
is "$(stack_psql -- -c "SELECT count(*) FROM users WHERE email = 'ana@example.org'") $(stack_psql -- -c "SELECT count(*) FROM conversations WHERE id = '$ca'")" \
    "0 0" "Ana and her conversation are gone"
is "$(stack_psql -- -c "SELECT actor_id IS NULL AND detail->>'via' = 'cli' FROM audit_log WHERE action = 'user.erase' ORDER BY id DESC LIMIT 1")" t \
    "recorded as done from the command line"
out=$(stack_cli user delete --email ana@example.org --yes 2>&1 || true)
is "$out" "plccoach: no such user" "erasing a missing user fails clearly"

# ---- Retention -----------------------------------------------------------------------------------
add_user kim kim@example.org "Kim Keeper" educator
signin kim
old=$(new_conversation kim "Old")
add_message "$old" user "An old question" "created_at=now() - interval '40 days'" >/dev/null
old_a=$(add_message "$old" assistant "An old answer" "created_at=now() - interval '40 days'")
# flagged: retention removes a flag with its conversation, keeping no
# copy (a conversation the teacher deletes leaves one, sql/060)
as kim POST "/api/messages/$old_a/feedback" --data '{"rating":"down","flag":true}'
as kim POST "/api/conversations/$old/shares" --data '{}'
as kim POST "/api/conversations/$old/exports" --data '{"format":"txt"}'
x_old=$(json_get id)
edge=$(new_conversation kim "Edge")
recent=$(new_conversation kim "Recent")
add_message "$recent" user "A recent question" "created_at=now() - interval '10 days'" >/dev/null
stack_psql -- -c "UPDATE conversations SET updated_at = now() - interval '40 days' WHERE id = '$old';
    UPDATE conversations SET updated_at = now() - interval '29 days 23 hours' WHERE id = '$edge';
    UPDATE conversations SET updated_at = now() - interval '10 days' WHERE id = '$recent'" >/dev/null
out=$(stack_cli retention 2>&1 || true)
like "$out" "retention is off" "retention is off unless configured or asked"
# (the command line needs the server's storage settings to find the files)
out=$(PLCCOACH_CONTENT_DIR=$STACK_DIR/content stack_cli retention --days 30)
is "$out" "1 conversations (2 messages) last changed more than 30 days ago deleted" "plccoach retention --days 30"
is "$(stack_psql -- -c "SELECT string_agg(title, ',' ORDER BY title) FROM conversations c JOIN users u ON u.id = c.user_id WHERE u.email = 'kim@example.org'")" \
    "Edge,Recent" "only the conversation older than 30 days went; 29 days 23 hours stays"
is "$(stack_psql -- -c "SELECT (SELECT count(*) FROM messages WHERE conversation_id = '$old') + (SELECT count(*) FROM feedback WHERE message_id = '$old_a') + (SELECT count(*) FROM shares WHERE conversation_id = '$old')")" 0 \
    "with its messages, feedback and share link"
is "$(stack_psql -- -c "SELECT (detail->>'days') || ' ' || (detail->>'conversations') || ' ' || (detail->>'messages') || ' ' || (detail->>'exports') FROM audit_log WHERE action = 'retention.delete'")" \
    "30 1 2 1" "recorded as retention.delete"
is "$(find "$STACK_DIR/content" -type f -name "$x_old.*" | wc -l) $(stack_psql -- -c "SELECT count(*) FROM exports WHERE id = '$x_old'")" "0 0" \
    "the old conversation's export went too, file and row"
# A database failure is the command's failure, with the database's reason
# (userdata_retention_batch() returns DB_ERROR, issue 13): the statement
# finds no deletion queue, and nothing is deleted (one transaction).
stack_psql -- -c "ALTER TABLE storage_deletions RENAME TO storage_deletions_away" >/dev/null
rc=0
out=$(PLCCOACH_CONTENT_DIR=$STACK_DIR/content stack_cli retention --days 1 2>&1) || rc=$?
stack_psql -- -c "ALTER TABLE storage_deletions_away RENAME TO storage_deletions" >/dev/null
is "$rc" 1 "plccoach retention exits 1 when the database fails"
like "$out" "plccoach: retention failed: .*storage_deletions" "saying what failed"
is "$(stack_psql -- -c "SELECT count(*) FROM conversations c JOIN users u ON u.id = c.user_id WHERE u.email = 'kim@example.org'")" \
    2 "and deleting nothing"
# The job process, daily: restart the pool with retention configured and a
# job process; it runs at once (it never ran before), then not again that day.
stack_psql -- -c "UPDATE conversations SET updated_at = now() - interval '31 days' WHERE id = '$edge'" >/dev/null
stack_pool_stop
STACK_JOB_WORKERS=1
stack_pool_env PLCCOACH_RETENTION_DAYS=30
stack_pool_start
gone() { [ "$(stack_psql -- -c "SELECT count(*) FROM conversations WHERE id = '$edge'")" = 0 ]; }
if plc_poll 60 gone; then pass "the job process deleted the conversation that aged past 30 days"; else fail "the job process deleted the conversation that aged past 30 days"; fi
is "$(stack_psql -- -c "SELECT count(*) FROM conversations WHERE id = '$recent'")" 1 "the recent one stays"
is "$(stack_psql -- -c "SELECT count(*) FROM maintenance_runs WHERE name = 'retention' AND last_run_at > now() - interval '5 minutes'")" 1 \
    "the daily run is recorded for every task to see"
done_testing
