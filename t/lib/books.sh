# shellcheck shell=bash
# t/lib/books.sh - books and their ingestion jobs over the API, for the
# integration tests that upload books (sourced after t/lib/integration.sh):
#
#     . "$PLC_SRCDIR/t/lib/books.sh"
#
# The accounts are t/lib/users.sh's (user_new WHO ROLE ...); jobs are read
# as the admin named by BOOKS_ADMIN (boss when unset).

# upload WHO FILE QUERY: POST /api/admin/books?QUERY with FILE's bytes as
# WHO (with WHO's session and CSRF token); the answer is http's.
upload() {
    local var=csrf_$1
    http POST "/api/admin/books?$3" -b "$STACK_DIR/$1.jar" -H "X-CSRF-Token: ${!var}" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$2"
}

# job_status ID: prints the ingestion job's status.
job_status() {
    http GET "/api/admin/jobs/$1" -b "$STACK_DIR/${BOOKS_ADMIN:-boss}.jar"
    json_get status
}

# job_finished ID: true once the job is done or failed (for wait_for).
job_finished() {
    case "$(job_status "$1")" in done | failed) return 0 ;; esac
    return 1
}
