/*
 * plccoach-fcgi: the FastCGI server.  Parses options, opens (or inherits)
 * the listening socket, writes the pidfile and hands over to the master.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "server/listen.h"
#include "server/master.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"
#include "version.h"

static void usage(FILE *out)
{
    fprintf(out, "Usage: plccoach-fcgi [options]\n"
                 "\n"
                 "  --listen unix:PATH|HOST:PORT  where to listen (default: the socket on fd 0,\n"
                 "                                as passed by spawn-fcgi)\n"
                 "  --workers N                   worker processes (default 4)\n"
                 "  --job-workers N               ingestion job processes (default 1)\n"
                 "  --max-requests N              recycle a worker after N requests (0 = never)\n"
                 "  --drain-timeout SECONDS       grace for in-flight requests on SIGTERM\n"
                 "  --pidfile PATH                write the master's pid here\n"
                 "  --help-config                 list the environment variables it reads\n"
                 "  --version                     print the version\n"
                 "  --help                        this text\n"
                 "\n"
                 "Signals: SIGTERM/SIGINT drain and exit; SIGHUP restarts the worker pool.\n"
                 "Every option also has an environment variable: see --help-config.\n");
}

/* Writes the pidfile, refusing when it names a live process. */
static bool write_pidfile(const char *path)
{
    char buf[32];
    FILE *f = fopen(path, "r");
    int fd, n;

    if (f != NULL) {
        long pid = 0;
        if (fscanf(f, "%ld", &pid) == 1 && pid > 0 && pid != (long)getpid()
            && kill((pid_t)pid, 0) == 0) {
            fclose(f);
            log_error("pidfile %s names a running process (%ld): already running?", path, pid);
            return false;
        }
        fclose(f);
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        log_error("pidfile %s: %s", path, strerror(errno));
        return false;
    }
    n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (write(fd, buf, (size_t)n) != n) {
        log_error("pidfile %s: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    close(fd);
    return true;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"workers", required_argument, NULL, 'w'},
        {"job-workers", required_argument, NULL, 'j'},
        {"max-requests", required_argument, NULL, 'm'},
        {"drain-timeout", required_argument, NULL, 'd'},
        {"pidfile", required_argument, NULL, 'p'},
        {"help-config", no_argument, NULL, 'C'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct config cfg;
    char err[256];
    enum log_level level = LOG_INFO;
    const char *unix_path = NULL;
    int c, fd, rc;

    log_init("master", LOG_INFO);
    if (!config_load(&cfg, err, sizeof(err))) {
        fprintf(stderr, "plccoach-fcgi: %s\n", err);
        config_free(&cfg);
        return 2;
    }
    while ((c = getopt_long(argc, argv, "l:w:j:m:d:p:h", opts, NULL)) != -1) {
        const char *key = NULL;
        switch (c) {
        case 'l': key = "PLCCOACH_LISTEN"; break;
        case 'w': key = "PLCCOACH_WORKERS"; break;
        case 'j': key = "PLCCOACH_JOB_WORKERS"; break;
        case 'm': key = "PLCCOACH_MAX_REQUESTS"; break;
        case 'd': key = "PLCCOACH_DRAIN_TIMEOUT"; break;
        case 'p': key = "PLCCOACH_PIDFILE"; break;
        case 'C':
            config_print_help(stdout);
            config_free(&cfg);
            return 0;
        case 'V':
            printf("plccoach-fcgi %s\n", PLC_VERSION);
            config_free(&cfg);
            return 0;
        case 'h':
            usage(stdout);
            config_free(&cfg);
            return 0;
        default:
            usage(stderr);
            config_free(&cfg);
            return 2;
        }
        if (!config_set(&cfg, key, optarg, err, sizeof(err))) {
            fprintf(stderr, "plccoach-fcgi: %s\n", err);
            config_free(&cfg);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        config_free(&cfg);
        return 2;
    }
    log_level_parse(cfg.log_level, &level);
    log_init("master", level);
    {
        /* Before the workers exist: each inherits it, and none computes
         * it during a sign-in (src/auth/password.h). */
        int64_t t0 = now_ms();
        if (password_dummy_init())
            LOG_FIELDS(LOG_INFO, "dummy password hash ready", LF_INT("ms", now_ms() - t0));
    }

    if (cfg.listen[0] != '\0') {
        fd = listen_open(cfg.listen, (int)cfg.socket_mode);
        unix_path = listen_unix_path(cfg.listen);
    } else if (listen_is_socket(STDIN_FILENO)) {
        fd = listen_prepare_inherited(STDIN_FILENO) ? STDIN_FILENO : -1;
    } else {
        log_error("no --listen given and fd 0 is not a listening socket "
                  "(start it with --listen unix:PATH or under spawn-fcgi)");
        fd = -1;
    }
    if (fd < 0) {
        config_free(&cfg);
        return 1;
    }
    if (cfg.pidfile[0] != '\0' && !write_pidfile(cfg.pidfile)) {
        close(fd);
        if (unix_path != NULL)
            unlink(unix_path);
        config_free(&cfg);
        return 1;
    }
    LOG_FIELDS(LOG_INFO, "plccoach-fcgi starting", LF_STR("version", PLC_VERSION),
               LF_STR("listen", cfg.listen[0] ? cfg.listen : "fd 0"));
    rc = master_run(&cfg, fd, unix_path);
    config_free(&cfg);
    return rc;
}
