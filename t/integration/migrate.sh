#!/bin/bash
# `plccoach migrate` against real PostgreSQL: status, apply, idempotence,
# recorded checksums, the vector extension, two runs at once, an edited
# migration refused, a failing migration rolled back.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

stack_require_servers
stack_init
stack_pg_start

# The migrations of the source tree, by name (001_init, ...).
names=()
for f in "$PLC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql; do
    f=${f##*/}
    names+=("${f%.sql}")
done
n=${#names[@]}
ok "the source tree has migrations ($n)" test "$n" -ge 1
is "${names[0]}" 001_init "the first is 001_init"

# migrate_in DB [ARGS...]: runs plccoach migrate on database DB; output in
# $out, exit status in $rc.
migrate_in() {
    local db=$1
    shift
    rc=0
    out=$(PLCCOACH_DB_NAME=$db stack_cli migrate "$@" 2>&1) || rc=$?
    # Kept for the clean-up's sanitizer check of every log.
    printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"
}

# ---- A fresh database ---------------------------------------------------------
stack_createdb fresh
migrate_in fresh --status
is "$rc" 0 "migrate --status on a fresh database exits 0"
expected=$(printf 'pending  %s\n' "${names[@]}")
is "$out" "$expected" "... and lists every migration as pending"
is "$(stack_psql fresh -- -c "SELECT to_regclass('schema_migrations') IS NULL")" t \
    "--status changed nothing"

migrate_in fresh
is "$rc" 0 "migrate applies them"
is "$(grep -c '^applied ' <<<"$out")" "$n" "... all $n, reported one by one"
like "$out" 'up to date' "... and says the database is up to date"

migrate_in fresh
is "$rc" 0 "a second migrate exits 0"
is "$(grep -c '^applied ' <<<"$out" || true)" 0 "... and applies nothing"

migrate_in fresh --status
like "$out" "^applied  001_init  [0-9]{4}-[0-9]{2}-[0-9]{2}T" "--status shows applied migrations with the time"
is "$(grep -c '^applied ' <<<"$out")" "$n" "... all of them"

rows=$(stack_psql fresh -- -F ' ' -c 'SELECT name, checksum FROM schema_migrations ORDER BY name')
want=$(for m in "${names[@]}"; do
    printf '%s %s\n' "$m" "$(sha256sum <"$PLC_SRCDIR/sql/$m.sql" | cut -d' ' -f1)"
done)
is "$rows" "$want" "schema_migrations records each name with the file's sha256"
like "$(stack_psql fresh -- -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")" \
    '^[0-9]+\.[0-9]+' "the vector extension is installed"
is "$(stack_psql fresh -- -c "SELECT '[1,2,3]'::vector <=> '[1,2,3]'::vector")" 0 \
    "... and works (cosine distance of a vector to itself is 0)"

# ---- Two runs at once -----------------------------------------------------
stack_createdb race
for i in 1 2 3; do
    (PLCCOACH_DB_NAME=race stack_cli migrate >"$STACK_DIR/log/race$i.log" 2>&1; echo $? >"$STACK_DIR/race$i.rc") &
done
wait
for i in 1 2 3; do
    is "$(cat "$STACK_DIR/race$i.rc")" 0 "concurrent migrate $i of 3 exits 0"
done
is "$(cat "$STACK_DIR"/log/race?.log | grep -c '^applied ')" "$n" "between them they applied each migration once"
is "$(stack_psql race -- -c 'SELECT count(*), count(DISTINCT name) FROM schema_migrations')" "$n|$n" \
    "each migration is recorded once"

# ---- Migrations directory: --sql-dir and PLCCOACH_SQL_DIR ------------------
sqldir=$STACK_DIR/sql
cp -r "$PLC_SRCDIR/sql" "$sqldir"
chmod -R u+w "$sqldir"
stack_createdb edited
migrate_in edited --sql-dir "$sqldir"
is "$rc" 0 "migrate --sql-dir DIR applies from DIR"
printf '\n-- an innocent-looking edit\n' >>"$sqldir/001_init.sql"
migrate_in edited --sql-dir "$sqldir"
is "$rc" 1 "an applied migration edited afterwards: migrate exits 1"
like "$out" 'edited' "... and says the migration was edited"
like "$out" '001_init' "... naming it"
rc=0
out=$(PLCCOACH_SQL_DIR=$sqldir PLCCOACH_DB_NAME=edited stack_cli migrate 2>&1) || rc=$?
is "$rc" 1 "the same through PLCCOACH_SQL_DIR"

# ---- A failing migration rolls back -----------------------------------------
broken=$STACK_DIR/sql-broken
cp -r "$PLC_SRCDIR/sql" "$broken"
chmod -R u+w "$broken"
cat >"$broken/999_broken.sql" <<'EOF'
CREATE TABLE broken_half (id int);
INSERT INTO broken_half VALUES (1);
SELECT 1 / 0;
EOF
stack_createdb rollback
migrate_in rollback --sql-dir "$broken"
is "$rc" 1 "a failing migration: migrate exits 1"
like "$out" '999_broken' "... naming it"
like "$out" 'division by zero' "... with PostgreSQL's error"
is "$(stack_psql rollback -- -c "SELECT to_regclass('broken_half') IS NULL")" t \
    "nothing of the failed migration remains (its table is gone)"
is "$(stack_psql rollback -- -c "SELECT count(*) FROM schema_migrations WHERE name = '999_broken'")" 0 \
    "the failed migration is not recorded"
is "$(stack_psql rollback -- -c 'SELECT count(*) FROM schema_migrations')" "$n" \
    "the migrations before it stay applied (one transaction each)"
printf 'CREATE TABLE broken_half (id int);\n' >"$broken/999_broken.sql"
migrate_in rollback --sql-dir "$broken"
is "$rc" 0 "once fixed, migrate applies it"
is "$(stack_psql rollback -- -c "SELECT to_regclass('broken_half') IS NOT NULL")" t "... and its table exists"

# ---- A rollback: an earlier release on a schema a newer one migrated ---------------
# (the documented rollback redeploys an earlier image, whose entrypoint
# migrates first.)  The tree without its newest migration is "the earlier
# release"; the database "rollback" has every migration of this tree.
earlier=$STACK_DIR/sql-earlier
mkdir -p "$earlier"
cp "$PLC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql "$earlier/"
rm -f "$earlier"/999_*.sql "$earlier/${names[n - 1]}.sql"
migrate_in rollback --sql-dir "$earlier"
is "$rc" 0 "an earlier release's migrate succeeds on a newer schema"
like "$out" "${names[n - 1]} was applied by a newer release" "... saying which migration is newer"
# A file missing in the middle is still refused.
middle=$STACK_DIR/sql-middle
mkdir -p "$middle"
cp "$PLC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql "$middle/"
rm -f "$middle/${names[0]}.sql"
migrate_in rollback --sql-dir "$middle"
is "$rc" 1 "a migration missing below the newest is still refused"
like "$out" "applied migration ${names[0]} is missing" "... as missing"

# ---- The migration role (PLCCOACH_MIGRATE_PGUSER / _PGPASSWORD) ----------------------
stack_createdb asrole
stack_psql postgres -- -c "CREATE ROLE plc_migrator LOGIN PASSWORD 'm1gr4tor-pass'" >/dev/null
# The cluster trusts every local connection; this role must give its password.
sed -i '1i host all plc_migrator 127.0.0.1/32 scram-sha-256' "$STACK_DIR/pg/pg_hba.conf"
stack_psql postgres -- -c "SELECT pg_reload_conf()" >/dev/null
stack_psql asrole -- -c "GRANT CREATE ON DATABASE asrole TO plc_migrator; GRANT CREATE ON SCHEMA public TO plc_migrator; CREATE EXTENSION vector" >/dev/null
rc=0
out=$(env -u PGUSER -u PGPASSWORD PLCCOACH_MIGRATE_PGUSER=plc_migrator PLCCOACH_MIGRATE_PGPASSWORD=m1gr4tor-pass \
    PLCCOACH_DATABASE_URL="host=127.0.0.1 port=$STACK_PG_PORT dbname=asrole" "$STACK_CLI" migrate 2>&1) || rc=$?
printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"
is "$rc" 0 "migrate connects as PLCCOACH_MIGRATE_PGUSER"
is "$(stack_psql asrole -- -c "SELECT tableowner FROM pg_tables WHERE tablename = 'users'")" plc_migrator \
    "... so the migration role owns what it creates"

# ---- --wait: an unreachable database is waited for; refused credentials are not ------------
stack_createdb waiting
pg_stop
start=$SECONDS
rc=0
PLCCOACH_DB_NAME=waiting PLCCOACH_DB_CONNECT_TIMEOUT=2 stack_cli migrate --wait 60 \
    >"$STACK_DIR/log/wait.log" 2>&1 &
waiter=$!
STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $waiter"
saying_waiting() { grep -q 'the database is unreachable; trying again' "$STACK_DIR/log/wait.log"; }
plc_poll 30 saying_waiting || true
ok "migrate --wait says it is waiting while PostgreSQL is down" saying_waiting
ok "... and is still running" plc_pid_alive "$waiter"
pg_start
wait "$waiter" || rc=$?
cat "$STACK_DIR/log/wait.log" >>"$STACK_DIR/log/cli.log"
is "$rc" 0 "once PostgreSQL is back, migrate --wait migrates and exits 0"
like "$(cat "$STACK_DIR/log/wait.log")" 'the database is unreachable; trying again' "... having said it was waiting"
is "$(stack_psql waiting -- -c 'SELECT count(*) FROM schema_migrations')" "$n" "... all $n migrations applied"
rc=0
start=$SECONDS
out=$(env -u PGUSER -u PGPASSWORD PLCCOACH_MIGRATE_PGUSER=plc_migrator PLCCOACH_MIGRATE_PGPASSWORD=wrong \
    PLCCOACH_DATABASE_URL="host=127.0.0.1 port=$STACK_PG_PORT dbname=asrole" "$STACK_CLI" migrate --wait 60 2>&1) || rc=$?
printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"
is "$rc" 1 "refused credentials: migrate --wait fails"
ok "... at once, not after the wait ($((SECONDS - start)) s)" test $((SECONDS - start)) -lt 10
like "$out" 'password authentication failed' "... with the server's reason"

# ---- No database ------------------------------------------------------------------
rc=0
out=$(env -u PGHOST -u PGPORT PLCCOACH_DATABASE_URL="host=$STACK_DIR/run port=1 dbname=x user=postgres" \
    PLCCOACH_DB_CONNECT_TIMEOUT=2 "$STACK_CLI" migrate 2>&1) || rc=$?
is "$rc" 1 "no database: migrate exits 1"
like "$out" 'connect' "... saying it cannot connect"
printf '%s\n' "$out" >>"$STACK_DIR/log/cli.log"

done_testing
