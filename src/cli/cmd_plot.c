/* gapneb plot: redraws the figures of a table folder (barriers.json, runs/) or of one NEB run
 * folder (profile.tsv) with gnuplot. Units: gaps Å, energies eV, rates 1/s. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gapneb/report.h"
#include "gapneb/table.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb plot [OPTIONS] DIR\n\n"
            "DIR is a 'gapneb table' output folder (barriers.json): rewrites DIR/figures/ -\n"
            "barrier (eV) against gap (Å) per model, MEP energy profiles per model and process,\n"
            "rates (1/s) against gap when the table has them - as data, gnuplot scripts, PNG\n"
            "and SVG. Or DIR is one NEB run folder (profile.tsv): draws DIR/profile.png/svg.\n"
            "gnuplot is taken from $GNUPLOT or PATH; without it only data and scripts are\n"
            "written.\n\n"
            "Options:\n"
            "  --reference FILE   CSV model,process,gap_A,barrier_eV,source to overlay (default:\n"
            "                     the reference columns stored in barriers.json)\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n"
            "Exit status: 0 drawn; 1 gnuplot failed or is missing; 2 bad usage or input;\n"
            "3 I/O failure.\n");
}

/* The reference rows a table carries in its own columns (from an earlier --reference). */
static int reference_from_table(const gn_table *t, gn_reference *ref)
{
    memset(ref, 0, sizeof *ref);
    snprintf(ref->path, sizeof ref->path, "barriers.json");
    ref->rows = calloc(t->n ? t->n : 1, sizeof *ref->rows);
    if (!ref->rows)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (!r->has_ref)
            continue;
        int dup = 0;
        for (size_t j = 0; j < ref->n; j++) {
            const gn_ref_row *q = &ref->rows[j];
            dup |= !strcmp(q->model, r->model) && !strcmp(q->process, r->process) &&
                   q->barrier == r->ref_barrier && !strcmp(q->source, r->ref_source) &&
                   (q->gap == r->ref_gap || (isinf(q->gap) && isinf(r->ref_gap)));
        }
        if (dup)
            continue;
        gn_ref_row *q = &ref->rows[ref->n++];
        snprintf(q->model, sizeof q->model, "%s", r->model);
        snprintf(q->process, sizeof q->process, "%s", r->process);
        q->gap = r->ref_gap;
        q->barrier = r->ref_barrier;
        snprintf(q->source, sizeof q->source, "%s", r->ref_source);
    }
    return 0;
}

static int report(const gn_cli *cli, const gn_figure_status *st, const char *dir)
{
    if (st->note[0])
        fprintf(stderr, "%s: note: %s\n", cli->prog, st->note);
    gn_cli_log(cli, 1, "%d of %d figures drawn in %s\n", st->drawn, st->scripts, dir);
    return st->drawn == st->scripts ? GN_EXIT_OK : GN_EXIT_FAIL;
}

static int plot_table(gn_cli *cli, const char *dir, const char *json, const char *refpath)
{
    gn_table t = {0};
    gn_reference ref = {0};
    gn_error e;
    int status = 0;
    if (gn_report_read_json(json, &t, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    if (refpath) {
        if (gn_reference_load(refpath, &ref, &e) != GN_OK)
            status = gn_cli_fail(cli, &e);
        else
            gn_reference_apply(&ref, &t);
    } else if (reference_from_table(&t, &ref) != 0) {
        status = GN_EXIT_IO;
    }
    gn_figure_status st;
    if (!status && gn_report_figures(dir, &t, ref.n ? &ref : NULL, NULL, &st, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    char figdir[4200];
    snprintf(figdir, sizeof figdir, "%s/figures", dir);
    if (!status)
        status = report(cli, &st, figdir);
    gn_reference_clear(&ref);
    gn_table_clear(&t);
    return status;
}

int gn_cmd_plot(gn_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"reference", required_argument, NULL, 'r'},
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *refpath = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return GN_EXIT_OK;
        }
        if (gn_cli_common_opt(cli, opt))
            continue;
        if (opt == 'r')
            refpath = optarg;
        else
            return gn_cli_usage_error(cli, "plot", "bad option");
    }
    if (optind + 1 != argc)
        return gn_cli_usage_error(cli, "plot", "expected one folder");
    const char *dir = argv[optind];
    char path[4200];
    snprintf(path, sizeof path, "%s/barriers.json", dir);
    if (access(path, R_OK) == 0)
        return plot_table(cli, dir, path, refpath);
    snprintf(path, sizeof path, "%s/profile.tsv", dir);
    if (access(path, R_OK) != 0)
        return gn_cli_usage_error(cli, "plot", "%s has neither barriers.json nor profile.tsv",
                                  dir);
    gn_figure_status st;
    gn_error e;
    if (gn_report_run_figure(dir, NULL, &st, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    return report(cli, &st, dir);
}
