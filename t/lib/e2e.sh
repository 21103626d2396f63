# shellcheck shell=bash
# shellcheck disable=SC2034,SC2120  # CHROMIUM, SHOTS, ORIGIN are the callers'; arguments are optional
# t/lib/e2e.sh - what the browser tests share (t/integration/e2e.sh,
# e2e-journeys.sh, first-run.sh; the scripts they run are t/e2e/*.mjs),
# sourced after t/lib/integration.sh:
#
#     e2e_require [python3]   skip_all without Chromium (CHROMIUM: $E2E_CHROMIUM
#                             or /usr/bin/chromium), node, the web app's
#                             packages (scripts/check runs npm ci in
#                             frontend/), or the commands named
#     e2e_dist                builds frontend/dist when it is missing or
#                             older than a source
#     e2e_shots NAME          SHOTS: $E2E_SHOTS, or NAME-screenshots beside
#                             the integration tests in the build directory;
#                             emptied
#     e2e_stack               the stack serving the built app: PostgreSQL
#                             migrated, nginx at ORIGIN, the pool's public
#                             URL ORIGIN (the Origin the browser sends on
#                             every state change); the pool not started
#     e2e_people              the starter library, and t1 and t2
#                             (educators) and boss (admin), each with the
#                             password password-of-NAME-e2e (after the pool)
#     e2e_run NAME SECONDS [VAR=VALUE...]
#                             runs t/e2e/NAME.mjs under node for at most
#                             SECONDS with E2E_CHROMIUM, E2E_SHOTS and the
#                             VAR=VALUEs, and makes its TAP lines this
#                             test's results (and its exit status one)

E2E_FRONTEND=$PLC_SRCDIR/frontend

e2e_require() {
    local cmd
    CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}
    [ -x "$CHROMIUM" ] ||
        skip_all "Chromium is not installed ($CHROMIUM; scripts/check installs Debian's chromium)"
    for cmd in node "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || skip_all "$cmd is not installed"
    done
    [ -f "$E2E_FRONTEND/node_modules/playwright-core/package.json" ] ||
        skip_all "the frontend's packages are not installed (scripts/check runs npm ci in frontend/)"
}

e2e_dist() {
    if [ ! -f "$E2E_FRONTEND/dist/index.html" ] ||
        [ -n "$(find "$E2E_FRONTEND/src" "$E2E_FRONTEND/index.html" "$E2E_FRONTEND/package-lock.json" \
            -newer "$E2E_FRONTEND/dist/index.html" -print -quit)" ]; then
        diag "building frontend/dist"
        (cd "$E2E_FRONTEND" && npm run --silent build) >&2 || bail "npm run build failed in frontend/"
    fi
}

e2e_shots() {
    SHOTS=${E2E_SHOTS:-$PLC_BUILDDIR/t/integration/$1-screenshots}
    rm -rf "$SHOTS"
    mkdir -p "$SHOTS"
}

e2e_stack() {
    STACK_JOB_WORKERS=1
    stack_require_servers
    stack_init
    cp -R "$E2E_FRONTEND/dist/." "$STACK_DIR/www/"
    stack_pg_start
    stack_migrate
    # nginx first, so that the pool's public URL can name its port.
    stack_nginx_start
    ORIGIN=http://127.0.0.1:$STACK_NGINX_PORT
    stack_pool_env PLCCOACH_PUBLIC_URL="$ORIGIN"
}

e2e_people() {
    local who name
    stack_cli ingest "$PLC_SRCDIR/content/starter" >"$STACK_DIR/log/ingest.log" 2>&1 ||
        bail "loading the starter library failed: $(tail -n 5 "$STACK_DIR/log/ingest.log")"
    for who in t1:educator t2:educator boss:admin; do
        name=${who%%:*}
        printf 'password-of-%s-e2e\n' "$name" | stack_cli user add --email "$name@example.org" \
            --name "Person ${name^}" --role "${who#*:}" --password-stdin >/dev/null ||
            bail "user add $name"
    done
}

e2e_run() {
    local name=$1 seconds=$2 out=$STACK_DIR/$1.tap rc=0 seen=0 line
    shift 2
    env E2E_CHROMIUM="$CHROMIUM" E2E_SHOTS="$SHOTS" "$@" \
        timeout "$seconds" node "$PLC_SRCDIR/t/e2e/$name.mjs" >"$out" 2>"$STACK_DIR/log/e2e-node.log" ||
        rc=$?
    while IFS= read -r line; do
        case "$line" in
        'ok '*) seen=$((seen + 1)); pass "${line#ok * - }" ;;
        'not ok '*) seen=$((seen + 1)); fail "${line#not ok * - }" ;;
        '#'*) diag "${line#\# }" ;;
        esac
    done <"$out"
    [ "$seen" -gt 0 ] ||
        fail "t/e2e/$name.mjs reported results (exit $rc): $(tail -n 20 "$STACK_DIR/log/e2e-node.log")"
    is "$rc" 0 "t/e2e/$name.mjs exited 0"
}
