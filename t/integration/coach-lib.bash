# shellcheck shell=bash
# Helpers shared by the coach's integration tests (coach.sh, coach-llm.sh):
# users and sign-in, asking over HTTP (JSON or a stream), reading the
# events of a stream.  Source after t/lib/tap.sh and t/lib/stack.sh.

# coach_user NAME [ROLE]: creates NAME@example.org with a password, signs in
# (cookie jar $STACK_DIR/NAME.jar) and sets csrf_NAME.
coach_user() {
    user_new "$@"
}

# json_body QUESTION [CONVERSATION_ID]: the request body, JSON-encoded.
json_body() {
    python3 -c '
import json, sys
d = {"question": sys.argv[1]}
if len(sys.argv) > 2 and sys.argv[2]:
    d["conversation_id"] = sys.argv[2]
print(json.dumps(d))' "$@"
}

# ask WHO QUESTION [CONVERSATION_ID]: POST /api/coach/ask as JSON.
ask() {
    local who=$1 var=csrf_$1
    http POST /api/coach/ask -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' --data "$(json_body "${@:2}")"
}

# ask_raw WHO BODY: POST /api/coach/ask with this exact body.
ask_raw() {
    local who=$1 var=csrf_$1
    http POST /api/coach/ask -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' --data "$2"
}

# ask_stream WHO OUT QUESTION [CONVERSATION_ID] [CURL-ARGS...]: asks with
# Accept: text/event-stream and writes the raw stream to OUT.
ask_stream() {
    local who=$1 out=$2 question=$3 conv=${4:-} var=csrf_$1
    shift 4 2>/dev/null || shift $#
    curl -s -N --max-time 60 -X POST -b "$STACK_DIR/$who.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/json' -H 'Accept: text/event-stream' \
        --data "$(json_body "$question" "$conv")" "$@" "$(stack_url /api/coach/ask)" >"$out" || true
}

# sse_json FILE: the stream's events as a JSON list [{"event","data"}]
# (data parsed as JSON; comment lines skipped).
sse_json() {
    python3 -c '
import json, sys
events, name, data = [], None, []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if line == "":
        if name is not None or data:
            events.append({"event": name or "message", "data": json.loads("\n".join(data)) if data else None})
        name, data = None, []
    elif line.startswith(":"):
        continue
    elif line.startswith("event: "):
        name = line[7:]
    elif line.startswith("data: "):
        data.append(line[6:])
print(json.dumps(events))' "$1"
}

# py EXPR-SCRIPT [ARGS...]: runs python3 with the JSON document on stdin as d.
pyjson() {
    python3 -c "import json, sys
d = json.load(sys.stdin)
$1" "${@:2}"
}

# saved_answer ID: the content of message ID as the database has it.
saved_answer() {
    stack_psql -- -c "SELECT content FROM messages WHERE id = '$1'"
}
