#!/bin/bash
# Administration through nginx: roles enforced by the router table, users
# and locked roles, organizations (district -> school), teams, members and
# coaches, disabling a user, the audit log and its pages; and the
# matching `plccoach org|team` commands.
. "$(dirname "$0")/../lib/integration.sh"

stack_pool_env PLCCOACH_PUBLIC_URL=http://localhost:8000
stack_start

as() { # WHO METHOD PATH [curl args]
    local who=$1 var=csrf_$1
    shift
    local method=$1 path=$2
    shift 2
    http "$method" "$path" -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' "$@"
}

user_new admin admin boss@example.org Boss
user_new ed educator ed@example.org Ed
user_add cat educator cat@example.org Cat
admin_id=$id_admin ed_id=$id_ed cat_id=$id_cat

# ---- Roles from the router table ----------------------------------------------
for route in "GET /api/admin/users" "GET /api/admin/organizations" "GET /api/admin/teams" \
    "GET /api/admin/audit" "GET /api/admin/teams/00000000-0000-4000-8000-000000000000/people"; do
    as ed $route
    is "$HTTP_STATUS" 403 "an educator gets 403 from $route"
done
as ed PATCH "/api/admin/users/$ed_id" --data '{"role":"admin"}'
error_envelope_ok 403 forbidden "an educator cannot promote herself"
http GET /api/admin/users
is "$HTTP_STATUS" 401 "signed out: 401"

# ---- Users and roles ----------------------------------------------------------------
as admin GET '/api/admin/users?limit=2'
is "$HTTP_STATUS" 200 "admin lists users"
is "$(json_get users | grep -o '"email"' | wc -l | tr -d ' ')" 2 "limit=2 gives two"
first_page=$(json_get users)
after=$(json_get next_after)
as admin GET "/api/admin/users?limit=2&after=$after"
is "$(json_get users | grep -o '"email":"[^"]*"')" '"email":"ed@example.org"' \
    "the next page continues after the cursor"
is "$(json_get next_after)" null "and is the last"
like "$first_page" 'boss@example.org.*cat@example.org' "pages are ordered by email"
as admin GET '/api/admin/users?after=nope'
error_envelope_ok 400 invalid_parameter "a malformed cursor"

as admin PATCH "/api/admin/users/$cat_id" --data '{"role":"coach"}'
is "$HTTP_STATUS" 200 "admin makes Cat a coach"
is "$(json_get role)" coach "the answer shows the new role"
is "$(stack_psql -- -c "SELECT role || ' ' || role_locked FROM users WHERE id = '$cat_id'")" \
    "coach true" "the role is stored and locked against sign-in changes"
as admin PATCH "/api/admin/users/$cat_id" --data '{"role":"wizard"}'
error_envelope_ok 400 invalid_field "an unknown role"
as admin PATCH "/api/admin/users/$admin_id" --data '{"role":"educator"}'
error_envelope_ok 409 conflict "an admin cannot demote herself"
as admin PATCH "/api/admin/users/00000000-0000-0000-0000-000000000000" --data '{"role":"coach"}'
error_envelope_ok 404 not_found "an unknown user"
as admin PATCH "/api/admin/users/$cat_id" --data '{"role":"coach"}' -H 'Origin: https://evil.example'
is "$HTTP_STATUS" 403 "admin changes from another Origin are refused"

# ---- Organizations and teams ------------------------------------------------------------
as admin POST /api/admin/organizations --data '{"name":"Lakeside District","kind":"district"}'
is "$HTTP_STATUS" 201 "create a district"
district=$(json_get id)
as admin POST /api/admin/organizations \
    --data "{\"name\":\"Lakeside Middle\",\"kind\":\"school\",\"parent_id\":\"$district\"}"
is "$HTTP_STATUS" 201 "create a school in it"
school=$(json_get id)
as admin POST /api/admin/organizations \
    --data "{\"name\":\"Nested\",\"kind\":\"school\",\"parent_id\":\"$school\"}"
is "$HTTP_STATUS" 404 "a school cannot sit under a school"
as admin POST /api/admin/organizations --data '{"name":"X","kind":"galaxy"}'
error_envelope_ok 400 invalid_field "an unknown kind"
as admin GET /api/admin/organizations
like "$(json_get organizations)" "\"parent_id\":\"$district\"" "the school lists its district"

as admin PATCH "/api/admin/users/$ed_id" --data "{\"organization_id\":\"$school\"}"
is "$(json_get organization.name)" "Lakeside Middle" "Ed now belongs to the school"
is "$(json_get organization.parent.name)" "Lakeside District" "which sits in the district"

as admin POST /api/admin/teams --data "{\"organization_id\":\"$school\",\"name\":\"Grade 7 Math\"}"
is "$HTTP_STATUS" 201 "create a team"
team=$(json_get id)
as admin POST /api/admin/teams --data "{\"organization_id\":\"$school\",\"name\":\"Grade 7 Math\"}"
error_envelope_ok 409 conflict "a second team with the same name"
as admin PUT "/api/admin/teams/$team/members/$ed_id"
is "$HTTP_STATUS" 204 "add Ed to the team"
as admin PUT "/api/admin/teams/$team/members/$ed_id"
is "$HTTP_STATUS" 204 "adding twice is harmless"
as admin PUT "/api/admin/teams/$team/coaches/$ed_id"
error_envelope_ok 400 invalid_field "an educator cannot coach a team"
as admin PUT "/api/admin/teams/$team/coaches/$cat_id"
is "$HTTP_STATUS" 204 "Cat (now a coach) coaches the team"
as admin GET "/api/admin/teams?organization_id=$school"
is "$(json_get teams | grep -o '"member_count":[0-9]*')" '"member_count":1' "one member"
like "$(json_get teams)" '"coaches":\[\{"id":"[^"]*","name":"Cat"\}\]' "Cat listed as coach"
as admin GET "/api/admin/teams/$team/people"
is "$HTTP_STATUS" 200 "a team's people"
like "$HTTP_BODY" '"members":\[\{"id":"'"$ed_id"'","name":"Ed","email":"ed@example.org"\}\]' \
    "the members, with their emails"
like "$HTTP_BODY" '"coaches":\[\{"id":"'"$cat_id"'","name":"Cat","email":"cat@example.org"\}\]' \
    "and the coaches apart"
as admin GET "/api/admin/teams/00000000-0000-4000-8000-000000000000/people"
error_envelope_ok 404 not_found "no such team: 404"
as admin GET "/api/admin/teams/not-a-team/people"
is "$HTTP_STATUS" 404 "a malformed team id: 404"
as admin DELETE "/api/admin/teams/$team/members/$ed_id"
is "$HTTP_STATUS" 204 "remove Ed"
as admin DELETE "/api/admin/teams/$team/members/$ed_id"
error_envelope_ok 404 not_found "removing someone not on the team"

# ---- Disabling ------------------------------------------------------------------------------
as admin PATCH "/api/admin/users/$ed_id" --data '{"disabled":true}'
is "$HTTP_STATUS" 200 "disable Ed"
as ed GET /api/me
is "$HTTP_STATUS" 401 "Ed's session ended at once"
http POST /api/auth/login -H 'Content-Type: application/json' \
    --data '{"email":"ed@example.org","password":"password-of-ed"}'
is "$HTTP_STATUS" 401 "and Ed cannot sign in"

# ---- Audit log ---------------------------------------------------------------------------------
as admin GET '/api/admin/audit?action=user.role'
is "$(json_get entries | grep -o '"action":"user.role"' | wc -l | tr -d ' ')" 1 \
    "one role change recorded"
like "$(json_get entries)" '"detail":\{"from":"educator","to":"coach"\}' "with from and to"
like "$(json_get entries)" '"actor_email":"boss@example.org"' "and who did it"
as admin GET '/api/admin/audit?limit=3'
page1=$(json_get entries | grep -o '"id":[0-9]*' | head -3 | tr '\n' ' ')
before=$(json_get next_before)
as admin GET "/api/admin/audit?limit=3&before=$before"
page2=$(json_get entries | grep -o '"id":[0-9]*' | head -3 | tr '\n' ' ')
ok "audit pages do not overlap ($page1| $page2)" test -n "$page2" -a "$page1" != "$page2"
as admin GET '/api/admin/audit?before=abc'
is "$HTTP_STATUS" 400 "a malformed audit cursor"
# Filters: who acted (email, any case) and on what (the target's id).
as admin GET "/api/admin/audit?actor=BOSS@example.org&target=$team"
actions=$(json_get entries | grep -o '"action":"[^"]*"' | sort -u | tr '\n' ' ')
like "$actions" 'team.member.add' "the audit filtered by actor and target: the team's changes ($actions)"
unlike "$(json_get entries)" '"target_id":"'"$ed_id"'"' "and nothing on another target"
as admin GET "/api/admin/audit?actor=ed@example.org&target=$team"
is "$(json_get entries)" '[]' "another actor: none of them"
as admin GET "/api/admin/audit?actor=$(printf 'x%.0s' $(seq 1 400))"
is "$HTTP_STATUS" 400 "an over-long filter: 400"
# A date range (UTC days, both ends included): an entry dated 2020-03-04.
stack_psql -- -c "INSERT INTO audit_log (at, action, target_type, target_id)
    VALUES ('2020-03-04 23:30:00+00', 'old.thing', 'team', '$team')"
as admin GET "/api/admin/audit?target=$team&from=2020-03-04&to=2020-03-04"
is "$(json_get entries | grep -o '"action":"[^"]*"' | tr '\n' ' ')" '"action":"old.thing" ' \
    "from and to on the same day: that day's entry only (its last hour included)"
as admin GET "/api/admin/audit?target=$team&to=2020-03-03"
is "$(json_get entries)" '[]' "to the day before: nothing"
as admin GET "/api/admin/audit?target=$team&from=2020-03-05"
actions=$(json_get entries | grep -o '"action":"[^"]*"' | sort -u | tr '\n' ' ')
like "$actions" 'team.member.add' "from the day after: today's changes ($actions)"
unlike "$actions" 'old.thing' "and not the old entry"
as admin GET "/api/admin/audit?from=2020-03-05&to=2020-03-04"
is "$HTTP_STATUS" 400 "from after to: 400"
as admin GET "/api/admin/audit?from=2020-02-30"
is "$HTTP_STATUS" 400 "a day that does not exist: 400"

# ---- The command line -------------------------------------------------------------------------
cli_org=$(stack_cli org add --name "Hill District" --kind district)
like "$cli_org" '^[0-9a-f-]{36}$' "plccoach org add prints the new id"
cli_team=$(stack_cli team add --org "$cli_org" --name "Science")
like "$cli_team" '^[0-9a-f-]{36}$' "plccoach team add prints the new id"
ok "plccoach team add-coach assigns a coach" stack_cli team add-coach --team "$cli_team" --email cat@example.org
if stack_cli team add-coach --team "$cli_team" --email ed@example.org 2>"$STACK_DIR/cli.err"; then
    fail "plccoach team add-coach refuses an educator"
else
    like "$(cat "$STACK_DIR/cli.err")" 'only a coach or an admin' "plccoach team add-coach refuses an educator"
fi
is "$(stack_cli org list | grep -c 'Hill District')" 1 "plccoach org list shows it"
is "$(stack_cli team list | grep -c 'Science')" 1 "plccoach team list shows the team"
users_out=$(stack_cli user list) || users_out="(exit $?)"
like "$users_out" 'cat@example\.org' "plccoach user list lists the users"
like "$users_out" 'ed@example\.org' "plccoach user list lists every user"

done_testing
