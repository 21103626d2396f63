#!/bin/bash
# `make install` lays out a plain Linux host: the two programs, the
# migrations, and the nginx and systemd examples, all under the configured
# prefix; the installed programs run, and the installed nginx examples
# pass `nginx -t` as they are (only their absolute paths moved to a
# scratch directory).
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
. "$(dirname "$0")/../lib/integration.sh"

[ -f "$PLC_BUILDDIR/Makefile" ] || bail "$PLC_BUILDDIR has no Makefile: configure first"
stack_init
dest=$STACK_DIR/dest

# This runs inside `make check`: keep the outer make's job server and
# variables out of the inner make.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# make_var NAME: the value of a make variable of the build tree.
make_var() {
    make -s -C "$PLC_BUILDDIR" -f Makefile -f - plc-print-var VAR="$1" <<'EOF' | sed -n 's/^PLCVAR=//p'
plc-print-var:
	@echo 'PLCVAR=$($(VAR))'
EOF
}

bindir=$(make_var bindir)
pkgdatadir=$(make_var pkgdatadir)
version=$(make_var PACKAGE_VERSION)
prefix=$(make_var prefix)
like "$bindir" "^$prefix/" "bindir is under the prefix ($bindir)"
like "$pkgdatadir" "^$prefix/" "pkgdatadir is under the prefix ($pkgdatadir)"

rc=0
make -C "$PLC_BUILDDIR" install DESTDIR="$dest" >"$STACK_DIR/log/install.log" 2>&1 || rc=$?
is "$rc" 0 "make install DESTDIR=... succeeds"
[ "$rc" -eq 0 ] || diag "$(tail -n 20 "$STACK_DIR/log/install.log")"

ok "bin/plccoach-fcgi is installed and executable" test -x "$dest$bindir/plccoach-fcgi"
ok "bin/plccoach is installed and executable" test -x "$dest$bindir/plccoach"
for f in "$PLC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql; do
    ok "share/plccoach/sql/${f##*/} is installed unchanged" cmp -s "$f" "$dest$pkgdatadir/sql/${f##*/}"
done
for f in fargate.conf dev-vm.conf local.conf.in fastcgi_params.conf security_headers.conf \
    api_errors.conf api_locations.conf spa_locations.conf http_common.conf; do
    ok "the nginx example $f is installed" test -f "$dest$pkgdatadir/examples/nginx/$f"
done
for f in plccoach-fcgi.service plccoach-fcgi-spawn.service plccoach.env.example; do
    ok "the systemd example $f is installed" test -f "$dest$pkgdatadir/examples/systemd/$f"
done
stray=$(find "$dest" -type f | sed "s|^$dest||" | grep -v "^$prefix/" || true)
is "$stray" "" "nothing is installed outside the prefix"

out=$("$dest$bindir/plccoach" --version 2>&1) || true
is "$out" "plccoach $version" "the installed plccoach --version works"
out=$("$dest$bindir/plccoach-fcgi" --version 2>&1) || true
is "$out" "plccoach-fcgi $version" "the installed plccoach-fcgi --version works"
out=$("$dest$bindir/plccoach-fcgi" --help-config 2>&1) || true
like "$out" 'PLCCOACH_DATABASE_URL' "the installed plccoach-fcgi --help-config lists the configuration"

# The installed nginx examples, as shipped, with their absolute paths
# (sockets, logs, pid and temp files) moved into the scratch directory.
if NGINX=$(plc_nginx_bin); then
    for conf in fargate.conf dev-vm.conf; do
        copy=$STACK_DIR/nginx-$conf
        mkdir -p "$copy"
        cp "$dest$pkgdatadir/examples/nginx/"*.conf "$copy/"
        sed -i -e "s|/tmp/|$copy/|g" -e "s|/run/|$copy/|g" -e "s|/var/log/nginx/|$copy/|g" \
            -e "s|^user .*|# user|" "$copy/$conf"
        rc=0
        out=$("$NGINX" -t -q -p "$copy/" -c "$copy/$conf" -e "$copy/error.log" 2>&1) || rc=$?
        is "$rc" 0 "the installed $conf passes nginx -t"
        [ "$rc" -eq 0 ] || diag "$out"
    done
else
    skip "nginx is not installed" 2
fi

# The units name the installed programs.
unit=$dest$pkgdatadir/examples/systemd/plccoach-fcgi.service
like "$(grep '^ExecStart=' "$unit")" 'plccoach-fcgi --listen unix:/run/plccoach/fcgi.sock' \
    "the systemd unit starts plccoach-fcgi on /run/plccoach/fcgi.sock"
if command -v systemd-analyze >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for u in plccoach-fcgi.service plccoach-fcgi-spawn.service; do
        out=$(systemd-analyze verify "$dest$pkgdatadir/examples/systemd/$u" 2>&1 |
            grep -v 'Command .* is not executable\|not found\|Failed to prepare filename' || true)
        is "$out" "" "systemd-analyze verify $u"
    done
else
    skip "systemd is not running here" 2
fi

done_testing
