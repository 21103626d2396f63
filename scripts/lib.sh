# shellcheck shell=bash
# shellcheck disable=SC2034  # the PLC_PKGS_* lists are for the scripts that source this
#
# scripts/lib.sh - functions shared by scripts/up, down, status and check,
# and by the test helper t/lib/stack.sh (which uses plc_free_port,
# plc_poll, plc_as_user and plc_render_nginx).  Sourcing this file only
# defines functions and variables; it never changes the machine.
#
# Conventions: functions are prefixed plc_; they print progress on stderr
# and die (exit 1) with a message saying what to do when they cannot go on.

PLC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PLC_PGBIN=${PLC_PGBIN:-/usr/lib/postgresql/15/bin}
PLC_USER=${PLCCOACH_USER:-plccoach}

# Debian packages.  Build: compiler, autotools, the libraries.  Stack: the
# servers and what building pgvector needs.  Check: the test tools.
PLC_PKGS_BUILD=(build-essential autoconf automake libtool pkg-config
    libfcgi-dev libpq-dev libjson-c-dev libcurl4-openssl-dev libssl-dev
    libpoppler-glib-dev libcairo2-dev libpango1.0-dev libcmark-dev libstemmer-dev
    fonts-dejavu-core)
# libarchive writes the ZIP of a person's data export (docs/privacy.md).
PLC_PKGS_BUILD+=(libarchive-dev)
PLC_PKGS_STACK=(postgresql-15 postgresql-server-dev-15 nginx spawn-fcgi curl
    dpkg-dev)
# WordNet's database files (/usr/share/wordnet), read by plccoach ingest
# and plccoach reindex --related for the related words of retrieval
# (src/library/README.md, "Related words"), and by the coach at run time
# for the scope decision's word classes (src/coach/wordclass.h; without
# the files that second way out of scope switches itself off).
PLC_PKGS_STACK+=(wordnet-base)
PLC_PKGS_CHECK=(wrk clang libclang-rt-14-dev valgrind qpdf)
# The evaluation library's books are laid out in DejaVu Serif
# (eval/holdout/mkbooks); its checker and the model stand-in are python3
# scripts (standard library only).
PLC_PKGS_CHECK+=(python3)
# The exports' tests read PDFs back with pdftotext, pdffonts and pdfinfo.
PLC_PKGS_CHECK+=(poppler-utils)
# The web app's end-to-end test (t/integration/e2e.sh) drives Debian's
# Chromium (/usr/bin/chromium) with playwright-core.
PLC_PKGS_CHECK+=(chromium chromium-driver)
# Style (scripts/lint, also the deploy workflow's lint job): clang-format
# pinned to major version 14, Debian 12's, for the C code (.clang-format),
# and the shell scripts' linter.
PLC_PKGS_CHECK+=(clang-format-14 shellcheck)
# The container's behaviour on a host (t/deploy/readonly-root.sh): the
# entrypoint as the image's user, read-only root, only its volumes writable.
PLC_PKGS_CHECK+=(bubblewrap)
# unzip opens the data exports in t/integration/userdata.sh.
PLC_PKGS_CHECK+=(unzip)
# The benchmarks (bench/, not make check), which install these themselves:
# the peers of bench/peers/run.sh (a FastAPI + uvicorn hello world and a
# FastAPI + asyncpg twin of GET /api/conversations), and the system-call
# counts of bench/profile.sh.  uvloop and httptools are what uvicorn[standard]
# adds: without them uvicorn serves HTTP in pure Python (docs/performance.md).
# wrk, valgrind and spawn-fcgi are above.
PLC_PKGS_BENCH=(python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-asyncpg strace)

plc_log() { printf '==> %s\n' "$*" >&2; }
plc_warn() { printf 'warning: %s\n' "$*" >&2; }
plc_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

plc_is_root() { [ "$(id -u)" -eq 0 ]; }

# plc_now_us: microseconds since the epoch (bash 5's EPOCHREALTIME).
plc_now_us() {
    local t=$EPOCHREALTIME
    printf '%s\n' "${t/[.,]/}"
}

# plc_poll SECONDS COMMAND [ARGS...]: runs COMMAND every 100 ms until it
# succeeds (returns 0) or SECONDS have passed (returns 1).
plc_poll() {
    local deadline
    deadline=$(($(plc_now_us) + $1 * 1000000))
    shift
    until "$@"; do
        [ "$(plc_now_us)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# plc_as_root COMMAND...: runs COMMAND as root, directly or through a
# non-interactive sudo.  Dies when neither is possible.
plc_as_root() {
    if plc_is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        plc_die "this step needs root: run as root, or set up sudo without a password (needed for: $*)"
    fi
}

# plc_as_user USER COMMAND...: runs COMMAND as USER when we are root
# (keeping the environment), as ourselves otherwise.  PostgreSQL refuses to
# run as root; the stack's other servers drop to USER too.
plc_as_user() {
    local user=$1
    shift
    if plc_is_root; then
        setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@"
    else
        "$@"
    fi
}

# plc_user_can USER TEST-FLAG PATH: whether USER passes `test FLAG PATH`
# (e.g. -x for a binary it must run, -r for a page it must serve).
plc_user_can() {
    plc_as_user "$1" test "$2" "$3" 2>/dev/null
}

# plc_free_port: prints a TCP port free on 127.0.0.1 right now, found by
# binding port 0 (perl-base is Essential in Debian, so perl is always
# there).  Callers still retry when a server then fails to bind it.
plc_free_port() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
                                      Proto => "tcp", Listen => 1, ReuseAddr => 1)
            or die "bind probe: $!\n";
        print $s->sockport, "\n";'
}

# plc_port_free PORT [ADDR]: whether PORT can be bound on ADDR now.
plc_port_free() {
    perl -MIO::Socket::INET -e '
        IO::Socket::INET->new(LocalAddr => $ARGV[1], LocalPort => $ARGV[0],
                              Proto => "tcp", Listen => 1, ReuseAddr => 1)
            or exit 1;' "$1" "${2:-127.0.0.1}"
}

# plc_pid_alive PID: whether PID is a live process (not a zombie).
plc_pid_alive() {
    local stat
    [ -n "${1:-}" ] || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# plc_pidfile_alive FILE: prints the pid in FILE and succeeds when that
# process is alive.
plc_pidfile_alive() {
    local pid
    [ -r "$1" ] || return 1
    read -r pid <"$1" 2>/dev/null || return 1
    plc_pid_alive "$pid" || return 1
    printf '%s\n' "$pid"
}

# plc_render_nginx TEMPLATE OUTDIR KEY=VALUE...: writes OUTDIR/nginx.conf
# from TEMPLATE with each @KEY@ replaced, and copies the include files
# (conf/nginx/*.conf) next to it: nginx resolves a relative `include`
# against the directory of the main config file, so the rendered config
# includes the very same files as fargate.conf and dev-vm.conf.
plc_render_nginx() {
    local template=$1 outdir=$2 kv key val script=() f
    shift 2
    for kv in "$@"; do
        key=${kv%%=*}
        val=${kv#*=}
        val=${val//\\/\\\\}
        val=${val//|/\\|}
        val=${val//&/\\&}
        script+=(-e "s|@${key}@|${val}|g")
    done
    mkdir -p "$outdir"
    for f in "$(dirname "$template")"/*.conf; do
        cp "$f" "$outdir/"
    done
    sed "${script[@]}" "$template" >"$outdir/nginx.conf.tmp"
    if grep -n '^[^#]*@[A-Z_]*@' "$outdir/nginx.conf.tmp" >&2; then
        rm -f "$outdir/nginx.conf.tmp"
        plc_warn "unreplaced placeholders in $template"
        return 1
    fi
    mv "$outdir/nginx.conf.tmp" "$outdir/nginx.conf"
}

# plc_nginx_bin: prints the nginx binary (often outside a user's PATH).
plc_nginx_bin() {
    local n
    for n in "$(command -v nginx 2>/dev/null)" /usr/sbin/nginx; do
        [ -n "$n" ] && [ -x "$n" ] && {
            printf '%s\n' "$n"
            return 0
        }
    done
    return 1
}

# ---- Machine set-up -------------------------------------------------------

# plc_missing_packages PKG...: prints the packages that are not installed.
plc_missing_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            printf '%s\n' "$p"
    done
}

# plc_ensure_packages PKG...: installs the missing ones (apt-get update
# only when something is missing).
plc_ensure_packages() {
    local missing
    command -v dpkg-query >/dev/null 2>&1 || plc_die "dpkg-query not found: this needs Debian 12"
    mapfile -t missing < <(plc_missing_packages "$@")
    [ ${#missing[@]} -eq 0 ] && return 0
    plc_log "installing Debian packages: ${missing[*]}"
    plc_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    plc_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}"
}

# plc_debian_main_uri: prints the URI of the machine's main Debian archive,
# read from its own apt sources (deb822 *.sources first, then the
# one-line format): the entry of type deb whose suites include this
# release's codename itself (so never the -security or -updates archive).
plc_debian_main_uri() {
    local codename f uri
    # shellcheck source=/dev/null  # the machine's own file
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || return 1
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        uri=$(awk -v codename="$codename" '
            function flush() {
                if (enabled != "no" && (" " types " ") ~ / deb / &&
                    (" " suites " ") ~ (" " codename " ") && uris != "") {
                    split(uris, u, /[ \t]+/); print u[1]; found = 1; exit
                }
                types = suites = uris = enabled = last = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ { if (last == "uris") uris = uris " " $1; next }
            {
                i = index($0, ":"); key = tolower(substr($0, 1, i - 1))
                val = substr($0, i + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
                last = key
                if (key == "types") types = val
                else if (key == "suites") suites = val
                else if (key == "uris") uris = val
                else if (key == "enabled") enabled = tolower(val)
            }
            END { if (!found) flush() }' "$f")
        [ -n "$uri" ] && {
            printf '%s\n' "$uri"
            return 0
        }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(awk -v codename="$codename" '
            $1 != "deb" { next }
            { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ } }
            $(i + 1) == codename { print $i; exit }' "$f")
        [ -n "$uri" ] && {
            printf '%s\n' "$uri"
            return 0
        }
    done
    return 1
}

# plc_ensure_pgvector: builds and installs pgvector for PostgreSQL 15 from
# Debian 13's source package when the extension is missing.  The deb-src
# entry is derived from this machine's own main archive entry, so no
# registry host is written down anywhere in the repository.
plc_ensure_pgvector() {
    local pgc=$PLC_PGBIN/pg_config uri list=/etc/apt/sources.list.d/plccoach-pgvector-src.sources
    local dir=$PLC_ROOT/var/pgvector-src src
    [ -f /usr/share/postgresql/15/extension/vector.control ] && return 0
    plc_log "building pgvector for PostgreSQL 15 from Debian's source package"
    uri=$(plc_debian_main_uri) ||
        plc_die "could not find this machine's main Debian archive in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" | plc_as_root tee "$list" >/dev/null
    plc_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && apt-get source -q pgvector) || plc_die "apt-get source pgvector failed"
    src=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
    [ -n "$src" ] || plc_die "apt-get source pgvector left no source directory in $dir"
    make -C "$src" -s PG_CONFIG="$pgc" >/dev/null || plc_die "building pgvector failed"
    plc_as_root make -C "$src" -s PG_CONFIG="$pgc" install >/dev/null ||
        plc_die "installing pgvector failed"
    [ -f /usr/share/postgresql/15/extension/vector.control ] ||
        plc_die "pgvector installed, but vector.control is still missing"
}

# plc_ensure_user: when root, creates the unprivileged system user that
# runs PostgreSQL, the FastCGI pool and nginx's workers.
plc_ensure_user() {
    plc_is_root || return 0
    id -u "$PLC_USER" >/dev/null 2>&1 && return 0
    plc_log "creating system user $PLC_USER"
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin "$PLC_USER"
}

# plc_check_path: the stack writes paths into nginx and libpq
# configuration, so refuse a checkout path that would need quoting there.
plc_check_path() {
    case $PLC_ROOT in
    *[[:space:]\"\'\$\\\;\#]*)
        plc_die "the checkout path '$PLC_ROOT' contains spaces, quotes or other special characters; clone it somewhere else" ;;
    esac
}

# plc_bootstrap: runs autoreconf when configure is missing or older than
# configure.ac or Makefile.am.
plc_bootstrap() {
    local c=$PLC_ROOT/configure
    if [ ! -x "$c" ] || [ "$c" -ot "$PLC_ROOT/configure.ac" ] ||
        [ "$c" -ot "$PLC_ROOT/Makefile.am" ] || [ ! -f "$PLC_ROOT/Makefile.in" ]; then
        plc_log "autoreconf -fi"
        (cd "$PLC_ROOT" && autoreconf -fi) || plc_die "autoreconf failed"
    fi
}

# plc_build DIR [CONFIGURE-ARGS...]: configures (when DIR has no Makefile
# or the arguments changed) and builds in the out-of-tree directory DIR.
plc_build() {
    local dir=$1 stamp want
    shift
    mkdir -p "$dir"
    stamp=$dir/.plccoach-configure-args
    want=$(printf '%s\n' "$@")
    if [ ! -f "$dir/Makefile" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        plc_log "configure $* (in ${dir#"$PLC_ROOT"/})"
        (cd "$dir" && "$PLC_ROOT/configure" -q "$@") ||
            plc_die "configure failed: see ${dir}/config.log"
        printf '%s\n' "$want" >"$stamp"
    fi
    plc_log "make (in ${dir#"$PLC_ROOT"/})"
    make -C "$dir" -s -j"$(nproc)" >/dev/null || plc_die "the build failed"
}
