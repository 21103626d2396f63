#!/bin/bash
# The Terraform under terraform/, checked offline (no terraform binary, no
# provider download): every file parses (npm's @cdktf/hcl2json), every
# resource and data type, argument and nested block exists in the AWS
# provider's schema (terraform/.schema/, extracted by tools/aws-schema.mjs
# from @cdktf/provider-aws), every reference names something declared,
# module calls match the modules' variables.  Then the checker itself is
# shown to catch each kind of mistake, on mutated copies.
# shellcheck disable=SC2016,SC2317  # perl substitutions; cleanup runs from tap.sh
# shellcheck source=t/lib/deploy.sh
. "$(dirname "$0")/../lib/deploy.sh"
check="$PLC_SRCDIR/tools/tf-check.mjs"

# ---- The real tree ------------------------------------------------------------
if out=$(cd "$PLC_SRCDIR" && node "$check" validate terraform 2>&1); then
    pass "terraform/: every module checks out against the provider schema"
else
    fail "terraform/: every module checks out against the provider schema"
fi
diag "$out"
like "$out" 'modules/network: 11 resource' "the network module was checked (11 blocks)"
like "$out" 'stack: 0 resource/data blocks, 13 module calls' "the stack wires 13 modules"
ok "the schema records the provider version" \
    grep -q '^"provider_version": "6\.' "$PLC_SRCDIR/terraform/.schema/aws-provider-compact.json"
# The schema was extracted whole, not just for the types used here.
n=$(grep -c '^"aws_' "$PLC_SRCDIR/terraform/.schema/aws-provider-compact.json")
ok "the schema has every AWS resource and data type ($n)" test "$n" -gt 1500

# ---- Mutations: each must be caught -----------------------------------------------
# mutate NAME FILE PERL-SUBSTITUTION EXPECTED-MESSAGE: a copy of terraform/
# with one mistake; all copies are then checked in one node process.
names=()
expects=()
mutate() {
    local name=$1 file=$2 subst=$3 dir="$tmp/$1"
    mkdir -p "$dir"
    cp -r "$PLC_SRCDIR/terraform/." "$dir/"
    perl -0pi -e "$subst" "$dir/$file"
    if cmp -s "$dir/$file" "$PLC_SRCDIR/terraform/$file"; then
        bail "mutation $name did not apply to $file"
    fi
    names+=("$name")
    expects+=("$4")
}
mutate unknown-argument modules/database/main.tf 's/storage_encrypted     = true/storage_encrypted     = true\n  storage_encrypt = true/' \
    'unsupported argument or block "storage_encrypt"'
mutate unknown-nested-argument modules/load_balancer/main.tf 's/healthy_threshold   = 2/healthy_treshold    = 2/' \
    'health_check: unsupported argument or block "healthy_treshold"'
mutate unknown-block modules/compute/main.tf 's/deployment_controller \{/deploy_controller {/' \
    'unsupported argument or block "deploy_controller"'
mutate unknown-type modules/registry/main.tf 's/"aws_ecr_lifecycle_policy"/"aws_ecr_lifecycle_policies"/' \
    'no resource type "aws_ecr_lifecycle_policies"'
mutate unknown-data-type modules/storage/main.tf 's/data "aws_caller_identity"/data "aws_caller_identities"/' \
    'no data source "aws_caller_identities"'
mutate undeclared-variable modules/network/main.tf 's/var\.vpc_cidr/var.vpc_cidr_block/' \
    'no variable "vpc_cidr_block"'
mutate undeclared-local modules/compute/main.tf 's/local\.mount_points/local.mounts/' 'no local "mounts"'
mutate unknown-module-output stack/main.tf 's/module\.network\.vpc_id/module.network.vpc/' \
    'module "network" has no output "vpc"'
mutate unknown-resource-attribute modules/load_balancer/outputs.tf 's/aws_lb\.main\.dns_name/aws_lb.main.dns/' \
    'resource aws_lb has no attribute "dns"'
mutate undeclared-resource modules/iam/main.tf 's/aws_iam_role\.task\.id/aws_iam_role.tasks.id/' \
    'no resource "aws_iam_role" "tasks"'
mutate reference-in-template modules/compute/main.tf 's/\$\{var\.db_secret_arn\}:\$\{key\}/\${var.db_secrets_arn}:\${key}/' \
    'no variable "db_secrets_arn"'
mutate missing-module-variable stack/main.tf 's/  multi_az              = var\.db_multi_az\n//' \
    'required variable "multi_az" of ../modules/database is not set'
mutate extra-module-argument environments/staging/main.tf 's/  log_name               = "plccoach\/staging"\n/  log_name               = "plccoach\/staging"\n  log_days = 3\n/' \
    'has no variable "log_days"'
mutate unused-variable modules/registry/variables.tf 's/$/\nvariable "spare" {\n  type = string\n}\n/' \
    'variable spare is never used'
mutate count-outside-count modules/security/main.tf 's/Name = "\$\{var\.name\}-rds"/Name = "\${var.name}-rds-\${count.index}"/' \
    'count.index outside a counted block'
mutate syntax-error modules/cdn/main.tf 's/price_class         = "PriceClass_100"/price_class = "PriceClass_100/' \
    'does not parse'


dirs=()
for name in "${names[@]}"; do dirs+=("$tmp/$name"); done
all=$(node "$check" errors "${dirs[@]}" 2>&1)
for i in "${!names[@]}"; do
    # The errors of one copy: the lines after its "=== DIR" header.
    errs=$(printf '%s\n' "$all" | awk -v d="=== $tmp/${names[$i]}" '$0 == d { on = 1; next } /^=== / { on = 0 } on')
    if [ -z "$errs" ]; then
        fail "${names[$i]}: caught"
    else
        like "$errs" "${expects[$i]}" "${names[$i]}: caught (${expects[$i]})"
    fi
done

done_testing
