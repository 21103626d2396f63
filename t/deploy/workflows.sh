#!/bin/bash
# The GitHub workflows (.github/workflows/): valid against GitHub's schema
# (npm's @action-validator/cli, which is shown to reject a broken copy),
# AWS reached only through OIDC (AWS_ROLE_TO_ASSUME, id-token: write, no
# stored keys), and each does the steps issue 7 lists.  Also: no file of
# the deployment names a package registry's host.
# shellcheck disable=SC2016,SC2317  # regexes and shell text in single quotes; run_step runs through ok
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"

wf=$PLC_SRCDIR/.github/workflows
validator=$PLC_SRCDIR/tools/node_modules/.bin/action-validator

# ---- Schema ------------------------------------------------------------------------
if [ -x "$validator" ] && command -v node >/dev/null 2>&1; then
    for f in ci.yml deploy-api.yml deploy-frontend.yml; do
        if out=$("$validator" "$wf/$f" 2>&1); then
            pass "$f is a valid workflow"
        else
            fail "$f is a valid workflow"
            diag "$out"
        fi
    done
    tmp=$(mktemp -d /tmp/plccoach-wf.XXXXXX)
    sed 's/runs-on: ubuntu-latest/runs_on: ubuntu-latest/' "$wf/deploy-api.yml" >"$tmp/broken.yml"
    if "$validator" "$tmp/broken.yml" >/dev/null 2>&1; then
        fail "the validator rejects a job without runs-on"
    else
        pass "the validator rejects a job without runs-on"
    fi
    rm -rf "$tmp"
else
    skip "@action-validator/cli is not installed (scripts/check runs npm ci in tools/)" 4
fi

ci=$(cat "$wf/ci.yml")
api=$(cat "$wf/deploy-api.yml")
fe=$(cat "$wf/deploy-frontend.yml")

# ---- ci.yml -------------------------------------------------------------------------------
like "$ci" $'on:\n  push:\n  pull_request:' "ci.yml runs on every push and pull request"
like "$ci" 'run: scripts/check' "... the README's test command"
like "$ci" 'image: debian:12' "... on Debian 12"

# ---- AWS through OIDC only ---------------------------------------------------------------
for name in deploy-api deploy-frontend; do
    text=$(cat "$wf/$name.yml")
    like "$text" 'id-token: write' "$name: may request GitHub's OIDC token"
    like "$text" 'role-to-assume: \$\{\{ secrets\.AWS_ROLE_TO_ASSUME \}\}' "$name: assumes AWS_ROLE_TO_ASSUME"
    like "$text" 'aws-actions/configure-aws-credentials@[0-9a-f]{40} # v4\.' "$name: with configure-aws-credentials"
    unlike "$text" 'aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY' "$name: no long-lived keys"
    like "$text" 'workflow_dispatch:' "$name: can be run by hand"
done
unlike "$ci" 'id-token' "ci.yml gets no AWS access"

# ---- deploy-api.yml --------------------------------------------------------------------------
for p in 'src/\*\*' 'sql/\*\*' 'conf/nginx/\*\*' 'docker/\*\*'; do
    like "$api" "- \"$p\"" "deploy-api runs on changes to ${p//\\/}"
done
like "$api" 'run: scripts/check' "deploy-api: tests"
like "$api" 'dockerfilelint docker/Dockerfile' "deploy-api: lint"
like "$api" 'docker build -f docker/Dockerfile' "deploy-api: builds the image"
like "$api" 'docker push' "deploy-api: pushes it to ECR"
like "$api" 'amazon-ecs-render-task-definition' "deploy-api: a task definition with the new image"
like "$api" 'codedeploy-appspec: appspec\.rendered\.yaml' "deploy-api: blue/green through CodeDeploy, with docker/appspec.yaml filled in"
like "$api" 'codedeploy-deployment-group:' "... with the deployment group (its two target groups)"
like "$api" '/health' "deploy-api: smoke test /health"
like "$api" '/api/auth/providers' "... and an API call"
like "$api" 'GITHUB_STEP_SUMMARY' "deploy-api: reports the status"
like "$api" 'needs: \[test, lint\]' "deploy-api: deploys only after tests and lint"
appspec=$(cat "$PLC_SRCDIR/docker/appspec.yaml")
like "$appspec" 'ContainerName: api' "appspec: the task definition's container"
like "$appspec" 'ContainerPort: 8000' "appspec: port 8000"
# (t/deploy/terraform-rules.sh checks that the AppSpec names the service's
# capacity providers.)
like "$api" 'sed -e "s/<FARGATE_BASE>/\$FARGATE_BASE/" -e "s/<FARGATE_SPOT_WEIGHT>/\$FARGATE_SPOT_WEIGHT/"' \
    "deploy-api: fills the AppSpec's capacity-provider strategy in"
like "$api" 'FARGATE_BASE: \$\{\{ vars\.ECS_FARGATE_BASE \}\}' "... from the environment's ECS_FARGATE_BASE"
like "$api" 'codedeploy-appspec: appspec\.rendered\.yaml' "... and deploys with the filled-in AppSpec"

# ---- Immutable ECR tags: a re-run deploys the image that is there ----------------------
step=$(printf '%s\n' "$api" | awk '/- name: Build and push the image/ { on = 1; print; next } on && /^      - / { on = 0 } on')
like "$step" 'aws ecr describe-images --repository-name "\$REPOSITORY"' "deploy-api: looks the commit's tag up in ECR first"
like "$step" '--image-ids imageTag="\$TAG"' "... by its tag"
# The step's logic, run with stand-ins for aws and docker: an existing tag
# is deployed without a build or a push; a missing one is built and pushed.
script=$(printf '%s\n' "$step" | awk '/run: \|/ { on = 1; next } on { sub(/^          /, ""); print }')
tmp=$(mktemp -d /tmp/plccoach-wf.XXXXXX)
mkdir -p "$tmp/bin"
cat >"$tmp/bin/aws" <<'SH'
#!/bin/sh
[ "$FAKE_ECR" = present ] && { echo sha256:0123; exit 0; }
echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation" >&2
exit 254
SH
printf '#!/bin/sh\necho "docker $*" >>"$CALLS"\n' >"$tmp/bin/docker"
chmod +x "$tmp/bin/aws" "$tmp/bin/docker"
run_step() {
    : >"$tmp/calls"
    : >"$tmp/out"
    env PATH="$tmp/bin:$PATH" CALLS="$tmp/calls" FAKE_ECR="$1" GITHUB_OUTPUT="$tmp/out" \
        REGISTRY=r.example REPOSITORY=plccoach/api TAG=abc123 bash -c "$script" >/dev/null 2>&1
}
ok "the step succeeds when the tag is in ECR" run_step present
is "$(cat "$tmp/calls")" "" "... without building or pushing"
is "$(cat "$tmp/out")" "image=r.example/plccoach/api:abc123" "... and deploys that image"
ok "the step succeeds when the tag is not in ECR" run_step absent
like "$(cat "$tmp/calls")" $'docker build[^\n]*\ndocker push r\\.example/plccoach/api:abc123' "... building and pushing it"
rm -rf "$tmp"

# ---- Lint: the same pinned tools as scripts/check --------------------------------------------
lint=$(printf '%s\n' "$api" | awk '/^  lint:/ { on = 1 } /^  deploy:/ { on = 0 } on')
like "$lint" $'container:\n      image: debian:12' "deploy-api: lint runs in the Debian 12 container, like the tests"
ok "... installing Debian's clang-format-14" grep -qE 'apt-get install .* clang-format-14( |$)' <<<"$lint"
ok "... not the unversioned clang-format" bash -c '! grep -qE "apt-get install .* clang-format( |\$)" <<<"$1"' _ "$lint"
ok "... and runs scripts/lint, as scripts/check does" grep -qE '^ +(run: )?scripts/lint$' <<<"$lint"
like "$(cat "$PLC_SRCDIR/scripts/lint")" 'cf=\$\{PLC_CLANG_FORMAT:-clang-format-14\}' "scripts/lint uses clang-format-14"
like "$(cat "$PLC_SRCDIR/scripts/lint")" 'clang-format\\ version\\ 14\\.' "... and refuses any other major version"
like "$(cat "$PLC_SRCDIR/scripts/check")" '"\$PLC_ROOT/scripts/lint"' "scripts/check runs scripts/lint"
like "$(cat "$PLC_SRCDIR/scripts/lib.sh")" 'PLC_PKGS_CHECK\+=\(clang-format-14 ' "scripts/lib.sh installs clang-format-14"
like "$(cat "$PLC_SRCDIR/Makefile.am")" 'CLANG_FORMAT = clang-format-14' "make format uses clang-format-14"

# ---- deploy-frontend.yml -------------------------------------------------------------------
like "$fe" '- "frontend/\*\*"' "deploy-frontend runs on changes to frontend/"
for s in 'npm test' 'npm run lint' 'npm run build'; do
    like "$fe" "run: $s" "deploy-frontend: $s"
done
like "$fe" 'aws s3 sync dist/assets [^;]*max-age=31536000, immutable' "deploy-frontend: a year's caching for hashed assets"
like "$fe" 'aws s3 cp dist/index\.html [^;]*--cache-control "no-cache' "deploy-frontend: no caching for index.html"
like "$fe" 'aws cloudfront create-invalidation' "deploy-frontend: invalidates CloudFront"
like "$fe" 'Verify' "deploy-frontend: verifies"

# ---- Actions pinned to commits -------------------------------------------------------------
uses=$(cat "$wf"/*.yml | grep -E '^ *(- )?uses: ' | sed -E 's/^ *(- )?uses: //')
unpinned=$(printf '%s\n' "$uses" | grep -vE '^[a-z0-9-]+/[a-z0-9-]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$' || true)
is "$unpinned" "" "every action is pinned to a full commit SHA, with its version beside ($(printf '%s\n' "$uses" | wc -l) uses)"

# ---- AWS jobs run in a GitHub environment (the role trusts nothing else) ---------------------
for name in deploy-api deploy-frontend; do
    job=$(awk '/^  deploy:/ { on = 1 } on' "$wf/$name.yml")
    like "$job" "environment: \\\$\\{\\{ inputs\\.environment \\|\\| 'production' \\}\\}" \
        "$name: the job with AWS access runs in the production or staging environment"
done

# ---- No package registry host in the deployment's files -------------------------------------
hosts='registry\.npmjs\.org|registry\.yarnpkg\.com|deb\.debian\.org|security\.debian\.org|pypi\.org|files\.pythonhosted|proxy\.golang\.org|registry\.terraform\.io|releases\.hashicorp\.com|nodejs\.org/dist'
files=$(cd "$PLC_SRCDIR" && ls .github/workflows/*.yml docker/* .dockerignore tools/package.json \
    tools/package-lock.json tools/*.mjs t/deploy/* && find terraform -type f -not -path '*/.terraform/*')
# shellcheck disable=SC2086  # a list of paths without spaces
found=$(cd "$PLC_SRCDIR" && { grep -lE "$hosts" $files 2>/dev/null || true; })
is "$found" "" "no package registry host name in the deployment's files"

done_testing
