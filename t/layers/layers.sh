#!/bin/sh
# Fails on an #include that points up or across the layers written down in
# docs/architecture.md ("Layers"):
#   util -> db, storage, llm -> auth, library -> coach -> export -> jobs
#        -> http, cli -> server
# A file may include its own area's headers and those of any lower layer;
# never a higher layer's, nor another area's of the same layer.  What
# cannot move this round is in layers.allow (file, header, reason).
src="${PLC_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
allow="$src/t/layers/layers.allow"
echo "1..2"
edges=$(cd "$src" && find src \( -name '*.c' -o -name '*.h' \) \
    -exec grep -HE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z_]+/[A-Za-z0-9_]+\.h"' {} + |
    sort | sed -E 's|^([^:]+):[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]+)".*|\1 \2|')
# One pass: prints "bad FILE HEADER FROM LF TO LT", "unknown FILE HEADER"
# and "stale FILE HEADER" (an allowlist line unused or without a reason).
result=$(printf '%s\n' "$edges" | awk -v allow="$allow" '
    BEGIN {
        split("util:0 db:1 storage:1 llm:1 auth:2 library:2 coach:3 export:4 jobs:5 http:6 cli:6 server:7",
              pairs, " ")
        for (i in pairs) { split(pairs[i], kv, ":"); level[kv[1]] = kv[2] }
        while ((getline line < allow) > 0) {
            if (line ~ /^[[:space:]]*(#|$)/) continue
            n = split(line, f, /[[:space:]]+/)
            key = f[1] " " f[2]
            listed[key] = (n >= 3)
        }
    }
    NF == 2 {
        split($1, p, "/"); from = p[2]
        split($2, q, "/"); to = q[1]
        if (from == to) next
        if (!(from in level) || !(to in level)) { print "unknown", $1, $2; next }
        if (level[to] < level[from]) next
        key = $1 " " $2
        if ((key in listed) && listed[key]) { used[key] = 1; next }
        print "bad", $1, $2, from, level[from], to, level[to]
    }
    END { for (k in listed) if (!(k in used)) print "stale", k }')
bad=$(printf '%s\n' "$result" | awk '$1 == "bad" { printf "\n# %s includes %s (%s is layer %s, %s is layer %s)", $2, $3, $4, $5, $6, $7 }')
unknown=$(printf '%s\n' "$result" | awk '$1 == "unknown" { printf " %s->%s", $2, $3 }')
stale=$(printf '%s\n' "$result" | awk '$1 == "stale" { printf " %s:%s", $2, $3 }')
if [ -z "$bad" ] && [ -z "$unknown" ]; then
    echo "ok 1 - every #include points down the layers (or is allowlisted)"
else
    echo "not ok 1 - includes that point up or across:$bad"
    [ -n "$unknown" ] && echo "# areas with no layer (add them to docs/architecture.md and this script):$unknown"
fi
if [ -z "$stale" ]; then
    echo "ok 2 - each allowlist line gives a reason and is still needed"
else
    echo "not ok 2 - allowlist lines without a reason or no longer needed:$stale"
fi
