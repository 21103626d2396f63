#!/bin/sh
# Fails when a caller reads an enum db_status as a bool.  DB_OK is 0, so
# `!f()`, `if (f())`, `f() && ...` or `ok = f()` (bool ok) invert the
# outcome silently and the compiler says nothing (arch25 broke
# `plccoach user list` that way).  The functions are those that
# src/db/*.h declares as returning enum db_status; a call is bad when it
# is negated, is the whole condition of if/while, is an operand of && or
# || or ?: 's condition, is assigned to a bool, or is returned by a
# function that returns bool.  docs/architecture.md,
# "Where SQL lives" (the outcome vocabulary).
src="${PLC_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
echo "1..2"
names=$(cd "$src" && cat src/db/*.h src/db/status.h | tr '\n' ' ' |
    grep -oE 'enum db_status[[:space:]]+[a-z_][a-z0-9_]*[[:space:]]*\(' |
    sed -E 's/enum db_status[[:space:]]+//; s/[[:space:]]*\($//' | sort -u)
n=$(printf '%s\n' "$names" | grep -c .)
if [ "$n" -ge 50 ]; then
    echo "ok 1 - $n db functions return enum db_status"
else
    echo "not ok 1 - only $n functions found returning enum db_status (the grep broke?)"
fi
bad=$(cd "$src" && find src t fuzz bench \( -name '*.c' -o -name '*.h' \) 2>/dev/null |
    NAMES="$names" xargs perl -0777 -ne '
        BEGIN { %n = map { $_ => 1 } split /\s+/, $ENV{NAMES}; }
        my $s = $_;
        $s =~ s{/\*.*?\*/}{ (my $c = $&) =~ tr/\n//cd; $c . " " }gse;
        while ($s =~ /([!&|?(=]\s*|\b(?:if|while)\s*\(\s*|\bbool\s+\w+\s*=\s*|\breturn\s+)?\b([a-z_][a-z0-9_]*)(\((?:[^()]++|(?3))*\))/g) {
            my ($pre, $name, $at) = ($1 // "", $2, $-[2]);
            my $next = substr($s, $+[3], 40);
            next unless $n{$name};
            next if $next =~ /^\s*[!=]=/;
            my $line = 1 + (substr($s, 0, $at) =~ tr/\n//);
            my $why;
            $why = "negated" if $pre =~ /!\s*$/ && $pre !~ /!=/;
            $why = "a condition" if !$why && $pre =~ /^(?:if|while)\s*\(\s*$/ && $next =~ /^\s*\)/;
            $why = "an operand of && or ||" if !$why && ($pre =~ /[&|]\s*$/ || $next =~ /^\s*(?:&&|\|\|)/);
            $why = "a ?: condition" if !$why && $next =~ /^\s*\?/;
            $why = "assigned to a bool" if !$why && $pre =~ /^bool/;
            if (!$why && $pre =~ /^return/) {
                my @types = (substr($s, 0, $at) =~ /^((?:static\s+)?[a-z_][a-z0-9_ ]*?)\s*\**\s*[a-z_][a-z0-9_]*\(/mg);
                $why = "returned as a bool" if @types && $types[-1] =~ /^(?:static\s+)?bool$/
                    && $next !~ /^\s*[!=]=/;
            }
            print "$ARGV:$line: $name() $why\n" if $why;
        }')
if [ -z "$bad" ]; then
    echo "ok 2 - no enum db_status read as a bool"
else
    echo "not ok 2 - enum db_status read as a bool (compare with DB_OK):"
    printf '%s\n' "$bad" | sed 's/^/# /'
fi
