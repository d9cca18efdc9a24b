/* gapneb plot: redraws the figures of a table folder (barriers.json, runs/) or of one NEB run
 * folder (profile.tsv) with gnuplot. Units: gaps Å, energies eV, rates 1/s. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gapneb/adsorb.h"
#include "gapneb/figures.h"
#include "gapneb/fileio.h"
#include "gapneb/reference.h"
#include "gapneb/reference_io.h"
#include "gapneb/table_io.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb plot [OPTIONS] DIR\n\n"
            "DIR is a 'gapneb table' output folder (barriers.json): rewrites DIR/figures/ -\n"
            "barrier (eV) against gap (Å) per model, MEP energy profiles per model and process,\n"
            "rates (1/s) against gap when the table has them - as data, gnuplot scripts, PNG\n"
            "and SVG. Or DIR is one NEB run folder (profile.tsv): draws DIR/profile.png/svg.\n"
            "Or DIR is a 'gapneb adsorb' output folder (adsorption.json): rewrites its\n"
            "figures (adsorption energies against gap, pictures of the configurations, from\n"
            "DIR/structures/).\n"
            "gnuplot is taken from $GNUPLOT or PATH; without it only data and scripts are\n"
            "written.\n\n"
            "Options:\n"
            "  --reference FILE   CSV of published barriers to compare with (reference.h: model,\n"
            "                     process,mechanism,direction,gap_A,barrier_eV,method,source;\n"
            "                     default: the published values stored in barriers.json)\n"
            "  --gap-axis A       nominal (the gap d, default) or relaxed (the gap of the relaxed\n"
            "                     initial state: s2s between the mean heights of the facing\n"
            "                     layers, e2e between the edge rows), Å\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n"
            "Exit status: 0 drawn; 1 gnuplot failed or is missing; 2 bad usage or input;\n"
            "3 I/O failure.\n");
}

static int report(const gn_cli *cli, const gn_figure_status *st, const char *dir)
{
    if (st->note[0])
        fprintf(stderr, "%s: note: %s\n", cli->prog, st->note);
    gn_cli_log(cli, 1, "%d of %d figures drawn in %s\n", st->drawn, st->scripts, dir);
    return st->drawn == st->scripts ? GN_EXIT_OK : GN_EXIT_FAIL;
}

static int plot_table(gn_cli *cli, const char *dir, const char *json, const char *refpath,
                      const gn_figures_opts *fo)
{
    gn_table t = {0};
    gn_reference ref = {0};
    gn_error e;
    int status = 0;
    if (gn_table_read_json(json, &t, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    if (refpath) {
        if (gn_reference_load(refpath, &ref, &e) != GN_OK)
            status = gn_cli_fail(cli, &e);
        else
            gn_reference_apply(&ref, &t);
    } else if (gn_reference_read_json(json, &ref, &e) != GN_OK) {
        status = gn_cli_fail(cli, &e);
    } else if (!ref.n && gn_reference_from_table(&t, &ref, &e) != GN_OK) {
        /* a barriers.json from before the comparison list: the rows' own columns */
        status = gn_cli_fail(cli, &e);
    }
    gn_figure_status st;
    if (!status && gn_figures_write_opts(dir, &t, ref.n ? &ref : NULL, NULL, fo, &st, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    char figdir[4200];
    snprintf(figdir, sizeof figdir, "%s/figures", dir);
    if (!status)
        status = report(cli, &st, figdir);
    gn_reference_clear(&ref);
    gn_table_clear(&t);
    return status;
}

static int plot_adsorb(gn_cli *cli, const char *dir, const char *json)
{
    gn_adsorb_result r;
    gn_error e;
    if (gn_adsorb_read_json(json, &r, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    gn_figure_status st;
    memset(&st, 0, sizeof st);
    int rc = gn_adsorb_figures(dir, &r, NULL, &st.scripts, &st.drawn, st.note, sizeof st.note,
                               &e);
    gn_adsorb_result_clear(&r);
    if (rc != GN_OK)
        return gn_cli_fail(cli, &e);
    char figdir[4200];
    snprintf(figdir, sizeof figdir, "%s/figures", dir);
    return report(cli, &st, figdir);
}

int gn_cmd_plot(gn_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"reference", required_argument, NULL, 'r'},
        {"gap-axis", required_argument, NULL, 'g'},
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *refpath = NULL;
    gn_figures_opts fo;
    gn_figures_opts_default(&fo);
    gn_error e;
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
        else if (opt == 'g' && gn_gap_axis_parse(optarg, &fo.gap_axis, &e) != GN_OK)
            return gn_cli_usage_error(cli, "plot", "--gap-axis: %s", e.msg);
        else if (opt != 'g')
            return gn_cli_usage_error(cli, "plot", "bad option");
    }
    if (optind + 1 != argc)
        return gn_cli_usage_error(cli, "plot", "expected one folder");
    const char *dir = argv[optind];
    char path[4200];
    if (gn_path_join(path, sizeof path, dir, "barriers.json", &e) != GN_OK)
        return gn_cli_usage_error(cli, "plot", "%s", e.msg);
    if (access(path, R_OK) == 0)
        return plot_table(cli, dir, path, refpath, &fo);
    if (gn_path_join(path, sizeof path, dir, "adsorption.json", &e) == GN_OK &&
        access(path, R_OK) == 0)
        return plot_adsorb(cli, dir, path);
    if (gn_path_join(path, sizeof path, dir, "profile.tsv", &e) != GN_OK ||
        access(path, R_OK) != 0)
        return gn_cli_usage_error(cli, "plot", "%s has no barriers.json, adsorption.json or "
                                  "profile.tsv", dir);
    gn_figure_status st;
    if (gn_figures_run(dir, NULL, &st, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    return report(cli, &st, dir);
}
