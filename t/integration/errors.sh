#!/bin/bash
# Bad input through nginx gets the JSON error envelope with the right
# status, whether the application or nginx itself refuses it: bodies over
# either limit, malformed JSON, a wrong content type, unknown fields,
# unknown routes, wrong methods, malformed queries and paths.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

LIMIT=4096
stack_pool_env PLCCOACH_MAX_BODY_BYTES=$LIMIT
stack_start

pool_saw() {
    grep -q "\"request_id\":\"$1\".*\"msg\":\"request\"" "$STACK_POOL_LOG"
}

json=(-H 'Content-Type: application/json')

# A JSON document of exactly N bytes: {"message":"xxx...x"}.
json_of_size() {
    local n=$(($1 - 14))
    printf '{"message":"%s"}' "$(head -c "$n" /dev/zero | tr '\0' x)"
}

# ---- Accepted ---------------------------------------------------------------
http POST /api/client-errors "${json[@]}" \
    --data '{"message":"TypeError: x is undefined","url":"/c/1","stack":"at f (app.js:1:2)","component":"Chat"}'
is "$HTTP_STATUS" 202 "a valid client error report is accepted (202)"
is "$(json_get accepted)" true 'the answer is {"accepted":true}'
json_of_size "$LIMIT" >"$STACK_DIR/exact.json"
http POST /api/client-errors "${json[@]}" --data-binary "@$STACK_DIR/exact.json"
is "$HTTP_STATUS" 400 "a body of exactly the limit is read (then refused: message too long)"
is "$(json_get error.code)" invalid_field "... by the field check, not the size limit"

# ---- Bodies over the limits -----------------------------------------------
json_of_size $((LIMIT + 1)) >"$STACK_DIR/over.json"
http POST /api/client-errors "${json[@]}" --data-binary "@$STACK_DIR/over.json"
error_envelope_ok 413 payload_too_large "one byte over PLCCOACH_MAX_BODY_BYTES"
id=$(http_header X-Request-Id)
ok "... refused by the application" plc_poll 60 pool_saw "$id"

head -c $((3 * 1024 * 1024)) /dev/zero | tr '\0' x >"$STACK_DIR/huge.json"
http POST /api/client-errors "${json[@]}" --data-binary "@$STACK_DIR/huge.json"
error_envelope_ok 413 payload_too_large "3 MiB: over nginx's client_max_body_size"
like "$(http_header Content-Type)" '^application/json' "nginx's 413 is JSON"
id=$(http_header X-Request-Id)
# The application logs every request it serves; give it time to (wrongly)
# log this one by sending a request after it and waiting for that one.
http GET /health
ok "... refused by nginx: the application never saw it" \
    eval "plc_poll 60 pool_saw $(http_header X-Request-Id) && ! pool_saw $id"

# ---- Malformed bodies ---------------------------------------------------------
http POST /api/client-errors "${json[@]}" --data '{"message": "unterminated'
error_envelope_ok 400 malformed_json "malformed JSON"
http POST /api/client-errors "${json[@]}" --data '{"message":"a"} trailing'
error_envelope_ok 400 malformed_json "JSON followed by garbage"
http POST /api/client-errors "${json[@]}" --data '["message"]'
is "$HTTP_STATUS" 400 "a JSON array instead of an object is a 400"
http POST /api/client-errors -H 'Content-Type: text/plain' --data '{"message":"a"}'
error_envelope_ok 415 unsupported_media_type "text/plain body"
http POST /api/client-errors "${json[@]}" --data '{"message":"a","admin":true}'
error_envelope_ok 400 unknown_field "an unknown field"
http POST /api/client-errors "${json[@]}" --data '{"url":"/x"}'
error_envelope_ok 400 missing_field "a missing required field"
http POST /api/client-errors "${json[@]}" --data '{"message":42}'
error_envelope_ok 400 invalid_field "a field of the wrong type"
printf '{"message":"\xff\xfe"}' >"$STACK_DIR/utf8.json"
http POST /api/client-errors "${json[@]}" --data-binary "@$STACK_DIR/utf8.json"
is "$HTTP_STATUS" 400 "invalid UTF-8 in the body is a 400"
http POST /api/client-errors "${json[@]}"
is "$HTTP_STATUS" 400 "an empty body is a 400"

# ---- Routes and methods -------------------------------------------------------
http GET /api/does-not-exist
error_envelope_ok 404 not_found "unknown /api/ route"
like "$(http_header Content-Type)" '^application/json' "... is JSON"
unlike "$HTTP_BODY" '<html' "... not the SPA's index.html"
http GET /api
error_envelope_ok 404 not_found "/api itself"
http GET /api/debug/stream/extra
error_envelope_ok 404 not_found "a path below a route"

http DELETE /health
error_envelope_ok 405 method_not_allowed "DELETE /health"
is "$(http_header Allow)" "GET, HEAD" "405 says Allow: GET, HEAD"
http GET /api/client-errors
error_envelope_ok 405 method_not_allowed "GET on a POST-only route"
like "$(http_header Allow)" '^POST' "... with Allow: POST"

# ---- Malformed queries and paths --------------------------------------------
http GET '/api/debug/sleep?ms=%zz'
error_envelope_ok 400 bad_query "a malformed %-escape in the query"
http GET '/api/debug/sleep?ms=abc'
error_envelope_ok 400 invalid_parameter "a non-numeric parameter"
http GET '/api/debug/sleep?ms=99999999999999999999'
error_envelope_ok 400 invalid_parameter "an out-of-range parameter"
http GET '/api/%zz'
error_envelope_ok 400 bad_request "a malformed %-escape in the path (refused by nginx)"
like "$(http_header Content-Type)" '^application/json' "nginx's 400 is JSON"
http GET '/api/a%00b'
like "$HTTP_STATUS" '^4[0-9][0-9]$' "a NUL byte in the path is a 4xx ($HTTP_STATUS)"
ok "... with a JSON envelope" json_get error.code
http GET "/api/$(head -c 3000 /dev/zero | tr '\0' a)"
error_envelope_ok 404 not_found "a long unknown path"

# ---- Errors nginx answers itself are JSON too -----------------------------------
http GET "/api/$(head -c 20000 /dev/zero | tr '\0' a)"
error_envelope_ok 414 uri_too_long "a request line longer than nginx's buffers (414)"
http GET /health -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' b)"
error_envelope_ok 400 headers_too_large "a header larger than nginx's buffers (400)"
like "$(http_header Content-Type)" '^application/json' "... is JSON"
http GET /health -H "Cookie: plc_session=$(head -c 40000 /dev/zero | tr '\0' c)"
error_envelope_ok 400 headers_too_large "an oversized cookie (400)"
http TRACE /health
error_envelope_ok 405 method_not_allowed "TRACE (nginx refuses it, 405)"
unlike "$HTTP_BODY" '<html' "... not nginx's HTML page"
http TRACE /
error_envelope_ok 405 method_not_allowed "TRACE on a page of the web app"
out=$(curl -s -i --max-time 10 -X CONNECT --request-target 'example.org:443' "$(stack_url /)" || true)
like "$(printf '%s\n' "$out" | head -n 1)" '^HTTP/1.1 4[0-9][0-9]' "CONNECT is refused with a 4xx"
like "$(printf '%s\n' "$out" | grep -i '^Content-Type:')" 'application/json' "... as JSON"
like "$out" '"error":\{"code":"[a-z_]+"' "... in the envelope"

# ---- The pool is still whole --------------------------------------------------
http GET /health
is "$HTTP_STATUS" 200 "the server still answers /health"
ok "no worker died" eval "! grep -q '\"worker died\"' '$STACK_POOL_LOG'"

# ---- The pool is down ---------------------------------------------------------
stack_pool_stop
http GET /health
error_envelope_ok 502 bad_gateway "the pool is down: nginx answers 502"
like "$(http_header Content-Type)" '^application/json' "nginx's 502 is JSON"

done_testing
