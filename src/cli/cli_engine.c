/* gapneb command line: external force engines (--engine-* options, the potential, signals and
 * the per-run report). Times in s, lengths in Å. */
#include "cli.h"

#include "gapneb/engine_box.h"

#include <string.h>
#include <time.h>

const char gn_cli_engine_help[] =
    "Engine options (with --potential ipi:unix:NAME or ipi:inet:[HOST:]PORT, an external force\n"
    "engine speaking the i-PI protocol: LAMMPS fix ipi, ASE SocketClient, pw.x --ipi, CP2K):\n"
    "      --engine-command CMD  start CMD (/bin/sh -c) as the clients once the socket listens;\n"
    "                            it finds the socket in $GAPNEB_IPI_ADDRESS (UNIX NAME or host)\n"
    "                            and $GAPNEB_IPI_PORT, its number in $GAPNEB_ENGINE_INDEX\n"
    "      --engine-count N      clients to start with --engine-command, 1-256 (1); structures\n"
    "                            go to all connected clients in parallel\n"
    "      --engine-timeout S    longest wait for a client while work waits, and for one\n"
    "                            evaluation, s (600; raise it for clients queued on a cluster)\n"
    "      --engine-vacuum V     vacuum between periodic images along the model's free\n"
    "                            directions in the box sent to the engine, Å (12)\n";

void gn_cli_engine_init(gn_cli_engine *e, const gn_cli *cli, const char *sub)
{
    memset(e, 0, sizeof *e);
    gn_ipi_opts_default(&e->ipi);
    e->cli = cli;
    e->sub = sub;
    atomic_init(&e->stop, 0);
    atomic_init(&e->signo, 0);
}

int gn_cli_engine_opt(gn_cli_engine *e, int opt, const char *arg)
{
    const gn_cli *cli = e->cli;
    switch (opt) {
    case GN_OPT_ENGINE_COMMAND:
        if (!arg[0])
            return gn_cli_usage_error(cli, e->sub, "--engine-command needs a command");
        e->ipi.command = arg;
        break;
    case GN_OPT_ENGINE_COUNT:
        if (gn_cli_parse_int(arg, &e->ipi.count) || e->ipi.count < 1 || e->ipi.count > 256)
            return gn_cli_usage_error(cli, e->sub, "--engine-count needs an integer from 1 to "
                                      "256, not '%s'", arg);
        e->count_given = 1;
        break;
    case GN_OPT_ENGINE_TIMEOUT:
        if (gn_cli_parse_double(arg, &e->ipi.timeout) || !(e->ipi.timeout > 0.0) ||
            e->ipi.timeout > 1e7)
            return gn_cli_usage_error(cli, e->sub, "--engine-timeout needs a number of seconds "
                                      "in (0, 1e7], not '%s'", arg);
        break;
    case GN_OPT_ENGINE_VACUUM:
        if (gn_cli_parse_double(arg, &e->ipi.vacuum) || !(e->ipi.vacuum > 0.0) ||
            e->ipi.vacuum > 1000.0)
            return gn_cli_usage_error(cli, e->sub, "--engine-vacuum needs a number of Å in "
                                      "(0, 1000], not '%s'", arg);
        break;
    default:
        return 0;
    }
    e->given = 1;
    return -1;
}

static void engine_log(void *ctx, const char *line)
{
    const gn_cli_engine *e = ctx;
    gn_cli_log(e->cli, 1, "%s: engine: %s\n", e->sub, line);
}

/* A line of the engine's start and end reports. */
static void report_line(void *ctx, const char *line)
{
    const gn_cli_engine *e = ctx;
    gn_cli_log(e->cli, 1, "%s: %s\n", e->sub, line);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
    }
}

static void engine_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

/* Waits for SIGINT/SIGTERM/SIGHUP (blocked in every thread) and shuts the engine down on the
 * first; polls its stop flag ten times a second. */
static void *watch_signals(void *arg)
{
    gn_cli_engine *e = arg;
    sigset_t set;
    engine_signals(&set);
    const struct timespec tick = {0, 100 * 1000 * 1000};
    while (!atomic_load(&e->stop)) {
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig <= 0)
            continue;
        atomic_store(&e->signo, sig);
        char reason[64];
        snprintf(reason, sizeof reason, "interrupted by %s", signal_name(sig));
        gn_cli_log(e->cli, 1, "%s: %s: sending EXIT to the engine's clients\n", e->sub, reason);
        gn_ipi_shutdown(e->pot, reason);
        break;
    }
    return NULL;
}

int gn_cli_potential_alloc(gn_cli_engine *e, const char *name, gn_potential **out,
                           gn_error *err)
{
    *out = NULL;
    if (!gn_ipi_is_spec(name)) {
        if (e->given)
            return gn_error_set(err, GN_EINVAL, "the --engine-* options need an engine "
                                "potential (ipi:unix:NAME or ipi:inet:[HOST:]PORT), not '%s'",
                                name);
        return gn_potential_alloc(name, out, err);
    }
    if (e->count_given && !e->ipi.command)
        return gn_error_set(err, GN_EINVAL, "--engine-count needs --engine-command");
    e->ipi.log = engine_log;
    e->ipi.log_ctx = e;
    sigset_t set;
    engine_signals(&set);
    pthread_sigmask(SIG_BLOCK, &set, &e->old_mask);
    int rc = gn_ipi_potential_alloc(name, &e->ipi, out, err);
    if (rc) {
        pthread_sigmask(SIG_SETMASK, &e->old_mask, NULL);
        return rc;
    }
    e->pot = *out;
    gn_ipi_report_start(e->pot, report_line, e);
    if (pthread_create(&e->watcher, NULL, watch_signals, e) == 0)
        e->watching = 1;
    return GN_OK;
}

int gn_cli_potential_free(gn_cli_engine *e, gn_potential *p, int status)
{
    if (!p || !gn_ipi_is(p)) {
        gn_potential_free(p);
        return status;
    }
    gn_ipi_report(p, report_line, e);
    atomic_store(&e->stop, 1);
    if (e->watching)
        pthread_join(e->watcher, NULL);
    e->watching = 0;
    gn_potential_free(p);
    e->pot = NULL;
    int sig = atomic_load(&e->signo);
    /* a second signal that came meanwhile is delivered here, with its default action */
    pthread_sigmask(SIG_SETMASK, &e->old_mask, NULL);
    return sig ? 128 + sig : status;
}
