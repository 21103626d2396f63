#!/bin/bash
# The container as Fargate runs it, without a Docker engine: the
# entrypoint (docker/entrypoint.sh) started by bubblewrap as the image's
# user (USER in docker/Dockerfile), with the root filesystem read-only
# (the task definition's readonlyRootFilesystem) and only the task
# definition's mount points writable, each a fresh directory initialised
# the way Fargate initialises a task volume: with the owner and mode the
# image gives the path when the image declares it a VOLUME, root's 0755
# otherwise.  Against PostgreSQL (over TCP, as RDS) and an S3-compatible
# server (PLCCOACH_STORAGE=s3, as the task definition), with the image's
# own paths for everything writable (/run/plccoach, /tmp):
#   - it starts, migrates, and turns live and ready;
#   - a book upload streams through a scratch file in a declared volume to
#     S3, and the job process ingests it from there;
#   - the same image without its VOLUME line cannot start (what the
#     first real deployment would have shown), and an upload whose scratch
#     directory is on the read-only root fails: the checks above are what
#     keep both from coming back.
# shellcheck disable=SC2317  # helpers are called through ok and plc_poll
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
: "${PLC_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PLC_BUILDDIR:=$PLC_SRCDIR}"
# shellcheck source=t/lib/tap.sh
. "$PLC_SRCDIR/t/lib/tap.sh"
# shellcheck source=t/lib/stack.sh
. "$PLC_SRCDIR/t/lib/stack.sh"
# shellcheck source=t/s3/lib.bash
. "$PLC_SRCDIR/t/s3/lib.bash"

command -v bwrap >/dev/null 2>&1 || skip_all "bubblewrap is not installed (scripts/lib.sh installs it)"
plc_is_root || skip_all "needs root, to run the container's user under bubblewrap"
s3_require
stack_require_servers
stack_init
stack_pg_start
stack_createdb "$STACK_DB" >/dev/null
s3_start "$STACK_DIR/s3"
# shellcheck source=t/deploy/ep-lib.bash
. "$PLC_SRCDIR/t/deploy/ep-lib.bash"
tf_available || skip_all "the Terraform checker is not installed (scripts/check runs npm ci in tools/)"

df=$PLC_SRCDIR/docker/Dockerfile
runtime_of() { awk '/^FROM / { on = ($NF == "runtime") } on' "$1"; }

# ---- The image and the task, as their files say -------------------------------------------
image_user=$(runtime_of "$df" | awk '$1 == "USER" { print $2 }' | tail -n 1)
ok "the image runs as a user ($image_user)" test -n "$image_user"
ok "... who exists here (scripts/check creates it)" id -u "$image_user"
isnt "$image_user" root "... and is not root"
# volumes_of DOCKERFILE: the paths of the runtime stage's VOLUME lines.
volumes_of() {
    runtime_of "$1" | awk '$1 == "VOLUME"' | grep -o '"/[^"]*"' | tr -d '"'
}
mapfile -t declared < <(volumes_of "$df")
mounts=$(tf_value environments/production module.stack.module.compute.local.mount_points)
mapfile -t writable < <(perl -MJSON::PP -e '
    for (@{ decode_json(join "", <STDIN>) }) { print "$_->{containerPath}\n" unless $_->{readOnly} eq "true" || $_->{readOnly} eq "1" }' \
    <<<"$mounts")
ok "the task definition mounts writable volumes (${writable[*]})" test ${#writable[@]} -ge 1
for p in "${writable[@]}"; do
    ok "$p is a VOLUME of the image" grep -qx -- "$p" < <(printf '%s\n' "${declared[@]}")
done
td=$(tf_value environments/production module.stack.module.compute.aws_ecs_task_definition.api.container_definitions)
like "$td" 'readonlyRootFilesystem += true' "the task definition's root filesystem is read-only"

# owner_mode DOCKERFILE PATH: "owner:group mode" the runtime stage's
# `install -d -o U -g G -m M ... PATH` gives PATH, or nothing.
owner_mode() {
    runtime_of "$1" | sed 's|\\$||' | tr '\n' ' ' | tr '&' '\n' |
        P=$2 perl -ne 'if (/install -d -o (\S+) -g (\S+) -m (\d+) (.*)/) { my ($u,$g,$m,$rest)=($1,$2,$3,$4);
            for (split " ", $rest) { print "$u:$g $m\n" if $_ eq $ENV{P} } }' | tail -n 1
}

# volume_dir DOCKERFILE PATH DIR: DIR initialised as Fargate initialises
# a task volume mounted at PATH.
volume_dir() {
    local om
    mkdir -p "$3"
    if volumes_of "$1" | grep -qx -- "$2" && om=$(owner_mode "$1" "$2") && [ -n "$om" ]; then
        chown "${om% *}" "$3"
        chmod "${om#* }" "$3"
    else
        chown root:root "$3"
        chmod 0755 "$3"
    fi
}

# launch_in_sandbox DOCKERFILE: EP_LAUNCH runs the entrypoint as the
# image's user, the root read-only, the task's mount points writable.
VOL_N=0
launch_in_sandbox() {
    local p dir
    EP_LAUNCH=(bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /run --dir /run/plccoach)
    for p in "${writable[@]}"; do
        VOL_N=$((VOL_N + 1))
        dir=$STACK_DIR/vol-$VOL_N
        rm -rf "$dir"
        volume_dir "$1" "$p" "$dir"
        EP_LAUNCH+=(--bind "$dir" "$p")
    done
    # A checkout or build under a volume's path (a clone in /tmp) stays
    # visible inside, read-only, where the volume would hide it.
    local tree v
    for tree in "$PLC_SRCDIR" "$PLC_BUILDDIR"; do
        for v in "${writable[@]}"; do
            case "$tree/" in "$v"/*) EP_LAUNCH+=(--ro-bind "$tree" "$tree") && break ;; esac
        done
    done
    EP_LAUNCH+=(--remount-ro /run -- setpriv --reuid="$image_user" --regid="$(id -g "$image_user")"
        --clear-groups -- bash "$PLC_SRCDIR/docker/entrypoint.sh")
}

# The environment of the task definition that matters here, the image's
# paths (no PLCCOACH_RUN_DIR/TMP_DIR/SCRATCH_DIR overrides: the defaults),
# the database over TCP and S3 storage.
container_env=(PLCCOACH_RUN_DIR=/run/plccoach PLCCOACH_TMP_DIR=/tmp PLCCOACH_SCRATCH_DIR=/tmp
    PLCCOACH_CONTENT_DIR=/var/lib/plccoach/content PLCCOACH_SOCKET_MODE=0660
    PLCCOACH_DATABASE_URL="host=127.0.0.1 port=$STACK_PG_PORT dbname=$STACK_DB user=postgres"
    PLCCOACH_MIGRATE_ON_START=true PLCCOACH_JOB_WORKERS=1 PLCCOACH_PUBLIC_URL=http://localhost:8000
    PLCCOACH_STORAGE=s3 PLCCOACH_S3_CONTENT_BUCKET=plc-content PLCCOACH_S3_EXPORTS_BUCKET=plc-exports
    PLCCOACH_S3_ENDPOINT="$S3_ENDPOINT" PLCCOACH_S3_REGION=us-east-1 AWS_ACCESS_KEY_ID="$S3_AK"
    AWS_SECRET_ACCESS_KEY="$S3_SK" AWS_EC2_METADATA_DISABLED=true)

EP_LOG_OWNER=$image_user

# inner: the entrypoint's pid (bubblewrap's child).
inner() { ep_child bash; }
stop_sandbox() {
    local pid
    pid=$(inner || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    ep_wait_exit 30
}

# ---- Fargate's way: it starts, migrates, serves ---------------------------------------------
launch_in_sandbox "$df"
ep_start "${container_env[@]}"
ok "as $image_user on a read-only root: live" plc_poll 60 ep_health_is 200 /health/live
ok "... and ready (migrated, pool up)" plc_poll 60 ep_health_is 200 /health/ready
like "$(ep_body /health/live)" '"status":"ok"' "... a worker answers the liveness check"
is "$(ep_code /health)" 200 "... and the database check"
ep=$(inner)
is "$(stat -c %U "/proc/$ep")" "$image_user" "the entrypoint runs as $image_user"
as_inside() { nsenter -m -t "$ep" setpriv --reuid="$image_user" --regid="$(id -g "$image_user")" --clear-groups "$@"; }
ok "inside its sandbox, $image_user can write the /tmp volume" as_inside touch /tmp/.plccoach-probe
root_read_only() { ! as_inside touch /usr/.plccoach-probe 2>/dev/null; }
ok "... but not the root filesystem" root_read_only

# An upload, streamed through the scratch volume to S3, ingested from S3.
printf 'password-of-boss\n' | stack_cli user add --email boss@example.org --name boss \
    --role admin --password-stdin >/dev/null || bail "user add"
jar=$STACK_DIR/boss.jar
code=$(curl -s -o "$STACK_DIR/login.json" -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
    --data '{"email":"boss@example.org","password":"password-of-boss"}' "$(ep_url /api/auth/login)")
[ "$code" = 200 ] || bail "sign-in failed ($code): $(cat "$STACK_DIR/login.json")"
csrf=$(json_get csrf_token "$STACK_DIR/login.json")
book=$PLC_SRCDIR/content/starter/getting-started-with-collaborative-teams.md
sha=$(sha256sum "$book" | cut -d' ' -f1)
upload() {
    curl -s -o "$STACK_DIR/upload.json" -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$book" \
        "$(ep_url "/api/admin/books?filename=$1")"
}
is "$(upload teams.md)" 202 "a book upload on the read-only root is accepted (202)"
job=$(json_get id "$STACK_DIR/upload.json")
is "$(stack_psql -- -c "SELECT path FROM ingest_jobs WHERE id = '$job'")" "s3://plc-content/$sha.md" \
    "... stored in the S3 content bucket"
job_done() {
    [ "$(stack_psql -- -c "SELECT status FROM ingest_jobs WHERE id = '$job'")" = "done" ]
}
ok "... and ingested from S3 by the job process in the same sandbox" plc_poll 90 job_done
ok "the entrypoint stops cleanly" stop_sandbox
is "$EP_STATUS" 0 "... with status 0"

# ---- The regressions these checks catch -----------------------------------------------------------
# An upload whose scratch directory is on the read-only root.
# (/var/tmp: writable on the host, read-only in the sandbox.)
launch_in_sandbox "$df"
ep_start "${container_env[@]}" PLCCOACH_SCRATCH_DIR=/var/tmp
ok "(scratch directory on the read-only root) the container starts" plc_poll 60 ep_health_is 200 /health/ready
code=$(upload again.md)
is "$code" 500 "... but an upload fails: the scratch path must be a declared volume"
like "$(cat "$EP_LOG")" 'upload: mkstemp in /var/tmp \(PLCCOACH_SCRATCH_DIR\): Read-only file system' \
    "... and the log says why"
stop_sandbox || true

# The image without its VOLUME line: Fargate's volumes are root's, 0755.
sed '/^VOLUME /d' "$df" >"$STACK_DIR/Dockerfile.novolume"
is "$(volumes_of "$STACK_DIR/Dockerfile.novolume" | wc -l)" 0 "(an image that declares no volume)"
launch_in_sandbox "$STACK_DIR/Dockerfile.novolume"
ep_start "${container_env[@]}"
ok "... cannot start on Fargate: the entrypoint exits" ep_wait_exit 30
isnt "$EP_STATUS" 0 "... non-zero ($EP_STATUS)"
like "$(cat "$EP_LOG")" 'cannot write /run/plccoach \(owner root:root, this process '"$image_user"'\)' \
    "... saying which directory it cannot write and why"

done_testing
