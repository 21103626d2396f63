#!/bin/sh
# Lints docs/openapi.yaml with npm's @redocly/cli (installed into tools/
# by scripts/check).  Telemetry and update checks are off: tests talk to
# nothing outside the machine.
bin="$PLC_SRCDIR/tools/node_modules/.bin/redocly"
if [ ! -x "$bin" ]; then
    echo "1..0 # SKIP @redocly/cli is not installed (scripts/check runs npm ci in tools/)"
    exit 0
fi
echo "1..1"
if out=$(cd "$PLC_SRCDIR" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    "$bin" lint --config redocly.yaml docs/openapi.yaml 2>&1) &&
    ! printf '%s\n' "$out" | grep -q 'You have [0-9]* warning'; then
    echo "ok 1 - docs/openapi.yaml is a valid OpenAPI 3.1 description with no lint problems"
else
    echo "not ok 1 - redocly lint found problems in docs/openapi.yaml"
    echo "$out" | sed 's/^/# /'
fi
