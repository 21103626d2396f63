#!/bin/bash
# First run (issue 11): `scripts/up` on a fresh copy of the repository,
# with PLCCOACH_PORT set, builds everything, creates the first
# administrator and prints a one-time sign-in link on that port; headless
# Chromium opens the link and is signed in (t/e2e/first-run.mjs).  A
# second `scripts/up` finds everything running and, an administrator
# having signed in, prints no link.
#
# The copy is the working tree as a fresh clone would have it (the files
# git tracks or would track; no var/, no build products) plus the web
# app's node_modules, hard-linked from frontend/ so that no package is
# fetched.  It builds the programs (without sanitizers) and the web app
# from scratch: several minutes on two cores.
. "$(dirname "$0")/../lib/integration.sh"
# shellcheck source=t/lib/e2e.sh
. "$PLC_SRCDIR/t/lib/e2e.sh"

e2e_require
stack_require_servers

# scripts/up runs its own make: keep the outer make's job server out.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

stack_init
CLONE=$STACK_DIR/clone
mkdir -p "$CLONE"
if git -C "$PLC_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$PLC_SRCDIR" && git ls-files -z --cached --others --exclude-standard |
        tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$CLONE" -xf - ||
        bail "could not copy the working tree"
else
    # A release tarball (make distcheck): everything but build products.
    tar -C "$PLC_SRCDIR" --exclude=./var --exclude=./frontend/node_modules \
        --exclude=./frontend/dist -cf - . | tar -C "$CLONE" -xf - || bail "could not copy the tree"
fi
if [ -e "$CLONE/var" ] || [ -e "$CLONE/configure" ]; then bail "the copy is not fresh"; fi
cp -al "$PLC_SRCDIR/frontend/node_modules" "$CLONE/frontend/node_modules" 2>/dev/null ||
    cp -a "$PLC_SRCDIR/frontend/node_modules" "$CLONE/frontend/node_modules"
touch "$CLONE/frontend/node_modules"

# shellcheck disable=SC2317  # called by the clean-up
down() {
    "$CLONE/scripts/down" >"$STACK_DIR/log/down.log" 2>&1 || diag "scripts/down failed: $(tail -n 5 "$STACK_DIR/log/down.log")"
    # Keep the logs of a failed run where stack_teardown shows them.
    cp "$CLONE"/var/log/*.log "$STACK_DIR/log/" 2>/dev/null || true
}
tap_cleanup down

PORT=$(plc_free_port)
PG_PORT=$(plc_free_port)
up() {
    env -u PLCCOACH_PUBLIC_URL PLCCOACH_PORT="$PORT" PLCCOACH_PG_PORT="$PG_PORT" PLCCOACH_WORKERS=2 \
        "$CLONE/scripts/up" >"$STACK_DIR/up.out" 2>"$STACK_DIR/log/up-stderr.log" </dev/null
}
rc=0
up || rc=$?
is "$rc" 0 "scripts/up on a fresh copy with PLCCOACH_PORT=$PORT succeeds"
[ "$rc" -eq 0 ] || bail "scripts/up failed: $(tail -n 15 "$STACK_DIR/log/up-stderr.log")"
out=$(cat "$STACK_DIR/up.out")
like "$out" "PLC Coach is running at http://localhost:$PORT" "it says where: the port it was given"
like "$out" "First sign-in: open this link" "it says what to do with the link"
LINK=$(grep -oE "http://localhost:$PORT/sign-in/link#[0-9a-f]{64}" "$STACK_DIR/up.out" | head -n 1 || true)
like "$LINK" "^http://localhost:$PORT/sign-in/link#[0-9a-f]{64}\$" "and prints a one-time sign-in link on that port"
like "$out" "user sign-in-link --email admin@localhost" "and the command that prints a new one"
is "$(grep -c '^PLCCOACH_PUBLIC_URL=http://localhost:'"$PORT"'$' "$CLONE/var/plccoach.env")" 1 \
    "the stack's public URL follows PLCCOACH_PORT"

# A second link for the same account, for the loopback-alias check.
# shellcheck disable=SC2016  # expanded by the inner bash
LINK2=$(env -i PATH="$PATH" bash -c 'set -a; . "$0"; set +a; exec "$1" user sign-in-link --email admin@localhost' \
    "$CLONE/var/plccoach.env" "$CLONE/var/build/plccoach" 2>/dev/null) || true
like "$LINK2" "^http://localhost:$PORT/sign-in/link#[0-9a-f]{64}\$" "plccoach user sign-in-link prints another"

e2e_shots first-run
e2e_run first-run 300 E2E_LINK="$LINK" E2E_LINK2="$LINK2"

# Again: everything runs, an administrator has signed in, no new link.
rc=0
up || rc=$?
is "$rc" 0 "scripts/up a second time succeeds"
out=$(cat "$STACK_DIR/up.out")
like "$out" "PLC Coach is already running at http://localhost:$PORT" "and finds everything running"
unlike "$out" "sign-in/link#" "and, an administrator having signed in, prints no link"
is "$(PGHOST=$CLONE/var/run PGPORT=$PG_PORT "$PLC_PGBIN/psql" -XAtq -U plccoach -d plccoach \
    -c "SELECT count(*) FROM users WHERE role = 'admin'")" 1 "there is still one administrator"

done_testing
