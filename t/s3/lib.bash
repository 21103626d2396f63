# t/s3/lib.bash - starts the S3-compatible server of t/s3/server.mjs for an
# integration test (sourced after t/lib/tap.sh).
#
#   s3_start DIR [--session-token T] [--ecs-token A]
#       starts it with buckets plc-content and plc-exports, access key
#       $S3_AK and secret $S3_SK, on free loopback ports; sets S3_PORT,
#       S3_CREDS_PORT and S3_ENDPOINT; stopped by the test's cleanup.
#   s3_stats KEY   one counter of GET /__stats
#   s3_fail N      the next N S3 requests answer 503 SlowDown

S3_AK=plc-test-access-key
S3_SK=plc-test-secret-$RANDOM$RANDOM-never-logged
S3_PID=

s3_require() {
    command -v node >/dev/null 2>&1 || skip_all "node is not installed"
    [ -f "$PLC_SRCDIR/t/s3/node_modules/s3rver/package.json" ] ||
        skip_all "s3rver is not installed (scripts/check runs npm ci --prefix t/s3)"
}

s3_stop() {
    [ -n "$S3_PID" ] || return 0
    kill -TERM "$S3_PID" 2>/dev/null || true
    wait "$S3_PID" 2>/dev/null || true
    S3_PID=
}

_s3_ready() {
    plc_pid_alive "$S3_PID" || return 2
    [ -s "$_s3_ports" ]
}

s3_start() {
    local dir=$1
    shift
    mkdir -p "$dir/data"
    _s3_ports=$dir/ports
    : >"$_s3_ports"
    tap_cleanup s3_stop
    node "$PLC_SRCDIR/t/s3/server.mjs" --dir "$dir/data" --access-key "$S3_AK" \
        --secret-key "$S3_SK" --bucket plc-content --bucket plc-exports "$@" \
        </dev/null >"$_s3_ports" 2>"$dir/s3.log" &
    S3_PID=$!
    plc_poll 30 _s3_ready || bail "the S3 server did not start: $(tail -n 5 "$dir/s3.log")"
    read -r S3_PORT S3_CREDS_PORT <"$_s3_ports"
    S3_ENDPOINT=http://127.0.0.1:$S3_PORT
}

s3_stats() {
    curl -sf "http://127.0.0.1:$S3_CREDS_PORT/__stats" |
        perl -MJSON::PP -e 'print decode_json(join "", <STDIN>)->{$ARGV[0]}' "$1"
}

s3_fail() {
    curl -sf -X POST "http://127.0.0.1:$S3_CREDS_PORT/__fail?n=$1" >/dev/null
}
