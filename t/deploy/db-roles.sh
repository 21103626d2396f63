#!/bin/bash
# The deployment's database roles against real PostgreSQL, as on RDS: a
# master user that is not a superuser (CREATEROLE, owner of the database),
# `plccoach db-roles` run as that user, then the container's entrypoint
# with the ECS task's credentials (the application role as PG*, the
# migration role as PLCCOACH_MIGRATE_PG*), every role with a SCRAM
# password (pg_hba), over TCP:
#   - db-roles creates both roles, then (run again) resets their passwords;
#   - the entrypoint migrates as the migration role, which owns the schema;
#   - the application, as the application role, signs people in, records
#     audit rows and takes a book upload that its job process ingests
#     (after `plccoach reindex` as the master user built the index);
#   - the application role cannot create, alter or drop tables, nor write
#     schema_migrations; a table a later migration creates is its to use;
#   - pg_stat_statements is installed; a wrong password is refused.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=t/lib/stack.sh
. "$PLC_SRCDIR/t/lib/stack.sh"

stack_require_servers
stack_init
stack_pg_start
# shellcheck source=t/deploy/ep-lib.bash
. "$PLC_SRCDIR/t/deploy/ep-lib.bash"

master_pw="master-password-0123456789"
app_pw="app-role-password-0123456789"
mig_pw="migrate-role-password-0123456789"
# RDS's master user: not a superuser; owns the database.  RDS lets it
# create pgvector and pg_stat_statements (rds_superuser); here neither is a
# trusted extension, so the superuser creates them first (db-roles' CREATE
# EXTENSION IF NOT EXISTS then has nothing to do).
stack_psql postgres -- -c "CREATE ROLE rds_master LOGIN CREATEROLE CREATEDB PASSWORD '$master_pw'" >/dev/null
stack_psql postgres -- -c "CREATE DATABASE $STACK_DB OWNER rds_master" >/dev/null
stack_psql -- -c "CREATE EXTENSION vector; CREATE EXTENSION pg_stat_statements" >/dev/null
sed -i '1i host all rds_master,plccoach_app,plccoach_migrate 127.0.0.1/32 scram-sha-256' \
    "$STACK_DIR/pg/pg_hba.conf"
stack_psql postgres -- -c "SELECT pg_reload_conf()" >/dev/null

tcp="host=127.0.0.1 port=$STACK_PG_PORT dbname=$STACK_DB"
# as ROLE PASSWORD COMMAND...: COMMAND with libpq's PG* set to ROLE.
as() {
    local role=$1 pw=$2
    shift 2
    env -u PGHOST -u PGPORT -u PGDATABASE PGUSER="$role" PGPASSWORD="$pw" \
        PLCCOACH_DATABASE_URL="$tcp" "$@"
}
sql_as() { # ROLE PASSWORD SQL: psql as ROLE over TCP; output, status in $rc
    rc=0
    out=$(PGPASSWORD=$2 "$PLC_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$tcp user=$1" -c "$3" 2>&1) || rc=$?
}

# ---- db-roles, as the master user ----------------------------------------------------------
roles_env=(PLCCOACH_APP_PGPASSWORD="$app_pw" PLCCOACH_MIGRATE_PGPASSWORD="$mig_pw")
rc=0
out=$(as rds_master "$master_pw" env "${roles_env[@]}" "$STACK_CLI" db-roles 2>&1) || rc=$?
is "$rc" 0 "plccoach db-roles as the (non-superuser) master user"
like "$out" 'created plccoach_app \(application role\)' "... creates the application role"
like "$out" 'created plccoach_migrate \(migration role\)' "... and the migration role"
like "$out" 'pg_stat_statements: installed' "... and reports pg_stat_statements installed"
is "$(stack_psql -- -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")" 1 \
    "pg_stat_statements is in the database"
is "$(stack_psql -- -c "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = 'plccoach_app'")" f \
    "the application role has no special attribute"
sql_as plccoach_app "$app_pw" "SELECT current_user"
is "$out" plccoach_app "the application role signs in with its password (SCRAM)"
sql_as plccoach_app "wrong-$app_pw" "SELECT 1"
isnt "$rc" 0 "... and not with another"
unlike "$(cat "$STACK_DIR/log/postgres.log")" "$app_pw|$mig_pw" "no password reached PostgreSQL's log"
rc=0
out=$(as rds_master "$master_pw" env "${roles_env[@]}" "$STACK_CLI" db-roles 2>&1) || rc=$?
is "$rc" 0 "db-roles again"
like "$out" 'password reset: plccoach_app' "... resets the passwords of the existing roles"
rc=0
out=$(as rds_master "$master_pw" env "${roles_env[@]}" "$STACK_CLI" db-roles --app-role rds_master 2>&1) || rc=$?
isnt "$rc" 0 "the master user cannot be made the application role"

# ---- The task: migrations as the migration role, the application as its own --------------------
ep_start PLCCOACH_MIGRATE_ON_START=true PLCCOACH_DATABASE_URL="$tcp" \
    PGUSER=plccoach_app PGPASSWORD="$app_pw" \
    PLCCOACH_MIGRATE_PGUSER=plccoach_migrate PLCCOACH_MIGRATE_PGPASSWORD="$mig_pw" \
    PLCCOACH_JOB_WORKERS=1 PLCCOACH_PUBLIC_URL=http://localhost:8000
ok "the entrypoint migrates and becomes ready" plc_poll 60 ep_health_is 200 /health/ready
is "$(ep_code /health)" 200 "the application reaches the database as plccoach_app"
is "$(stack_psql -- -c "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")" \
    plccoach_migrate "every table is the migration role's"
is "$(stack_psql -- -c "SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'plccoach' AND datname = '$STACK_DB'")" \
    plccoach_app "the pool's connections are the application role's"

# An administrator (created by an operator, as the master user) signs in.
printf 'password-of-boss\n' | as rds_master "$master_pw" "$STACK_CLI" user add --email boss@example.org \
    --name boss --role admin --password-stdin >/dev/null || bail "user add"
jar=$STACK_DIR/boss.jar
code=$(curl -s -o "$STACK_DIR/login.json" -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
    --data '{"email":"boss@example.org","password":"password-of-boss"}' "$(ep_url /api/auth/login)")
is "$code" 200 "a sign-in through the application role works (session, audit row)"
is "$(stack_psql -- -c "SELECT count(*) FROM audit_log WHERE action = 'login.success'")" 1 "... audited"
# The index the first book would create needs the table's owner: the
# master user builds it (an operator's `plccoach reindex` in the admin
# task, docs/operations.md), then uploads ingest as the application role.
rc=0
out=$(as rds_master "$master_pw" "$STACK_CLI" reindex 2>&1) || rc=$?
is "$rc" 0 "plccoach reindex as the master user (a member of the migration role) builds the index"
csrf=$(json_get csrf_token "$STACK_DIR/login.json")
book=$PLC_SRCDIR/content/starter/getting-started-with-collaborative-teams.md
code=$(curl -s -o "$STACK_DIR/upload.json" -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$book" \
    "$(ep_url "/api/admin/books?filename=teams.md")")
is "$code" 202 "a book upload is accepted"
job=$(json_get id "$STACK_DIR/upload.json")
job_done() { [ "$(stack_psql -- -c "SELECT status FROM ingest_jobs WHERE id = '$job'")" = "done" ]; }
ok "... and ingested by the job process, as the application role" plc_poll 90 job_done

# ---- What the application role cannot do ----------------------------------------------------------
sql_as plccoach_app "$app_pw" "CREATE TABLE intruder (id int)"
like "$out" 'permission denied for schema public' "the application role cannot create a table"
sql_as plccoach_app "$app_pw" "ALTER TABLE users ADD COLUMN intruder int"
like "$out" 'must be owner of table users' "... nor alter one"
sql_as plccoach_app "$app_pw" "DROP TABLE audit_log"
like "$out" 'must be owner of table audit_log' "... nor drop one"
sql_as plccoach_app "$app_pw" "DELETE FROM schema_migrations"
like "$out" 'permission denied for table schema_migrations' "... nor change the migration history"
sql_as plccoach_app "$app_pw" "SELECT count(*) FROM users"
is "$out" 1 "it reads and writes the data"

# ---- A later migration's table is the application's to use ------------------------------------------
later=$STACK_DIR/sql-later
mkdir -p "$later"
cp "$PLC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql "$later/"
printf 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE later_table (id bigserial PRIMARY KEY, note text);\n' \
    >"$later/999_later.sql"
rc=0
out=$(as plccoach_app "$app_pw" "$STACK_CLI" migrate --sql-dir "$later" 2>&1) || rc=$?
printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"
isnt "$rc" 0 "the later migration as the application role (no PLCCOACH_MIGRATE_PG*) is refused"
like "$out" 'permission denied' "... by PostgreSQL"
rc=0
out=$(as plccoach_app "$app_pw" env PLCCOACH_MIGRATE_PGUSER=plccoach_migrate \
    PLCCOACH_MIGRATE_PGPASSWORD="$mig_pw" "$STACK_CLI" migrate --sql-dir "$later" 2>&1) || rc=$?
printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"
is "$rc" 0 "... and applied as the migration role, a trusted extension (pg_trgm) included"
sql_as plccoach_app "$app_pw" "INSERT INTO later_table (note) VALUES ('x') RETURNING id"
is "$out" 1 "the application role writes the new table (default privileges), its sequence too"

kill -TERM "$EP_PID"
ok "the entrypoint stops" ep_wait_exit 25
done_testing
