#!/bin/sh
# Fails when SQL is run outside src/db: a call of db_exec, db_exec_binary,
# db_command or libpq's PQexec* in a file under src/ but not src/db/,
# unless sql-home.allow names that file (one line each, with the reason it
# stays this round).  docs/architecture.md, "Where SQL lives".
src="${PLC_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
allow="$src/t/layers/sql-home.allow"
echo "1..2"
# Files that run SQL outside src/db.
found=$(cd "$src" && find src \( -name '*.c' -o -name '*.h' \) ! -path 'src/db/*' \
    -exec grep -lE '\b(db_exec|db_exec_binary|db_command|PQexec[A-Za-z]*)[[:space:]]*\(' {} + | sort)
listed=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$allow" | awk '{print $1}')
bad=""
for f in $found; do
    printf '%s\n' "$listed" | grep -qxF "$f" || bad="$bad $f"
done
if [ -z "$bad" ]; then
    echo "ok 1 - no SQL outside src/db but the allowlist's"
else
    echo "not ok 1 - SQL outside src/db (move it into a src/db module):"
    for f in $bad; do
        (cd "$src" && grep -nE '\b(db_exec|db_exec_binary|db_command|PQexec[A-Za-z]*)[[:space:]]*\(' "$f") |
            sed "s|^|# $f:|"
    done
fi
# Every allowlist line has a reason and names a file that still runs SQL:
# a stale line would let SQL come back unnoticed.
stale=""
while read -r f reason; do
    case "$f" in '' | '#'*) continue ;; esac
    if [ -z "$reason" ] || ! printf '%s\n' "$found" | grep -qxF "$f"; then
        stale="$stale $f"
    fi
done <"$allow"
if [ -z "$stale" ]; then
    echo "ok 2 - each allowlisted file gives a reason and still runs SQL"
else
    echo "not ok 2 - allowlist lines without a reason or no longer needed:$stale"
fi
