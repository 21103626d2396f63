#!/bin/sh
# Every value issue 7 and the infrastructure document list, as the
# Terraform sets it in production and in staging: the table
# t/deploy/terraform-values.tsv, resolved through module arguments,
# variable defaults and locals by tools/tf-check.mjs (offline, with npm's
# @cdktf/hcl2json).  One TAP test per row.
if [ ! -d "$PLC_SRCDIR/tools/node_modules/@cdktf/hcl2json" ] || ! command -v node >/dev/null 2>&1; then
    echo "1..0 # SKIP @cdktf/hcl2json is not installed (scripts/check runs npm ci in tools/)"
    exit 0
fi
exec node "$PLC_SRCDIR/tools/tf-check.mjs" values "$PLC_SRCDIR/terraform" "$PLC_SRCDIR/t/deploy/terraform-values.tsv"
