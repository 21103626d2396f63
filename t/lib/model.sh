# shellcheck shell=bash
# t/lib/model.sh - the model stand-in (t/model/stub.py, the one allowed
# stand-in) for integration tests, after t/lib/integration.sh:
#
#     stub_start            starts it on a free port (after stack_init; the
#                           clean-up stops it): STUB_PORT, STUB_URL, STUB_PID
#     stub_pool_env [K=V...]  the pool talks to it (PLCCOACH_LLM_BASE_URL,
#                           _MODEL=stub-model, _API_KEY=sk-test) plus K=V
#     stub_script JSON      queues behaviours ({"responses": [...]})
#     stub_reset            clears the queues and the logs, releases holds
#     stub_release NAME     lets the streams held as NAME go on
#     stub_requests         the chat requests it received (JSON)
#
# Its contract and behaviours: t/model/README.md.

stub_start() {
    command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the model stand-in"
    stack_init
    python3 "$PLC_SRCDIR/t/model/stub.py" >"$STACK_DIR/run/stub.port" 2>>"$STACK_DIR/log/stub.log" &
    STUB_PID=$!
    STACK_EXTRA_PIDS="${STACK_EXTRA_PIDS:-} $STUB_PID"
    plc_poll 20 _stub_listening || bail "the model stand-in did not start: $(tail -n 5 "$STACK_DIR/log/stub.log")"
    read -r STUB_PORT <"$STACK_DIR/run/stub.port"
    STUB_URL=http://127.0.0.1:$STUB_PORT
}

_stub_listening() {
    plc_pid_alive "$STUB_PID" || bail "the model stand-in exited: $(tail -n 5 "$STACK_DIR/log/stub.log")"
    grep -q '^[0-9][0-9]*$' "$STACK_DIR/run/stub.port"
}

stub_pool_env() {
    stack_pool_env PLCCOACH_LLM_BASE_URL="$STUB_URL" PLCCOACH_LLM_MODEL=stub-model \
        PLCCOACH_LLM_API_KEY=sk-test "$@"
}

stub_script() {
    curl -s -f -X POST -H 'Content-Type: application/json' --data "$1" "$STUB_URL/__script" >/dev/null
}

stub_reset() {
    curl -s -f -X POST "$STUB_URL/__reset" >/dev/null
}

stub_release() {
    curl -s -f -X POST -H 'Content-Type: application/json' --data "{\"hold\":\"$1\"}" \
        "$STUB_URL/__release" >/dev/null
}

stub_requests() {
    curl -s -f "$STUB_URL/__requests"
}
