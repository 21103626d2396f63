# shellcheck shell=bash
# t/lib/integration.sh - the preamble of every integration test, sourced
# as its first command:
#
#     #!/bin/bash
#     # What the test shows ...
#     . "$(dirname "$0")/../lib/integration.sh"
#
# Runs the test under bash (also when started as `sh test.sh`: this first
# line is POSIX), in strict mode (set -euo pipefail), with PLC_SRCDIR the
# source tree (from `make check`, or found from here), and loads
# t/lib/tap.sh, t/lib/stack.sh, t/lib/users.sh and t/lib/model.sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=t/lib/stack.sh
. "$PLC_SRCDIR/t/lib/stack.sh"
# shellcheck source=t/lib/users.sh
. "$PLC_SRCDIR/t/lib/users.sh"
# shellcheck source=t/lib/model.sh
. "$PLC_SRCDIR/t/lib/model.sh"
