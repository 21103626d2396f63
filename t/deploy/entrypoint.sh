#!/bin/bash
# The container's entrypoint (docker/entrypoint.sh), run on the host with
# the build tree's plccoach-fcgi and plccoach, the system's nginx and
# conf/nginx/fargate.conf, against a throwaway PostgreSQL (t/lib/stack.sh):
# migrations on start as the migration role, whose credentials no running
# process keeps; liveness and readiness; SIGTERM draining a request in
# flight and exiting 0; a dying pool master or nginx making it exit
# non-zero (so ECS replaces the task), also when it dies while the
# entrypoint is not inside `wait -n`; start-up waiting for a database
# that is down; and a database outage longer than the health checks'
# window, which the checks, the pool, nginx and the entrypoint live
# through, serving again afterwards without a restart.
# shellcheck disable=SC2317  # helpers are called through plc_poll
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
# The database exists but has no tables: the entrypoint migrates.
stack_createdb "$STACK_DB" >/dev/null
# shellcheck source=t/deploy/ep-lib.bash
. "$PLC_SRCDIR/t/deploy/ep-lib.bash"

in_flight() {
    [ "$(fcgi_in_flight "$EP_RUN/fcgi.sock")" -ge 1 ]
}

# ---- Start: migrations as the migration role, liveness, readiness ---------------------------
# The migration role owns what it creates (docs/operations.md, "Database
# roles"); the canary password must reach the migration and no process
# that keeps running.
stack_psql postgres -- -c "CREATE ROLE plc_migrate LOGIN PASSWORD 'canary-migrate-pass-7c1'" >/dev/null
stack_psql -- -c "GRANT CREATE ON SCHEMA public TO plc_migrate; GRANT CREATE ON DATABASE $STACK_DB TO plc_migrate; CREATE EXTENSION vector" >/dev/null
# As in the ECS task, the role comes from libpq's PG* variables, not from
# the connection string (which would win over them).
ep_start PLCCOACH_MIGRATE_ON_START=true PLCCOACH_MIGRATE_PGUSER=plc_migrate \
    PLCCOACH_MIGRATE_PGPASSWORD=canary-migrate-pass-7c1 PGUSER=postgres \
    PLCCOACH_DATABASE_URL="host=$STACK_DIR/run port=$STACK_PG_PORT dbname=$STACK_DB"
ok "GET /health answers 200 through nginx on the entrypoint's port" plc_poll 30 ep_health_is 200
like "$(stack_psql -- -c 'SELECT count(*) FROM schema_migrations')" '^[1-9]' \
    "PLCCOACH_MIGRATE_ON_START=true applied the migrations"
is "$(stack_psql -- -c "SELECT tableowner FROM pg_tables WHERE tablename = 'schema_migrations'")" \
    plc_migrate "... as the migration role (PLCCOACH_MIGRATE_PGUSER)"
ok "it logged the start-up as JSON" \
    grep -q '"role":"entrypoint".*"msg":"waiting for the database and running migrations"' "$EP_LOG"
ok "nginx writes its JSON access log to stdout" plc_poll 30 grep -q '"uri":"/health"' "$EP_LOG"
pool=$(ep_child plccoach-fcgi || true)
nginx=$(ep_child nginx || true)
ok "the pool master is a child of the entrypoint" test -n "$pool"
ok "nginx is a child of the entrypoint" test -n "$nginx"
leaks=
for p in "$EP_PID" "$pool" "$nginx" $(worker_pids "$pool") $(worker_pids "$nginx"); do
    if tr '\0' '\n' <"/proc/$p/environ" | grep -q 'canary-migrate-pass-7c1\|PLCCOACH_MIGRATE_PG'; then
        leaks+=" $p($(cat "/proc/$p/comm"))"
    fi
done
is "$leaks" "" "no running process (the entrypoint, nginx, the pool) has the migration role's credentials"
unlike "$(cat "$EP_LOG")" 'canary-migrate-pass' "... and the log does not have them either"
ok "the entrypoint closed the pipe that handed them over (fd 3)" test ! -e "/proc/$EP_PID/fd/3"
like "$(ep_body /health/live)" '"status":"ok","version"' "GET /health/live: a worker answers"
is "$(ep_code /health/ready)" 200 "GET /health/ready: 200 once started"
ok "the readiness marker exists" test -f "$EP_RUN/ready"

# ---- SIGTERM drains a request in flight and exits 0 ----------------------------------------
curl -s --max-time 30 -o "$STACK_DIR/slow.body" -w '%{http_code}' \
    "$(ep_url '/api/debug/sleep?ms=3000')" >"$STACK_DIR/slow.status" &
slow=$!
ok "a 3 s request is in flight" plc_poll 60 in_flight
kill -TERM "$EP_PID"
not_ready() { ! ep_health_is 200 /health/ready; }
ok "from SIGTERM on, /health/ready fails (the ALB stops sending)" plc_poll 2 not_ready
ok "... the readiness marker is gone" test ! -e "$EP_RUN/ready"
ok "the entrypoint exits after SIGTERM" ep_wait_exit 25
is "$EP_STATUS" 0 "... with status 0"
wait "$slow" || true
is "$(cat "$STACK_DIR/slow.status")" 200 "the request in flight at SIGTERM completed with 200"
like "$(cat "$STACK_DIR/slow.body")" '^\{"slept_ms":3000\}' "... with its whole answer"
ok "the pool master is gone" plc_poll 30 test ! -d "/proc/$pool"
ok "nginx is gone" plc_poll 30 test ! -d "/proc/$nginx"
ok "the pool drained" grep -q 'master exiting: all workers drained' "$EP_LOG"
ok "the entrypoint said it stopped cleanly" grep -q '"msg":"stopped cleanly"' "$EP_LOG"

# ---- The pool master dies: the entrypoint stops nginx and exits non-zero -----------------
ep_start
ok "started again (no migrations)" plc_poll 30 ep_health_is 200
unlike "$(cat "$EP_LOG")" 'running migrations' "PLCCOACH_MIGRATE_ON_START unset: no migration"
pool=$(ep_child plccoach-fcgi)
nginx=$(ep_child nginx)
kill -KILL "$pool"
ok "kill -9 of the pool master: the entrypoint exits" ep_wait_exit 15
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS), so ECS replaces the task"
ok "... and nginx was stopped" plc_poll 30 test ! -d "/proc/$nginx"
ok "it logged why" grep -q '"msg":"plccoach-fcgi exited; stopping nginx"' "$EP_LOG"

# ---- nginx dies: the entrypoint stops the pool and exits non-zero ---------------------------
ep_start
ok "started again" plc_poll 30 ep_health_is 200
pool=$(ep_child plccoach-fcgi)
nginx=$(ep_child nginx)
nginx_workers=$(worker_pids "$nginx")
kill -KILL "$nginx"
ok "kill -9 of nginx: the entrypoint exits" ep_wait_exit 20
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
ok "... and the pool was stopped" plc_poll 30 test ! -d "/proc/$pool"
ok "it logged why" grep -q '"msg":"nginx exited; stopping plccoach-fcgi"' "$EP_LOG"
# nginx's workers outlive a SIGKILLed master (in a container they end with
# it): stop the ones this test started.
for w in $nginx_workers; do
    kill -TERM "$w" 2>/dev/null || true
done

# ---- Refused credentials or a failed migration stop the container ------------------------------
start=$SECONDS
ep_start PLCCOACH_MIGRATE_ON_START=true PLCCOACH_DATABASE_URL="$(stack_conninfo no_such_db)"
ok "a database that refuses the connection: the entrypoint exits" ep_wait_exit 20
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
ok "... at once, without waiting for the database ($((SECONDS - start)) s)" test $((SECONDS - start)) -lt 15
ok "... without starting the pool" bash -c "! grep -q 'started plccoach-fcgi' '$EP_LOG'"
ok "... saying so" grep -q '"msg":"plccoach migrate failed"' "$EP_LOG"
nginx_running() { grep -lqs -- "$EP_RUN/nginx/" /proc/[0-9]*/cmdline; }
ok "... and nginx, started first, is gone too" plc_poll 30 eval '! nginx_running'

# ---- A death the entrypoint does not see from inside `wait -n` ---------------------------------
# CI run 1 (c5fe37b): the pool master killed after it had made its socket
# (the test's GET /health answers from then on) but before the entrypoint,
# which looks for the socket every 0.1 s, was supervising.  bash reaps a
# child that dies during a foreground command (here the start-up loop's
# `sleep 0.1`) and, when a signal killed it, forgets it for `wait -n`: the
# entrypoint waited for nginx alone, for ever (docker/README.md,
# "Supervision").  A stand-in for plccoach-fcgi makes it deterministic: it
# stops (SIGSTOP) the entrypoint's `sleep 0.1`, so the entrypoint is held
# in it, makes the socket, and kills itself with -9 -- and nginx first,
# with PLC_T_KILL_NGINX=1 (with both forgotten, `wait -n` returned at
# once and the loop spun); a child of the stand-in resumes the sleep once
# the entrypoint has reaped the stand-in.
cat >"$STACK_DIR/pool-dies-asleep" <<'EOS'
#!/usr/bin/perl
# pool-dies-asleep --listen unix:PATH (as the entrypoint starts the pool)
use strict;
use warnings;
use IO::Socket::UNIX;
use POSIX ();
my $path = $ARGV[1] =~ s/^unix://r;
my $entry = getppid();
# child(TEST): the entrypoint's child whose command line passes TEST.
sub child {
    my ($test) = @_;
    open(my $fh, '<', "/proc/$entry/task/$entry/children") or return;
    for my $c (split ' ', scalar(<$fh> // '')) {
        open(my $cf, '<', "/proc/$c/cmdline") or next;
        my $cmd = do { local $/; <$cf> } // '';
        return $c if $test->($cmd);
    }
    return;
}
my $deadline = time + 20;
my $sleep;
until ($sleep = child(sub { $_[0] eq "sleep\0" . "0.1\0" })) {
    exit 3 if time > $deadline;
    select(undef, undef, undef, 0.005);
}
kill('STOP', $sleep) or exit 3;
my $sock = IO::Socket::UNIX->new(Local => $path, Listen => 1) or die "$path: $!\n";
my $me = $$;
my $helper = fork() // die "fork: $!\n";
if ($helper == 0) {
    my $end = time + 10;
    select(undef, undef, undef, 0.01) while kill(0, $me) && time < $end;
    kill('CONT', $sleep);
    POSIX::_exit(0);
}
if (($ENV{PLC_T_KILL_NGINX} // '') eq '1') {
    # nginx names itself "nginx: master" once it has read its
    # configuration, which a loaded machine can delay past this point.
    my $nginx;
    until ($nginx = child(sub { $_[0] =~ /^nginx: master/ })) {
        exit 3 if time > $deadline;
        select(undef, undef, undef, 0.005);
    }
    kill('KILL', $nginx);
}
open(my $marker, '>', "$ENV{PLCCOACH_RUN_DIR}/../died-asleep") or exit 3;
close($marker);
kill('KILL', $$);
EOS
chmod 0755 "$STACK_DIR/pool-dies-asleep"
for both in 0 1; do
    rm -f "$EP_DIR/died-asleep"
    ep_start PLCCOACH_FCGI_BIN="$STACK_DIR/pool-dies-asleep" PLC_T_KILL_NGINX=$both
    what="the pool"
    [ "$both" = 1 ] && what="nginx and the pool"
    ok "$what killed -9 while the entrypoint is held in its start-up loop's sleep: it exits" \
        ep_wait_exit 15
    ok "... (the stand-in did die there)" test -e "$EP_DIR/died-asleep"
    isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
    ok "... saying the pool exited (status 137)" \
        grep -q '"msg":"plccoach-fcgi exited; stopping nginx","status":"137"' "$EP_LOG"
    ok "... and nginx is gone" plc_poll 30 eval '! nginx_running'
    ep_stop_hard
done

# ---- A bad setting is refused ------------------------------------------------------------------
ep_start PLCCOACH_MIGRATE_ON_START=maybe
ok "PLCCOACH_MIGRATE_ON_START=maybe: the entrypoint exits" ep_wait_exit 10
is "$EP_STATUS" 2 "... with status 2"
ep_start PLCCOACH_ALB_CIDRS=10.0.0.0/24
ok "behind a load balancer without CloudFront's origin secret: the entrypoint refuses" ep_wait_exit 10
is "$EP_STATUS" 2 "... with status 2"
ep_start PLCCOACH_ALB_CIDRS='10.0.0.0/24;' PLCCOACH_ORIGIN_SECRET=0123456789abcdef0123
ok "an address range that is not one: refused" ep_wait_exit 10
is "$EP_STATUS" 2 "... with status 2"

# ---- Start-up waits for a database that is down -------------------------------------------------------
pg_stop
ep_start PLCCOACH_MIGRATE_ON_START=true PLCCOACH_DB_CONNECT_TIMEOUT=2
ok "with PostgreSQL down, nginx answers the liveness check at once" \
    plc_poll 60 ep_health_is 200 /health/live
like "$(ep_body /health/live)" '"status":"starting"' "... saying the container is starting"
is "$(ep_code /health/ready)" 503 "readiness answers 503: the ALB sends nothing yet"
# Waiting is shown by events, not by a fixed sleep: the migration's
# connection loop logs each failed attempt before it waits again.
db_retries() { [ "$(grep -c 'the database is unreachable; trying again' "$EP_LOG")" -ge "$1" ]; }
ok "the entrypoint waits for the database: three attempts logged" plc_poll 60 db_retries 3
ok "... and is still waiting after them, not exiting" plc_pid_alive "$EP_PID"
is "$(ep_code /health/live)" 200 "... and still live"
pg_start
ok "PostgreSQL back: the task becomes ready" plc_poll 30 ep_health_is 200 /health/ready
like "$(ep_body /health/live)" '"status":"ok","version"' "... and a worker answers the liveness check"
ok "... and serves" ep_health_is 200 /health

# ---- A database outage longer than the health checks' window -----------------------------------------
# The checks exactly as the task definition and the target group define
# them: the container's command (with this test's port) and the ALB's
# path, run every second (ECS and the ALB run them every 30 s, 3 failures
# in a row replace the task: a 90 s window); the outage lasts
# PLC_OUTAGE_SECONDS (12), longer than the 3 failures the compressed checks
# allow, so one failing check in three would show.
if tf_available; then
    td=$(tf_value environments/production module.stack.module.compute.aws_ecs_task_definition.api.container_definitions)
    live_cmd=$(perl -ne 'print $1 if /command\s*=\s*\["CMD-SHELL",\s*"([^"]*)"\]/' <<<"$td")
    ready_path=$(tf_value environments/production module.stack.module.load_balancer.aws_lb_target_group.blue.health_check.0.path)
    retries=$(perl -ne 'print $1 if /retries\s*=\s*(\d+)/' <<<"$td")
else
    live_cmd="curl -fsS -o /dev/null http://127.0.0.1:8000/health/live || exit 1"
    ready_path=/health/ready
    retries=3
    diag "the Terraform checker is not installed: using the task definition's checks as written here"
fi
like "$live_cmd" 'http://127\.0\.0\.1:8000/health/live' "the container check is GET /health/live ($live_cmd)"
is "$ready_path" /health/ready "the ALB's check is GET /health/ready"
live_cmd=${live_cmd//:8000\//:$EP_PORT\/}
outage=${PLC_OUTAGE_SECONDS:-12}
ok "the outage ($outage s) is longer than the checks' window ($retries checks, one a second)" \
    test "$outage" -gt "$retries"
ep_pid_before=$EP_PID
pool=$(ep_child plccoach-fcgi)
nginx=$(ep_child nginx)
workers_before=$(worker_pids "$pool" | tr '\n' ' ')

pg_stop
live_fail=0
ready_fail=0
deep503=0
checks=0
end=$((SECONDS + outage))
while [ "$SECONDS" -lt "$end" ]; do
    sh -c "$live_cmd" >/dev/null 2>&1 || live_fail=$((live_fail + 1))
    [ "$(ep_code "$ready_path")" = 200 ] || ready_fail=$((ready_fail + 1))
    [ "$(ep_code /health)" = 503 ] && deep503=$((deep503 + 1))
    checks=$((checks + 1))
    sleep 1
done
diag "$checks rounds of checks during a $outage s outage"
is "$live_fail" 0 "the container check never failed during the outage ($checks checks)"
is "$ready_fail" 0 "the ALB check never failed: no task is replaced for a shared outage"
ok "meanwhile GET /health said the database was down ($deep503 of $checks)" test "$deep503" -ge 1
http_code=$(ep_code /api/me)
ok "an API request during the outage gets an answer, not a hang ($http_code)" test "$http_code" -ge 400
pg_start
ok "PostgreSQL back: GET /health answers 200 again" plc_poll 30 ep_health_is 200
is "$EP_PID" "$ep_pid_before" "the same entrypoint"
ok "... alive" plc_pid_alive "$EP_PID"
is "$(ep_child plccoach-fcgi)" "$pool" "the same pool master"
is "$(ep_child nginx)" "$nginx" "the same nginx"
is "$(worker_pids "$pool" | tr '\n' ' ')" "$workers_before" "the same workers: nothing was restarted"
http_code=$(ep_code /api/auth/login -X POST -H 'Content-Type: application/json' \
    --data '{"email":"nobody@example.org","password":"not-the-password"}')
is "$http_code" 401 "a request that uses the database is served again (a refused sign-in, 401)"
kill -TERM "$EP_PID"
ok "and it still stops cleanly" ep_wait_exit 25
is "$EP_STATUS" 0 "... with status 0"

done_testing
