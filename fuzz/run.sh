#!/bin/sh
# Runs one fuzz target as a TAP test: usage run.sh NAME (query, cookie, ...).
# Built with --enable-fuzzing: libFuzzer explores for PLC_FUZZ_SECONDS
# (default 10) starting from fuzz/corpus/NAME.  Otherwise: the corpus is
# replayed through the same entry point as a regression suite.
set -eu
name=$1
bin="$PLC_BUILDDIR/fuzz/$name-fuzz"
corpus="$PLC_SRCDIR/fuzz/corpus/$name"
if [ ! -x "$bin" ]; then
    echo "1..0 # SKIP $bin not built"
    exit 0
fi
if [ -n "${PLC_FUZZING:-}" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    echo "1..1"
    if "$bin" -max_total_time="${PLC_FUZZ_SECONDS:-10}" -timeout=5 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" "$work" "$corpus" > "$work/log" 2>&1; then
        echo "ok 1 - $name: libFuzzer ran ${PLC_FUZZ_SECONDS:-10}s without a crash"
    else
        echo "not ok 1 - $name: libFuzzer found a crash"
        sed 's/^/# /' "$work/log" | tail -40
        for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
            [ -e "$f" ] && echo "# input: $(od -An -c "$f" | head -5 | tr -s ' ')"
        done
    fi
else
    echo "1..1"
    if out=$("$bin" "$corpus" 2>&1); then
        echo "ok 1 - $name: $out"
    else
        echo "not ok 1 - $name: replay failed"
        echo "$out" | sed 's/^/# /'
    fi
fi
