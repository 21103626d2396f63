#!/bin/bash
# The deployment's rules over the parsed Terraform and the image's files
# (tools/tf-rules.mjs, offline): Terraform >= 1.10, the service after the
# HTTPS listener, the AppSpec's capacity providers, autoscaling over both
# target groups, the GitHub role's trusted subjects, no "*" resources, the
# task role, the operators' way in, the database roles, TLS to RDS, the
# writable volumes, the health checks, the viewer address behind
# CloudFront, access logs, the slow-query log, the 5XX alarm, no web app in
# the image.  Then each rule is shown to catch its regression, on a copy
# of the tree with that one mistake put back.  And CloudFront's
# viewer-address function, run with node.
# shellcheck disable=SC2016,SC2317  # perl substitutions; cleanup runs from tap.sh
# shellcheck source=t/lib/deploy.sh
. "$(dirname "$0")/../lib/deploy.sh"
rules="$PLC_SRCDIR/tools/tf-rules.mjs"

# ---- The real tree ---------------------------------------------------------------------------
if out=$(node "$rules" "$PLC_SRCDIR" 2>&1); then
    pass "every deployment rule holds"
else
    fail "every deployment rule holds"
fi
diag "$out"
nrules=$(printf '%s\n' "$out" | sed -n 's/^1\.\.//p')
ok "the rules were checked ($nrules)" test "${nrules:-0}" -ge 18

# ---- Each rule catches its regression ---------------------------------------------------------
# mutate RULE FILE PERL-SUBSTITUTION: a copy of the tree (terraform/,
# docker/) with one mistake; all copies are checked in one node process.
names=()
mutate() {
    local name=$1 file=$2 subst=$3 dir="$tmp/$1"
    mkdir -p "$dir/docker"
    cp -r "$PLC_SRCDIR/terraform" "$dir/"
    cp "$PLC_SRCDIR/docker/Dockerfile" "$PLC_SRCDIR/docker/appspec.yaml" "$dir/docker/"
    perl -0pi -e "$subst" "$dir/$file"
    if cmp -s "$dir/$file" "$PLC_SRCDIR/$file"; then
        bail "mutation $name did not apply to $file"
    fi
    names+=("$name")
}
mutate terraform-version terraform/stack/versions.tf 's/">= 1\.10\.0"/">= 1.5.0"/'
mutate listener-dependency terraform/modules/compute/main.tf 's/, terraform_data\.https_listener\]/]/'
mutate appspec-capacity-providers docker/appspec.yaml 's/\n *- CapacityProvider: FARGATE_SPOT\n[^\n]*\n[^\n]*//'
mutate autoscaling-both-target-groups terraform/modules/compute/main.tf \
    's/green = var\.green_target_group_arn_suffix/green = var.blue_target_group_arn_suffix/'
mutate oidc-trust terraform/modules/github_oidc/main.tf \
    's/values   = \["repo:\$\{var\.github_repository\}:environment:\$\{var\.github_environment\}"\]/values   = ["repo:\${var.github_repository}:environment:\${var.github_environment}", "repo:\${var.github_repository}:ref:refs\/heads\/main"]/'
mutate no-star-resources terraform/modules/github_oidc/main.tf \
    's/resources = \["\$\{local\.codedeploy_arn\}:deploymentconfig:[^\]]*\]/resources = ["*"]/'
mutate task-role-least-privilege terraform/modules/iam/main.tf \
    's/actions   = \["kms:Decrypt", "kms:GenerateDataKey"\]/actions   = ["kms:Decrypt", "kms:GenerateDataKey", "logs:PutLogEvents"]/'
mutate operator-access terraform/modules/compute/main.tf \
    's/readonlyRootFilesystem = false/readonlyRootFilesystem = true/'
mutate database-roles terraform/modules/compute/main.tf \
    's/secrets                = concat\(local\.app_db_secrets,/secrets                = concat(local.master_db_secrets,/'
mutate rds-tls terraform/modules/compute/main.tf 's/PGSSLMODE     = "verify-full"/PGSSLMODE     = "require"/'
mutate writable-volumes docker/Dockerfile 's/VOLUME \["\/run\/plccoach", "\/tmp"\]/VOLUME ["\/run\/plccoach"]/'
mutate health-checks terraform/modules/load_balancer/main.tf 's/path                = "\/health\/ready"/path                = "\/health"/'
mutate viewer-address terraform/modules/security/main.tf \
    's/prefix_list_ids = \[data\.aws_ec2_managed_prefix_list\.cloudfront\.id\]/cidr_blocks     = ["0.0.0.0\/0"]/'
mutate access-logs terraform/modules/load_balancer/main.tf 's/    enabled = true\n    bucket  = var\.logs_bucket/    enabled = false\n    bucket  = var.logs_bucket/'
mutate slow-query-log terraform/modules/database/main.tf \
    's/name  = "log_parameter_max_length"\n    value = "0"/name  = "log_parameter_max_length"\n    value = "-1"/'
mutate error-alarm-counts-the-alb terraform/modules/monitoring/main.tf \
    's/metric_name = "HTTPCode_ELB_5XX_Count"/metric_name = "HTTPCode_Target_5XX_Count"/'
mutate db-connection-budget terraform/environments/production/main.tf \
    's/workers                = 28/workers                = 40/'
mutate web-app-not-in-image docker/Dockerfile 's/(COPY docker\/entrypoint\.sh)/COPY frontend\/dist\/ \/srv\/plccoach\/frontend\/\n$1/'

dirs=()
for name in "${names[@]}"; do dirs+=("$tmp/$name"); done
all=$(node "$rules" --failing "${dirs[@]}" 2>&1)
for name in "${names[@]}"; do
    # The failing rules of one copy: the lines after its "=== DIR" header.
    failing=$(printf '%s\n' "$all" | awk -v d="=== $tmp/$name" '$0 == d { on = 1; next } /^=== / { on = 0 } on')
    if printf '%s\n' "$failing" | grep -q "^$name	"; then
        pass "$name: caught ($(printf '%s\n' "$failing" | grep "^$name	" | cut -f2 | head -n 1))"
    else
        fail "$name: caught"
        diag "failing rules: ${failing:-none}"
    fi
done
ok "every rule has its regression ($nrules rules, ${#names[@]} mutations)" test "${#names[@]}" -eq "$nrules"

# ---- CloudFront's viewer-address function ---------------------------------------------------
fn=$PLC_SRCDIR/terraform/modules/cdn/viewer-address.js
got=$(node -e '
    const fs = require("fs");
    const handler = new Function(fs.readFileSync(process.argv[1], "utf8") + "\nreturn handler;")();
    const forged = { uri: "/api/me", headers: { "x-plccoach-viewer-address": { value: "6.6.6.6" } } };
    const out = handler({ viewer: { ip: "203.0.113.7" }, request: forged });
    const v6 = handler({ viewer: { ip: "2001:db8::17" }, request: { uri: "/health", headers: {} } });
    console.log(out.headers["x-plccoach-viewer-address"].value, out.uri, v6.headers["x-plccoach-viewer-address"].value);
' "$fn")
is "$got" "203.0.113.7 /api/me 2001:db8::17" \
    "the viewer-address function sets the viewer's IP, overwriting a forged header, IPv6 included"

done_testing
