#!/bin/bash
# The storage layer against a real S3-compatible server (npm's s3rver behind
# the SigV4 verifier of t/s3/server.mjs), driven through t/storage/storage-tool:
# put, get (into a file and into memory, with a limit), delete, presigned
# GET fetched with curl (and refused once altered or for another key), the
# credential chain (environment with a session token, the ECS endpoint by
# full URI with its authorization token, IMDSv2), wrong credentials refused,
# a missing object a clean "not found", retries on 503, and no secret in any
# log.
. "$(dirname "$0")/../lib/integration.sh"
: "${PLC_BUILDDIR:=$PLC_SRCDIR}"
. "$PLC_SRCDIR/t/s3/lib.bash"

s3_require
TOOL=$PLC_BUILDDIR/t/storage/storage-tool
[ -x "$TOOL" ] || bail "$TOOL is not built"
DIR=$(mktemp -d /tmp/plccoach-s3.XXXXXX)
remove_dir() { rm -rf "$DIR"; }
tap_cleanup remove_dir
TOKEN=session-token-$RANDOM$RANDOM/+=
ECS_AUTH=ecs-auth-$RANDOM$RANDOM
s3_start "$DIR" --session-token "$TOKEN" --ecs-token "$ECS_AUTH"
LOG=$DIR/tool.log

# tool [ENV=VALUE...] -- ARGS...: storage-tool with a clean environment.
tool() {
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
        PLCCOACH_STORAGE=s3 PLCCOACH_S3_CONTENT_BUCKET=plc-content \
        PLCCOACH_S3_EXPORTS_BUCKET=plc-exports PLCCOACH_S3_ENDPOINT="$S3_ENDPOINT" \
        PLCCOACH_S3_REGION=eu-west-1 PLCCOACH_CONTENT_DIR="$DIR/content" \
        AWS_EC2_METADATA_DISABLED=true "${envs[@]}" "$TOOL" "$@" 2>>"$LOG"
}
KEYS=(AWS_ACCESS_KEY_ID="$S3_AK" AWS_SECRET_ACCESS_KEY="$S3_SK" AWS_SESSION_TOKEN="$TOKEN")

# ---- put, get, delete ------------------------------------------------------
head -c 300000 /dev/urandom >"$DIR/book.pdf"
printf 'a small text\n' >"$DIR/small.txt"
rc=0; tool "${KEYS[@]}" -- put abc123.pdf "$DIR/book.pdf" || rc=$?
is "$rc" 0 "put a 300 kB object (payload hash signed)"
rc=0; tool "${KEYS[@]}" -- get abc123.pdf "$DIR/back.pdf" || rc=$?
is "$rc" 0 "get it into a file"
ok "the same bytes come back" cmp -s "$DIR/book.pdf" "$DIR/back.pdf"
is "$(tool "${KEYS[@]}" -- cat abc123.pdf 400000 | sha256sum | cut -c1-64)" \
    "$(sha256sum <"$DIR/book.pdf" | cut -c1-64)" "get it into memory"
rc=0; tool "${KEYS[@]}" -- cat abc123.pdf 1000 >/dev/null || rc=$?
is "$rc" 4 "more than the caller's limit: too large"
rc=0; tool "${KEYS[@]}" -- get missing.pdf "$DIR/x" || rc=$?
is "$rc" 3 "a missing object: not found"
like "$(tail -n 1 "$LOG")" "does not exist" "with a clear message"
rc=0; tool "${KEYS[@]}" -- --exports put small.txt "$DIR/small.txt" || rc=$?
is "$rc" 0 "the exports bucket is a separate store"
rc=0; tool "${KEYS[@]}" -- get small.txt "$DIR/x" || rc=$?
is "$rc" 3 "(not visible in the content bucket)"
is "$(tool "${KEYS[@]}" -- locator abc123.pdf)" "s3://plc-content/abc123.pdf" "the locator"
is "$(tool "${KEYS[@]}" -- cat-locator s3://plc-exports/small.txt 100)" "a small text" \
    "a locator opens its bucket"

# ---- presigned GET -----------------------------------------------------------
url=$(tool "${KEYS[@]}" -- presign abc123.pdf 300)
like "$url" "^$S3_ENDPOINT/plc-content/abc123.pdf\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&" \
    "a presigned URL, path-style on the endpoint"
like "$url" "X-Amz-Security-Token=" "carrying the session token"
ok "curl downloads the object with it" curl -sf -o "$DIR/presigned.pdf" "$url"
ok "the same bytes" cmp -s "$DIR/book.pdf" "$DIR/presigned.pdf"
is "$(curl -s -o /dev/null -w '%{http_code}' "${url/abc123.pdf/other.pdf}")" 403 \
    "the URL altered to another key: refused"
is "$(curl -s -o /dev/null -w '%{http_code}' "${url/X-Amz-Expires=300/X-Amz-Expires=3000}")" 403 \
    "the URL with a longer expiry: refused"
is "$(curl -s -o /dev/null -w '%{http_code}' "$S3_ENDPOINT/plc-content/abc123.pdf")" 403 \
    "an unsigned GET: refused"
url=$(tool "${KEYS[@]}" -- presign-download abc123.pdf 300 plan-2026-05-01.pdf application/pdf)
like "$url" "response-content-disposition=attachment%3B%20filename%3D%22plan-2026-05-01.pdf%22" \
    "a download URL names the file (exports)"
ok "curl downloads it" curl -sf -D "$DIR/dl.headers" -o "$DIR/dl.pdf" "$url"
like "$(tr -d '\r' <"$DIR/dl.headers")" $'(^|\n)[Cc]ontent-[Dd]isposition: attachment; filename="plan-2026-05-01.pdf"' \
    "S3 answers with that Content-Disposition"
like "$(tr -d '\r' <"$DIR/dl.headers")" $'(^|\n)[Cc]ontent-[Tt]ype: application/pdf' "and Content-Type"
is "$(curl -s -o /dev/null -w '%{http_code}' "${url/plan-2026/evil-2026}")" 403 \
    "the file name is signed: altered, refused"

# ---- credentials --------------------------------------------------------------
rc=0; tool AWS_ACCESS_KEY_ID=wrong-key AWS_SECRET_ACCESS_KEY="$S3_SK" AWS_SESSION_TOKEN="$TOKEN" \
    -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 5 "an unknown access key: denied"
rc=0; tool AWS_ACCESS_KEY_ID="$S3_AK" AWS_SECRET_ACCESS_KEY=wrong-secret AWS_SESSION_TOKEN="$TOKEN" \
    -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 5 "a wrong secret: denied"
grep -q SignatureDoesNotMatch "$LOG" && pass "S3 said SignatureDoesNotMatch" || fail "S3 said SignatureDoesNotMatch"
rc=0; tool AWS_ACCESS_KEY_ID="$S3_AK" AWS_SECRET_ACCESS_KEY="$S3_SK" -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 5 "no session token where one is required: denied"
rc=0; tool -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 5 "no credentials at all: denied"
like "$(tail -n 3 "$LOG")" "no AWS credentials" "saying why"

before=$(s3_stats ecs)
rc=0; tool AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$S3_CREDS_PORT/ecs" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN="$ECS_AUTH" -- get abc123.pdf "$DIR/ecs.pdf" || rc=$?
is "$rc" 0 "credentials from the ECS endpoint (full URI + authorization token)"
is "$(s3_stats ecs)" $((before + 1)) "fetched once from the endpoint"
rc=0; tool AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$S3_CREDS_PORT/ecs" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 5 "a wrong container authorization token: no credentials"
before=$(s3_stats imds)
rc=0; tool AWS_EC2_METADATA_DISABLED=false \
    AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$S3_CREDS_PORT" \
    -- get abc123.pdf "$DIR/imds.pdf" || rc=$?
is "$rc" 0 "credentials from instance metadata v2 (token, role, credentials)"
is "$(s3_stats imds)" $((before + 1)) "fetched from the role's document"

# ---- retries, delete ------------------------------------------------------------
s3_fail 2
rc=0; tool "${KEYS[@]}" -- get abc123.pdf "$DIR/retry.pdf" || rc=$?
is "$rc" 0 "two 503 SlowDown answers are retried"
ok "and the object still arrives whole" cmp -s "$DIR/book.pdf" "$DIR/retry.pdf"
s3_fail 3
rc=0; tool "${KEYS[@]}" -- put other.pdf "$DIR/small.txt" || rc=$?
is "$rc" 6 "three in a row: unavailable"
rc=0; tool "${KEYS[@]}" -- get other.pdf "$DIR/x" || rc=$?
is "$rc" 3 "and nothing was stored"
rc=0; tool "${KEYS[@]}" -- delete abc123.pdf || rc=$?
is "$rc" 0 "delete"
rc=0; tool "${KEYS[@]}" -- get abc123.pdf "$DIR/x" || rc=$?
is "$rc" 3 "the object is gone"
rc=0; tool "${KEYS[@]}" -- delete abc123.pdf || rc=$?
is "$rc" 0 "deleting it again is not an error"
rc=0; tool "${KEYS[@]}" -- get ../etc/passwd "$DIR/x" || rc=$?
is "$rc" 7 "a bad key is refused before any request"

# ---- secrets ----------------------------------------------------------------------
for secret in "$S3_SK" "$TOKEN" "$ECS_AUTH" Signature=; do
    if grep -qF -- "$secret" "$LOG"; then
        fail "no secret or signature in the logs (${secret:0:12}...)"
    else
        pass "no secret or signature in the logs (${secret:0:12}...)"
    fi
done
done_testing
