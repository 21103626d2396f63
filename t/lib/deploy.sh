# shellcheck shell=bash
# t/lib/deploy.sh - the preamble of the offline Terraform checks in
# t/deploy (terraform-schema.sh, terraform-rules.sh), sourced as their
# first command:
#
#     #!/bin/bash
#     # What the check shows ...
#     . "$(dirname "$0")/../lib/deploy.sh"
#
# Runs the check under bash (also when started as `sh check.sh`), in
# strict mode (set -euo pipefail), with PLC_SRCDIR the source tree, and
# loads t/lib/tap.sh; skips the whole check when npm's @cdktf/hcl2json
# (tools/node_modules: scripts/check runs npm ci in tools/) or node is
# missing; and makes the scratch directory $tmp, removed at the end.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"

if [ ! -d "$PLC_SRCDIR/tools/node_modules/@cdktf/hcl2json" ] || ! command -v node >/dev/null 2>&1; then
    skip_all "@cdktf/hcl2json is not installed (scripts/check runs npm ci in tools/)"
fi
tmp=$(mktemp -d "/tmp/plccoach-$(basename "$0" .sh).XXXXXX")
_deploy_cleanup() { rm -rf "$tmp"; }
tap_cleanup _deploy_cleanup
