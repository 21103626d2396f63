#!/bin/bash
# GET /health through nginx -> FastCGI -> PostgreSQL: the answer, the
# headers nginx adds, the static pages nginx answers itself, the JSON log
# lines, and a database outage (503, then 200 again without restarting the
# pool).
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

# pool_logged REQUEST-ID: whether the pool's log has a line for that id.
pool_logged() {
    grep -q "\"request_id\":\"$1\"" "$STACK_POOL_LOG"
}

stack_start

# ---- The answer ---------------------------------------------------------
http GET /health
is "$HTTP_STATUS" 200 "GET /health answers 200"
is "$(json_get status)" ok "status is ok"
is "$(json_get db)" ok "db is ok"
like "$(json_get version)" '^[0-9]+\.[0-9]+\.[0-9]+' "version is reported"
like "$(http_header Content-Type)" '^application/json' "Content-Type is application/json"
like "$(http_header Cache-Control)" 'no-store' "API answers are not cached"
health_id=$(http_header X-Request-Id)
like "$health_id" '^[0-9a-f]{32}$' "X-Request-Id is nginx's \$request_id"

# ---- Headers nginx adds ---------------------------------------------------
like "$(http_header Content-Security-Policy)" "default-src 'self'" "CSP present"
like "$(http_header Content-Security-Policy)" "frame-ancestors 'none'" "CSP forbids framing"
unlike "$(http_header Content-Security-Policy)" "unsafe-inline|unsafe-eval" "CSP has no unsafe-inline or unsafe-eval"
is "$(http_header X-Content-Type-Options)" nosniff "X-Content-Type-Options: nosniff"
is "$(http_header Referrer-Policy)" strict-origin-when-cross-origin "Referrer-Policy"
like "$(http_header Strict-Transport-Security)" '^max-age=31536000; includeSubDomains$' "HSTS"
like "$(http_header Permissions-Policy)" 'camera=\(\)' "Permissions-Policy"
is "$(http_header Server)" nginx "nginx does not advertise its version"

# The request id of an error body is the one in the header.
http GET /api/no-such-thing
error_envelope_ok 404 not_found "unknown API path"
isnt "$(http_header X-Request-Id)" "$health_id" "each request gets its own id"

# ---- HEAD -----------------------------------------------------------------
http HEAD /health
is "$HTTP_STATUS" 200 "HEAD /health answers 200"
is "$HTTP_SIZE" 0 "HEAD has no body"
like "$(http_header Content-Type)" '^application/json' "HEAD has the GET's Content-Type"

# ---- Answered by nginx itself ---------------------------------------------
http GET /health/nginx
is "$HTTP_STATUS" 200 "GET /health/nginx answers 200"
is "$(json_get status)" ok "GET /health/nginx says ok"
nginx_id=$(http_header X-Request-Id)
like "$nginx_id" '^[0-9a-f]{32}$' "nginx's own answers carry X-Request-Id too"

http GET /
is "$HTTP_STATUS" 200 "GET / serves the web root"
like "$HTTP_BODY" 'not built yet' "the placeholder page says the web app is not built yet"
like "$(http_header Content-Type)" '^text/html' "as text/html"
http GET /conversations/42
is "$HTTP_STATUS" 200 "an unknown non-API path gets index.html (SPA fallback)"
like "$HTTP_BODY" '<title>PLC Coach</title>' "with the index page"
http GET /assets/missing-1234.js
is "$HTTP_STATUS" 404 "a missing bundle under /assets/ is a real 404"

# ---- The pool's log -------------------------------------------------------
ok "the pool logged the /health request with its request_id" plc_poll 60 pool_logged "$health_id"
ok "the pool never saw /health/nginx" eval "! pool_logged '$nginx_id'"
line=$(grep "\"request_id\":\"$health_id\"" "$STACK_POOL_LOG" | grep '"msg":"request"' | head -n 1)
printf '%s\n' "$line" >"$STACK_DIR/line.json"
is "$(json_get status "$STACK_DIR/line.json")" 200 "the request log line records status 200"
is "$(json_get path "$STACK_DIR/line.json")" /health "the request log line records the path"
bad=$(perl -MJSON::PP -ne 'eval { decode_json($_); 1 } or print' "$STACK_POOL_LOG" | head -n 3)
is "$bad" "" "every line of the pool's log is a JSON object"
lines=$(grep -c . "$STACK_POOL_LOG")
ok "the log has lines from the master and the workers ($lines lines)" \
    eval "grep -q '\"role\":\"master\"' '$STACK_POOL_LOG' && grep -q '\"role\":\"worker\"' '$STACK_POOL_LOG'"

# ---- Database outage ------------------------------------------------------
master=$(pool_pid)
workers=$(worker_pids | tr '\n' ' ')
is "$(worker_count)" "$STACK_WORKERS" "$STACK_WORKERS workers are running"

pg_stop
ok "PostgreSQL stopped: /health turns 503" stack_wait_health 503 10
is "$(json_get status)" unavailable "status is unavailable"
is "$(json_get db)" unavailable "db is unavailable"
is "$(json_get reason)" "the database cannot be reached" "a short reason is given"
# libpq's own message names the socket path or host and the port: the
# public answer must not (issue 11); the operator finds it in the log.
unlike "$HTTP_BODY" "socket|PGSQL|port|$STACK_PG_PORT|$STACK_DIR|connection to server" \
    "the public body names no socket, host, port or libpq message"
outage_id=$(http_header X-Request-Id)
ok "the detail is in the pool's log, with the request id" plc_poll 30 \
    grep -q "\"request_id\":\"$outage_id\".*\"msg\":\"health: database unavailable: .*$STACK_PG_PORT" "$STACK_POOL_LOG"
like "$(http_header Content-Type)" '^application/json' "the 503 is JSON"
# Liveness and readiness never ask the database: an outage shared by
# every task must not get them replaced (docs/operations.md, "Health").
for probe in live ready; do
    http GET "/health/$probe"
    is "$HTTP_STATUS" 200 "GET /health/$probe still answers 200 while the database is down"
    is "$(json_get status)" ok "... status ok"
done
http GET /health/nope
error_envelope_ok 404 not_found "an unknown /health/... path"
all503=1
for _ in 1 2 3 4 5 6; do
    http GET /health
    [ "$HTTP_STATUS" = 503 ] || all503=0
done
is "$all503" 1 "every worker answers 503 while the database is down"

pg_start
ok "PostgreSQL is back: /health turns 200 again" stack_wait_health 200 30
# A worker retries its connection at most every DB_RETRY_MS (250 ms), so
# for a moment some workers may still answer 503; soon all answer 200.
ten_in_a_row() {
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        http GET /health
        [ "$HTTP_STATUS" = 200 ] || return 1
    done
}
ok "soon 10 requests in a row answer 200 (every worker reconnected)" plc_poll 60 ten_in_a_row
is "$(pool_pid)" "$master" "the same master"
is "$(worker_pids | tr '\n' ' ')" "$workers" "the same workers: the pool was not restarted"
ok "the workers logged the outage (database connection failed or lost)" \
    grep -qE '"msg":"database connection (failed|lost)' "$STACK_POOL_LOG"

done_testing
