/* gapneb table: the barrier table over models x processes x gaps x potentials (the main job).
 * Also the driver shared with `gapneb run JOB.ini` (gn_cmd_table_execute).
 * Units: gaps Å, energies eV, forces eV/Å, spring constants eV/Å^2, times s, temperatures K. */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/job.h"
#include "gapneb/report.h"
#include "gapneb/table.h"

/* Shared with cmd_run.c (declared there the same way): runs a job that is fully set up and
 * returns the exit status. */
int gn_cmd_table_execute(gn_cli *cli, gn_job *job, int figures);

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb table [OPTIONS]\n\n"
            "Computes CI-NEB barriers for a Pt adatom, one row per (model, process, gap,\n"
            "potential), prints the table on stdout and writes OUT/barriers.tsv,\n"
            "OUT/barriers.json, OUT/runs/MODEL-PROCESS-GAP/ (path.xyz, profile.tsv, log.txt)\n"
            "and OUT/figures/ (PNG, SVG, data and gnuplot scripts).\n\n"
            "Options:\n"
            "  --models LIST        s2s,e2e (default both)\n"
            "  --processes LIST     hop,transfer (default both)\n"
            "  --gaps LIST          gaps in Å (default 5,5.8,8)\n"
            "  --sweep A:B:STEP     gaps from A to B Å inclusive in steps of STEP Å\n"
            "  --potential P        built-in name or EAM file; repeat or comma list for one set\n"
            "                       of rows per potential (default eam-pt)\n"
            "  --images N           movable NEB images (default 7)\n"
            "  --fmax F             NEB convergence, eV/Å (default 0.01)\n"
            "  --max-steps N        NEB iteration cap (default 1000)\n"
            "  --spring K           spring constant, eV/Å^2 (default 5)\n"
            "  --perturb A          push the starting band off symmetry planes at random by\n"
            "                       up to A Å (seeded, reproducible); 0 = none (default %g)\n"
            "  --refine N           up to N rounds of saddle refinement: Hessian of the\n"
            "                       climbing image; if it has a second negative mode, push the\n"
            "                       band along it (0.3 Å) and relax again; 0 = off (default %d)\n"
            "  --jobs N             rows computed in parallel threads (default: cores)\n"
            "  --reference FILE     CSV model,process,gap_A,barrier_eV,source: adds reference\n"
            "                       and deviation columns and overlays the points on figures\n"
            "  --out DIR            output folder (default gapneb-out)\n"
            "  --resume             keep rows of OUT/barriers.json with identical settings\n"
            "  --modes              verify each saddle and add harmonic rates (HTST)\n"
            "  --temperature T      K, for the rates (default 300)\n"
            "  --no-figures         write no figures\n"
            "  -q, --quiet          no progress on stderr\n"
            "  -v, --verbose        more progress (NEB iterations are in each run's log.txt)\n"
            "  -h, --help           this help\n\n"
            "Exit status: 0 all rows converged; 1 some row failed, collapsed or did not converge\n"
            "(the others are written); 2 bad usage or input; 3 I/O failure.\n",
            GN_JOB_PERTURB_DEFAULT, GN_JOB_REFINE_DEFAULT);
}

enum {
    OPT_MODELS = 256,
    OPT_PROCESSES,
    OPT_GAPS,
    OPT_SWEEP,
    OPT_POTENTIAL,
    OPT_IMAGES,
    OPT_FMAX,
    OPT_MAXSTEPS,
    OPT_SPRING,
    OPT_PERTURB,
    OPT_REFINE,
    OPT_JOBS,
    OPT_REFERENCE,
    OPT_OUT,
    OPT_RESUME,
    OPT_MODES,
    OPT_TEMPERATURE,
    OPT_NOFIG
};

static void log_hook(void *ctx, int level, const char *msg)
{
    gn_cli_log(ctx, level, "%s", msg);
}

static int copy_path(char *dst, size_t cap, const char *v)
{
    if (strlen(v) >= cap || !v[0])
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* Applies one option to the job; returns 0, or the exit status of a usage error. */
static int table_option(gn_cli *cli, gn_job *job, int opt, const char *v, int *pot_cleared,
                        int *have_gaps, int *have_sweep, int *figures)
{
    gn_error e;
    int rc = GN_OK, iv;
    double dv;
    switch (opt) {
    case OPT_MODELS: rc = gn_job_set_models(job, v, "--models", &e); break;
    case OPT_PROCESSES: rc = gn_job_set_processes(job, v, "--processes", &e); break;
    case OPT_GAPS:
        *have_gaps = 1;
        rc = gn_job_set_gaps(job, v, "--gaps", &e);
        break;
    case OPT_SWEEP:
        *have_sweep = 1;
        rc = gn_job_set_sweep(job, v, "--sweep", &e);
        break;
    case OPT_POTENTIAL:
        rc = gn_job_add_potentials(job, v, !*pot_cleared, "--potential", &e);
        *pot_cleared = 1;
        break;
    case OPT_IMAGES:
        if (gn_cli_parse_int(v, &iv) || iv < 1 || iv > 1000)
            return gn_cli_usage_error(cli, "table", "--images: '%s' is not 1..1000", v);
        job->images = iv;
        break;
    case OPT_MAXSTEPS:
        if (gn_cli_parse_int(v, &iv) || iv < 1)
            return gn_cli_usage_error(cli, "table", "--max-steps: '%s' is not >= 1", v);
        job->max_steps = iv;
        break;
    case OPT_REFINE:
        if (gn_cli_parse_int(v, &iv) || iv < 0)
            return gn_cli_usage_error(cli, "table", "--refine: '%s' is not >= 0", v);
        job->refine = iv;
        break;
    case OPT_JOBS:
        if (gn_cli_parse_int(v, &iv) || iv < 1)
            return gn_cli_usage_error(cli, "table", "--jobs: '%s' is not >= 1", v);
        job->jobs = iv;
        break;
    case OPT_FMAX:
    case OPT_SPRING:
    case OPT_TEMPERATURE:
        if (gn_cli_parse_double(v, &dv) || !(dv > 0))
            return gn_cli_usage_error(cli, "table", "'%s' is not a positive number", v);
        *(opt == OPT_FMAX ? &job->fmax : opt == OPT_SPRING ? &job->spring : &job->temperature) =
            dv;
        break;
    case OPT_PERTURB:
        if (gn_cli_parse_double(v, &dv) || !(dv >= 0) || !isfinite(dv))
            return gn_cli_usage_error(cli, "table", "--perturb: '%s' is not a number >= 0 Å", v);
        job->perturb = dv;
        break;
    case OPT_REFERENCE:
        if (copy_path(job->reference, sizeof job->reference, v))
            return gn_cli_usage_error(cli, "table", "--reference: bad file name");
        break;
    case OPT_OUT:
        if (copy_path(job->out, sizeof job->out, v))
            return gn_cli_usage_error(cli, "table", "--out: bad folder name");
        break;
    case OPT_RESUME: job->resume = 1; break;
    case OPT_MODES: job->modes = 1; break;
    case OPT_NOFIG: *figures = 0; break;
    default: return gn_cli_usage_error(cli, "table", "unknown option");
    }
    if (rc != GN_OK)
        return gn_cli_usage_error(cli, "table", "%s", e.msg);
    if (*have_gaps && *have_sweep)
        return gn_cli_usage_error(cli, "table", "give --gaps or --sweep, not both");
    return 0;
}

int gn_cmd_table(gn_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"models", required_argument, NULL, OPT_MODELS},
        {"processes", required_argument, NULL, OPT_PROCESSES},
        {"gaps", required_argument, NULL, OPT_GAPS},
        {"sweep", required_argument, NULL, OPT_SWEEP},
        {"potential", required_argument, NULL, OPT_POTENTIAL},
        {"images", required_argument, NULL, OPT_IMAGES},
        {"fmax", required_argument, NULL, OPT_FMAX},
        {"max-steps", required_argument, NULL, OPT_MAXSTEPS},
        {"spring", required_argument, NULL, OPT_SPRING},
        {"perturb", required_argument, NULL, OPT_PERTURB},
        {"refine", required_argument, NULL, OPT_REFINE},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"reference", required_argument, NULL, OPT_REFERENCE},
        {"out", required_argument, NULL, OPT_OUT},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"modes", no_argument, NULL, OPT_MODES},
        {"temperature", required_argument, NULL, OPT_TEMPERATURE},
        {"no-figures", no_argument, NULL, OPT_NOFIG},
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    gn_job job;
    gn_error e;
    if (gn_job_init(&job, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    int opt, pot_cleared = 0, have_gaps = 0, have_sweep = 0, figures = 1, status = 0;
    while (!status && (opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            gn_job_clear(&job);
            return GN_EXIT_OK;
        }
        if (gn_cli_common_opt(cli, opt))
            continue;
        if (opt == '?') {
            status = gn_cli_usage_error(cli, "table", "bad option");
            break;
        }
        status = table_option(cli, &job, opt, optarg, &pot_cleared, &have_gaps, &have_sweep,
                              &figures);
    }
    if (!status && optind < argc)
        status = gn_cli_usage_error(cli, "table", "unexpected argument '%s'", argv[optind]);
    if (!status)
        status = gn_cmd_table_execute(cli, &job, figures);
    gn_job_clear(&job);
    return status;
}

/* ---- the driver --------------------------------------------------------------------------- */

/* The crossover of each (model, potential) with both processes: by rates when --modes gave
 * any (saying why it is not determined when some rate is missing), and by barriers, labelled. */
static void print_crossovers(const gn_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(t->rows[j].model, r->model) &&
                    !strcmp(t->rows[j].potential, r->potential);
        if (seen)
            continue;
        gn_crossover_info info;
        gn_table_crossover_info(t, r->model, r->potential, &info);
        if (!info.has_rows)
            continue;
        char line[2600];
        if (info.has_modes) {
            double T = NAN;
            for (size_t j = 0; j < t->n; j++)
                if (!strcmp(t->rows[j].model, r->model) && t->rows[j].has_modes)
                    T = t->rows[j].temperature;
            gn_crossover_rate_text(&info, r->model, r->potential, T, line, sizeof line);
            printf("# %s\n", line);
        }
        gn_crossover_barrier_text(&info, r->model, r->potential, line, sizeof line);
        printf("# %s\n", line);
    }
}

static int draw(gn_cli *cli, const char *out, const gn_table *t, const gn_reference *ref)
{
    gn_figure_status st;
    gn_error e;
    if (gn_report_figures(out, t, ref, NULL, &st, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    if (st.note[0])
        fprintf(stderr, "%s: note: %s\n", cli->prog, st.note);
    gn_cli_log(cli, 1, "figures: %d drawn of %d scripts in %s/figures\n", st.drawn, st.scripts,
               out);
    return 0;
}

int gn_cmd_table_execute(gn_cli *cli, gn_job *job, int figures)
{
    gn_error e;
    gn_table t;
    gn_reference ref = {0};
    if (gn_table_init(job, &t, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    int status = 0;
    if (job->reference[0] && gn_reference_load(job->reference, &ref, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (!status && gn_mkdir_p(job->out, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    gn_table_hooks hooks = {.log = log_hook, .log_ctx = cli};
    if (!status && gn_table_run(job, &t, &hooks, &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (!status) {
        if (job->reference[0])
            gn_reference_apply(&ref, &t);
        if (gn_report_write_table(job->out, &t, &e) != GN_OK)
            status = gn_cli_fail(cli, &e);
    }
    if (!status) {
        gn_report_print(stdout, &t);
        print_crossovers(&t);
        fflush(stdout);
        gn_cli_log(cli, 1, "wrote %s/barriers.tsv and %s/barriers.json (%lu new force calls)\n",
                   job->out, job->out, t.new_force_calls);
        if (figures)
            status = draw(cli, job->out, &t, job->reference[0] ? &ref : NULL);
    }
    if (!status && !gn_table_all_ok(&t))
        status = GN_EXIT_FAIL;
    gn_reference_clear(&ref);
    gn_table_clear(&t);
    return status;
}
