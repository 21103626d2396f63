#!/bin/bash
# docker/Dockerfile without a Docker engine: it lints clean (npm's
# dockerfilelint); the runtime stage installs the Debian package of every
# shared library the built programs link (ldd on the build tree's
# plccoach and plccoach-fcgi, each library resolved to its package with
# dpkg -S; a library pulled in by another library must come from a listed
# package or from one of their dependencies); and the image has the shape
# issue 7 asks for (multi-stage, Debian 12 slim, non-root, port 8000, a
# health check on /health, the entrypoint).  The compose file is checked
# for the services it must define.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PLC_BUILDDIR:=$PLC_SRCDIR}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"

df=$PLC_SRCDIR/docker/Dockerfile
compose=$PLC_SRCDIR/docker/compose.yaml

# ---- Lint ----------------------------------------------------------------------------
lint=$PLC_SRCDIR/tools/node_modules/.bin/dockerfilelint
if [ -x "$lint" ] && command -v node >/dev/null 2>&1; then
    if out=$("$lint" "$df" 2>&1); then
        pass "dockerfilelint finds no problem in docker/Dockerfile"
    else
        fail "dockerfilelint finds no problem in docker/Dockerfile"
        diag "$out"
    fi
else
    skip "dockerfilelint is not installed (scripts/check runs npm ci in tools/)"
fi

# ---- Shape ----------------------------------------------------------------------------
# The instructions of one stage: from its FROM line to the next FROM.
stage() {
    awk -v name="$1" '
        /^FROM / { on = ($NF == name) }
        on' "$df"
}
runtime=$(stage runtime)
like "$(grep '^FROM ' "$df" | tr '\n' ' ')" '^FROM debian:12 AS build FROM debian:12-slim AS runtime $' \
    "two stages: build on Debian 12, runtime on Debian 12 slim"
like "$(stage build)" 'autoreconf -fi[^\n]*' "the build stage runs autoreconf"
like "$(stage build)" '\./configure --prefix=/usr/local' "... and the plain configure"
unlike "$(cat "$df")" 'frontend' "the web app is not built into the API image (CloudFront serves it from S3)"
like "$runtime" 'COPY --from=build /out/usr/local/ /usr/local/' "the runtime has the installed programs"
like "$runtime" 'COPY conf/nginx/\*\.conf /etc/plccoach/nginx/' "... the nginx configuration"
like "$runtime" 'USER plccoach' "it runs as the unprivileged user plccoach"
like "$runtime" 'EXPOSE 8000' "EXPOSE 8000"
like "$runtime" 'HEALTHCHECK [^[]*CMD \["curl"[^]]*"http://127\.0\.0\.1:8000/health/live"\]' \
    "HEALTHCHECK on /health/live (liveness, never the database)"
like "$runtime" 'ENTRYPOINT \["/usr/local/bin/plccoach-entrypoint"\]' "the entrypoint"
like "$runtime" 'COPY docker/entrypoint\.sh /usr/local/bin/plccoach-entrypoint' "... is docker/entrypoint.sh"
# The volumes are declared after the directories are made with their
# owner (a later change inside a declared volume is discarded), and the
# USER comes after both (t/deploy/readonly-root.sh runs it that way).
order=$(printf '%s\n' "$runtime" | awk '/install -d -o plccoach -g plccoach -m [0-7]+ \/run\/plccoach/ { print "mkdir" } /^VOLUME / { print "volume" } /^USER / { print "user" }' | tr '\n' ' ')
is "$order" "mkdir volume user " "the run directory is made with its owner, then declared a VOLUME, then USER"
like "$runtime" 'VOLUME \["/run/plccoach", "/tmp"\]' "VOLUME /run/plccoach and /tmp"
like "$runtime" 'PLCCOACH_SCRATCH_DIR=/tmp' "uploads in flight go to the /tmp volume"
like "$runtime" 'truststore\.pki\.rds\.amazonaws\.com/global/global-bundle\.pem' "the image has Amazon RDS's CA bundle"
like "$runtime" 'PGSSLROOTCERT=/etc/plccoach/rds-ca-bundle\.pem' "... and libpq is pointed at it"
ok "docker/entrypoint.sh is executable" test -x "$PLC_SRCDIR/docker/entrypoint.sh"

# The package names of the runtime stage's apt-get install.
runtime_pkgs=$(printf '%s\n' "$runtime" | awk '
    /apt-get install/ { on = 1 }
    on { for (i = 1; i <= NF; i++) if ($i ~ /^[a-z0-9][a-z0-9.+-]+$/) print $i }
    on && !/\\$/ { on = 0 }' | grep -vxE 'apt-get|install|rm|y' | sort -u)
unlike "$runtime_pkgs" '-dev$' "the runtime installs no -dev package"
for p in nginx curl ca-certificates; do
    ok "the runtime installs $p" grep -qx "$p" <<<"$runtime_pkgs"
done

# ---- Every linked library's package is installed ------------------------------------------
if ! command -v dpkg >/dev/null 2>&1 || ! command -v ldd >/dev/null 2>&1; then
    skip "dpkg or ldd is missing" 1
    done_testing
fi
bins=("$PLC_BUILDDIR/plccoach" "$PLC_BUILDDIR/plccoach-fcgi")
for b in "${bins[@]}"; do
    [ -x "$b" ] || bail "$b is missing: build first"
done

# pkg_of PATH: the Debian package that ships PATH (with or without the
# /usr prefix: Debian 12 has merged /lib into /usr/lib).
pkg_of() {
    local p alt real
    real=$(readlink -f "$1")
    for p in "$1" "$real"; do
        for alt in "$p" "${p#/usr}" "/usr$p"; do
            dpkg -S "$alt" 2>/dev/null | head -n 1 | cut -d: -f1 && return 0
        done
    done
    return 1
}

# Packages the base image always has (Essential: yes or Priority: required
# in Debian 12, present in debian:12-slim).
base_pkgs="libc6 libgcc-s1 libstdc++6 zlib1g libzstd1 liblzma5 libbz2-1.0 libselinux1 libpcre2-8-0 libcrypt1 libgpg-error0 libgcrypt20 libsystemd0 liblz4-3 libcap2 libacl1 libattr1 libaudit1 libcap-ng0 libdb5.3 libtinfo6 libudev1 libmd0 libgmp10 libhogweed6 libnettle8 libp11-kit0 libffi8 libtasn1-6 libidn2-0 libunistring2 libgnutls30 libsemanage2 libsepol2 libsemanage-common libxxhash0"

# check_libs PACKAGES: sets missing[] to what the programs link and the
# packages (one per line) do not provide, and direct_ok/indirect_ok.
check_libs() {
    local pkgs=$1 p d deps soname path pkg
    # The closure of the packages' Depends and Pre-Depends, from the
    # installed packages' metadata (dpkg-query; no network).
    declare -A closure=()
    local queue=()
    for p in $pkgs $base_pkgs; do
        queue+=("$p")
    done
    while [ ${#queue[@]} -gt 0 ]; do
        p=${queue[0]}
        queue=("${queue[@]:1}")
        [ -n "${closure[$p]:-}" ] && continue
        closure[$p]=1
        deps=$(dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$p" 2>/dev/null || true)
        # "a (>= 1) | b, c:any" -> every alternative's name.
        for d in $(printf '%s\n' "$deps" | tr ',|' '\n' | sed -e 's/([^)]*)//g' -e 's/:any//' -e 's/^ *//;s/ *$//' | grep -v '^$'); do
            [ -z "${closure[$d]:-}" ] && queue+=("$d")
        done
    done
    # Direct dependencies (NEEDED) must be listed; indirect ones may come
    # from the closure.  Sanitizer runtimes only exist in instrumented builds.
    missing=()
    direct_ok=0
    indirect_ok=0
    while read -r soname path; do
        case "$soname" in
        libasan.so* | libubsan.so* | liblsan.so* | libtsan.so*) continue ;;
        esac
        pkg=$(pkg_of "$path") || {
            missing+=("$soname ($path): no Debian package owns it")
            continue
        }
        if grep -qx "$soname" <<<"$needed"; then
            if grep -qx "$pkg" <<<"$pkgs" || [[ " $base_pkgs " == *" $pkg "* ]]; then
                direct_ok=$((direct_ok + 1))
            else
                missing+=("$soname, linked directly: package $pkg is not in the runtime stage's apt-get install")
            fi
        elif [ -n "${closure[$pkg]:-}" ]; then
            indirect_ok=$((indirect_ok + 1))
        else
            missing+=("$soname, pulled in by another library: package $pkg is neither installed nor a dependency")
        fi
    done <<<"$libs"
}

needed=$(for b in "${bins[@]}"; do objdump -p "$b" | awk '/NEEDED/ { print $2 }'; done | sort -u)
libs=$(for b in "${bins[@]}"; do ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }'; done | sort -u)
check_libs "$runtime_pkgs"
if [ ${#missing[@]} -eq 0 ] && [ "$direct_ok" -gt 0 ]; then
    pass "the runtime stage installs the package of every library the programs link ($direct_ok direct, $indirect_ok indirect)"
else
    fail "the runtime stage installs the package of every library the programs link"
    diag "${missing[@]}"
fi
# The check itself: libfcgi resolves to its package, and a package taken
# off the list is noticed.
pkg=$(pkg_of "$(ldd "$PLC_BUILDDIR/plccoach-fcgi" | awk '$1 ~ /^libfcgi\.so/ { print $3 }')" || true)
is "$pkg" libfcgi0ldbl "libfcgi resolves to its package (libfcgi0ldbl)"
check_libs "$(grep -vx libpq5 <<<"$runtime_pkgs")"
like "${missing[*]}" 'libpq\.so\.5, linked directly: package libpq5 is not' "without libpq5 on the list, the check fails"

# ---- compose.yaml -----------------------------------------------------------------------------
like "$(cat "$compose")" 'image: pgvector/pgvector:pg15' "compose: PostgreSQL 15 with pgvector"
like "$(cat "$compose")" 'dockerfile: docker/Dockerfile' "compose: the API built from docker/Dockerfile"
like "$(cat "$compose")" 'PLCCOACH_MIGRATE_ON_START: "true"' "compose: migrations on start"
like "$(cat "$compose")" '"8000:8000"' "compose: port 8000"
like "$(cat "$compose")" 'read_only: true' "compose: a read-only root, as on Fargate"

done_testing
