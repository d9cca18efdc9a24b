/* gapneb table: the barrier table over models x processes x gaps x potentials (the main job).
 * Also the driver shared with `gapneb run JOB.ini` (gn_cmd_table_execute). Every option is a
 * setting of the settings table (settings.h).
 * Units: gaps Å, energies eV, forces eV/Å, spring constants eV/Å^2, times s, temperatures K. */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/figures.h"
#include "gapneb/fileio.h"
#include "gapneb/job.h"
#include "gapneb/reference.h"
#include "gapneb/report.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"
#include "gapneb/table_io.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb table [OPTIONS]\n\n"
            "Computes CI-NEB barriers for a Pt adatom, one row per (model, process, gap,\n"
            "potential), prints the table on stdout and writes OUT/barriers.tsv,\n"
            "OUT/barriers.json, OUT/runs/MODEL-PROCESS-GAP/ (path.xyz, profile.tsv, log.txt)\n"
            "and OUT/figures/ (PNG, SVG, data and gnuplot scripts). Every option is also a key\n"
            "of an INI job file (gapneb run --help).\n\n");
    gn_settings_print_options(fp);
    fprintf(fp,
            "\nOther options:\n"
            "  --process NAME=SITES->SITES\n"
            "                          a custom process, e.g. pair=A100:0,A100:1->A100:2,A100:1:\n"
            "                          adatom k goes from the k-th site before '->' to the k-th\n"
            "                          after it (same site: a spectator); joins the process list\n"
            "                          (a later --processes must name it); repeatable; INI:\n"
            "                          a [process NAME] section (gapneb run --help)\n"
            "  --dry-run               write the job, every setting resolved, as an INI file on\n"
            "                          stdout (gapneb run reads it) and compute nothing\n"
            "  -q, --quiet             no progress on stderr\n"
            "  -v, --verbose           more progress (NEB iterations are in each run's log.txt)\n"
            "  -h, --help              this help\n\n"
            "Units: gaps Å, energies eV, forces eV/Å, spring constants eV/Å^2, temperatures K.\n"
            "Exit status: 0 all rows ok; 1 some row failed, collapsed, did not converge or has a\n"
            "saddle that is not first-order (the others are written); 2 bad usage or input;\n"
            "3 I/O failure; 130/143 stopped by SIGINT/SIGTERM (finished rows are written;\n"
            "--resume computes the others).\n");
}

int gn_cmd_table_job(gn_cli *cli, const char *sub, int argc, char **argv,
                     void (*usage_fn)(FILE *), int job_file)
{
    static const struct option extra[] = {{"dry-run", no_argument, NULL, OPT_DRY_RUN},
                                           GN_CLI_PROCESS_OPTION};
    gn_job job;
    gn_error e;
    if (gn_job_init(&job, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    gn_cli_setting_arg *args = calloc((size_t)argc + 1, sizeof *args);
    size_t nargs = 0;
    int help = 0, status = args ? 0 : gn_cli_usage_error(cli, sub, "out of memory");
    if (!status)
        status = gn_cli_settings_parse(cli, sub, argc, argv, extra, 2, args, &nargs, &help);
    if (!status && help)
        usage_fn(stdout);
    if (!status && !help && optind + job_file != argc)
        status = job_file ? gn_cli_usage_error(cli, sub, "expected one job file (JOB.ini)")
                          : gn_cli_usage_error(cli, sub, "unexpected argument '%s'",
                                               argv[optind]);
    /* the file first, so that the options override it */
    if (!status && !help && job_file && gn_job_load_ini(&job, argv[optind], &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (!status && !help)
        status = gn_cli_settings_apply(cli, sub, args, nargs, &job);
    if (!status && !help && gn_cli_dry_run(args, nargs)) {
        /* the job written must be one that run accepts: the same checks first */
        if (gn_job_validate(&job, &e) != GN_OK)
            status = gn_cli_fail(cli, &e);
        else {
            gn_settings_write_ini(stdout, &job);
            status = gn_cli_finish_stdout(cli);
        }
    } else if (!status && !help) {
        status = gn_cmd_table_execute(cli, &job);
    }
    free(args);
    gn_job_clear(&job);
    return status;
}

int gn_cmd_table(gn_cli *cli, int argc, char **argv)
{
    return gn_cmd_table_job(cli, "table", argc, argv, usage, 0);
}

/* ---- the driver --------------------------------------------------------------------------- */

/* The signal that asked the run to stop (SIGINT, SIGTERM), 0 while none did. A signal handler
 * can only set such a flag; the pool polls it through the cancel hook. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

static int cancel_hook(void *ctx)
{
    (void)ctx;
    return stop_signal != 0;
}

static void log_hook(void *ctx, int level, const char *msg)
{
    gn_cli_log(ctx, level, "%s", msg);
}

typedef struct save_ctx {
    const char *out;
} save_ctx;

/* Each finished row goes to disk at once: an interrupted run keeps every row it finished. */
static int save_hook(void *ctx, const gn_table *t, size_t row, gn_error *err)
{
    const save_ctx *c = ctx;
    return gn_table_save_row(c->out, t, row, err);
}

static int draw(gn_cli *cli, const gn_job *job, const gn_table *t, const gn_reference *ref)
{
    const char *out = job->out;
    gn_figure_status st;
    gn_figures_opts fo;
    gn_error e;
    gn_figures_opts_default(&fo);
    if (gn_gap_axis_parse(job->gap_axis, &fo.gap_axis, &e) != GN_OK ||
        gn_figures_write_opts(out, t, ref, NULL, &fo, &st, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    if (st.note[0])
        fprintf(stderr, "%s: note: %s\n", cli->prog, st.note);
    gn_cli_log(cli, 1, "figures: %d drawn of %d scripts in %s/figures\n", st.drawn, st.scripts,
               out);
    return 0;
}

static size_t count_state(const gn_table *t, int state)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->rows[i].state == state;
    return n;
}

/* Everything after the rows are computed (or the run was stopped): files, stdout, figures. */
static int report(gn_cli *cli, const gn_job *job, gn_table *t, gn_reference *ref)
{
    gn_error e;
    if (job->reference[0])
        gn_reference_apply(ref, t);
    if (gn_table_write(job->out, t, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    gn_report_print(stdout, t);
    gn_report_print_crossovers(stdout, t);
    int status = gn_cli_finish_stdout(cli);
    if (status)
        return status;
    gn_cli_log(cli, 1, "wrote %s/barriers.tsv and %s/barriers.json (%lu new force calls)\n",
               job->out, job->out, t->new_force_calls);
    if (stop_signal) {
        fprintf(stderr, "%s: interrupted (%s): %zu of %zu rows finished and written to %s; run "
                "again with --resume to compute the other %zu\n", cli->prog,
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", t->n - count_state(t, GN_ROW_PENDING),
                t->n, job->out, count_state(t, GN_ROW_PENDING));
        return 128 + stop_signal;
    }
    return job->figures ? draw(cli, job, t, job->reference[0] ? ref : NULL) : 0;
}

/* The exit status of a finished table: 3 if a row could not write its files, 1 if some row is
 * not ok, 0 otherwise. */
static int table_status(const gn_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].io_failure)
            return GN_EXIT_IO;
    return gn_table_all_ok(t) ? GN_EXIT_OK : GN_EXIT_FAIL;
}

static int compute(gn_cli *cli, gn_job *job, gn_table *t, gn_reference *ref)
{
    gn_error e;
    if (job->resume) {
        size_t k = gn_table_resume(job, t);
        if (k)
            gn_cli_log(cli, 1, "resume: %zu of %zu rows taken over from %s\n", k, t->n,
                       job->out);
    }
    save_ctx sc = {job->out};
    gn_table_hooks hooks = {.log = log_hook, .log_ctx = cli, .row_done = save_hook,
                            .row_done_ctx = &sc, .cancelled = cancel_hook};
    if (gn_table_run(job, t, &hooks, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    int status = report(cli, job, t, ref);
    return status ? status : table_status(t);
}

int gn_cmd_table_execute(gn_cli *cli, gn_job *job)
{
    gn_error e;
    gn_table t;
    gn_reference ref = {0};
    if (gn_table_init(job, &t, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    int status = 0, lock = -1;
    if (job->reference[0] && gn_reference_load(job->reference, &ref, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (job->reference[0])
        t.reference = &ref; /* every write of the table carries the comparison */
    /* the output folder is checked (and claimed) before anything is computed */
    if (!status && (gn_mkdir_p(job->out, &e) != GN_OK || gn_dir_lock(job->out, &lock, &e)))
        status = gn_cli_fail(cli, &e);
    if (!status) {
        struct sigaction sa, old_int, old_term;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        status = compute(cli, job, &t, &ref);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    gn_dir_unlock(lock);
    gn_reference_clear(&ref);
    gn_table_clear(&t);
    return status;
}
