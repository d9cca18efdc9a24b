/* gapneb modes: Hessian, saddle check and harmonic (Vineyard) rates of an NEB run folder.
 * Units: Å, eV, THz and cm^-1, K, 1/s. */
#include "cli.h"
#include "gapneb/modes.h"

#include "gapneb/fileio.h"
#include "gapneb/rundir.h"
#include "gapneb/steps.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb modes RUNDIR [--modes partial|full] [--temperature T] [OPTIONS]\n\n"
            "Normal modes at the climbing image (the saddle) and at both endpoints of an NEB\n"
            "run folder (path.xyz and summary.json), by central finite differences of the\n"
            "forces. Checks that the saddle has exactly one imaginary mode and the minima none,\n"
            "and gives the harmonic transition-state (Vineyard 1957) prefactor nu* and rate\n"
            "k(T) = nu* exp(-Ea / kB T), forward and reverse.\n\n"
            "--modes partial (default): the saddle check and the imaginary frequency come from\n"
            "the lowest modes of all movable atoms (Lanczos iteration, a few tens of force\n"
            "calls), the prefactor from the Hessian of the atoms within a radius of the atoms\n"
            "that move in the process (the rest frozen), the radius grown shell by shell until\n"
            "the prefactor changes by less than --partial-tol. --modes full: the Hessian of\n"
            "every movable atom (2 force calls per coordinate; for a few hundred atoms).\n\n"
            "Writes RUNDIR/modes.json, RUNDIR/modes.tsv (all frequencies) and\n"
            "RUNDIR/unstable_mode.xyz (an extended XYZ animation of the unstable mode with a\n"
            "per-atom displacement column 'mode'); prints a summary on stdout.\n\n"
            "A row folder of several elementary steps (a table row, or gapneb neb, that split\n"
            "its path: RUNDIR/steps/01-IS-M1, ...) is analysed step by step, each step's files\n"
            "written in its own folder, and the overall rate of the chain of steps printed\n"
            "after them; its joined path is not one step and is not analysed as one.\n\n"
            "Options:\n"
            "      --modes KIND     partial (default) or full\n"
            "      --partial-tol F  relative prefactor change that ends the radius growth\n"
            "                       (default %g)\n"
            "  -T, --temperature T  temperature for the rates, K (default %.0f)\n"
            "  -p, --potential P    potential (name, EAM file or engine spec ipi:...) instead\n"
            "                       of the one recorded in summary.json\n"
            "      --step H         finite-difference step, Å (default %g)\n"
            "      --zero-tol F     |frequency| below F THz counts as zero, neither real nor\n"
            "                       imaginary (default %g THz = %.1f cm^-1)\n"
            "      --no-write       print only, write no files\n"
            "  -q, --quiet          no progress on stderr\n"
            "  -v, --verbose        more progress on stderr\n"
            "  -h, --help           this help\n\n%s"
            "With an engine pool the displaced structures go to the clients in parallel.\n\n"
            "Frequencies: THz (1e12 1/s) and cm^-1; an imaginary frequency is printed as its\n"
            "modulus and flagged. Rates in 1/s, energies in eV.\n"
            "Exit status: 0 saddle verified; 1 not a first-order saddle (or minima unstable);\n"
            "2 bad usage or bad input; 3 I/O failure (also an engine that fails); 128 + signal\n"
            "when interrupted.\n",
            GN_MODES_PARTIAL_TOL, GN_MODES_T_DEFAULT, GN_MODES_STEP_DEFAULT, GN_MODES_ZERO_TOL_THZ,
            gn_modes_thz_to_cm(GN_MODES_ZERO_TOL_THZ), gn_cli_engine_help);
}

/* A number, or "-" where it is undefined (NaN: no first-order saddle). */
static const char *num(char *buf, size_t size, const char *fmt, double v)
{
    if (isfinite(v))
        snprintf(buf, size, fmt, v);
    else
        snprintf(buf, size, "-");
    return buf;
}

static void print_summary(const char *dir, const gn_modes_result *r, double partial_tol)
{
    char a[64], b[64];
    printf("run               %s\n", dir);
    printf("potential         %s\n", r->potential);
    printf("saddle image      %d\n", r->climb_index);
    if (r->hessian == GN_MODES_FULL)
        printf("Hessian           full: %zu movable atoms\n", r->hessian_atoms);
    else
        printf("Hessian           partial: %zu atoms within %.2f Å of the moving atoms, prefactor "
               "change %s over the last shell (%s)\n",
               r->hessian_atoms, r->partial_radius, num(a, sizeof a, "%.2g", r->partial_change),
               !r->partial_converged         ? "NOT converged"
               : r->partial_change < partial_tol ? "converged"
                                                 : "the region holds every movable atom");
    printf("force calls       %lu\n", r->force_calls);
    printf("negative modes    saddle %d, initial %d, final %d (zero modes: %d, %d, %d)\n",
           r->n_negative_saddle, r->n_negative_initial, r->n_negative_final, r->n_zero_saddle,
           r->n_zero_initial, r->n_zero_final);
    printf("saddle verified   %s\n", r->verified ? "yes" : "no");
    char c[64];
    printf("lowest at saddle  %s %s %s THz (negative = imaginary)\n",
           num(a, sizeof a, "%.4f", r->saddle_lowest_thz[0]),
           num(b, sizeof b, "%.4f", r->saddle_lowest_thz[1]),
           num(c, sizeof c, "%.4f", r->saddle_lowest_thz[2]));
    printf("imaginary freq    %s THz = %s cm^-1\n", num(a, sizeof a, "%.4f", r->imag_freq_thz),
           num(b, sizeof b, "%.2f", r->imag_freq_cm));
    printf("barrier           forward %.4f eV, reverse %.4f eV\n", r->barrier_fwd,
           r->barrier_rev);
    printf("prefactor nu*     forward %s THz, reverse %s THz\n",
           num(a, sizeof a, "%.4f", r->prefactor_fwd_thz),
           num(b, sizeof b, "%.4f", r->prefactor_rev_thz));
    printf("rate at %-6.1f K  forward %s 1/s, reverse %s 1/s\n", r->temperature,
           num(a, sizeof a, "%.4e", r->rate_fwd), num(b, sizeof b, "%.4e", r->rate_rev));
}

/* Prints the result; the exit status. */
static int modes_report(const gn_cli *cli, const char *dir, const gn_modes_opts *o,
                        const gn_modes_result *rp)
{
    const gn_modes_result r = *rp;
    if (isfinite(r.energy_mismatch) && r.energy_mismatch > 1e-3)
        gn_cli_log(cli, 1, "modes: warning: energies differ from path.xyz by up to %.4f eV (a "
                   "different potential than the run's?)\n", r.energy_mismatch);
    gn_cli_log(cli, 2, "modes: largest raw Hessian asymmetry %.2g eV/Å^2\n", r.max_asym);
    print_summary(dir, &r, o->partial_tol);
    if (o->write_files)
        gn_cli_log(cli, 1, "modes: wrote %s/modes.json, modes.tsv, unstable_mode.xyz\n", dir);
    if (!r.verified) {
        gn_cli_log(cli, 1, "modes: the saddle is not verified: %d negative modes at the saddle "
                   "(1 expected), %d and %d at the minima (0 expected)\n", r.n_negative_saddle,
                   r.n_negative_initial, r.n_negative_final);
        return GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}

/* The analysis of one run folder (a step's or a whole band's) and its report; *res the result
 * (NULL: not needed). The exit status. */
static int analyse_one(const gn_cli *cli, const char *dir, gn_modes_opts *o,
                       gn_modes_result *res)
{
    gn_modes_result r;
    gn_error err;
    gn_error_clear(&err);
    if (gn_modes_run_dir_ex(dir, o, &r, &err))
        return gn_cli_fail(cli, &err);
    if (res)
        *res = r;
    return modes_report(cli, dir, o, &r);
}

/* The steps of a path of several elementary steps, each in the folder summary.json names for it,
 * then the chain's overall rates. -1 when dir holds one band (or no summary: analyse_one says
 * what is wrong), else the exit status. */
static int analyse_steps(const gn_cli *cli, const char *dir, gn_modes_opts *o)
{
    gn_rundir_summary sum;
    gn_error err;
    if (gn_rundir_read_summary(dir, &sum, &err) != GN_OK || sum.nsteps < 2)
        return -1;
    size_t n = sum.nsteps;
    gn_cli_log(cli, 1, "modes: %s is a path of %zu elementary steps: each step is analysed in "
               "its own folder\n", dir, n);
    double kf[GN_STEPS_MAX], kr[GN_STEPS_MAX];
    int ex = GN_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        char one[4096];
        gn_modes_result r;
        r.rate_fwd = r.rate_rev = NAN;
        int rc = GN_EXIT_OK;
        if (gn_path_join(one, sizeof one, dir, sum.step_folder[i], &err))
            rc = gn_cli_fail(cli, &err);
        if (rc == GN_EXIT_OK) {
            if (i)
                printf("\n");
            rc = analyse_one(cli, one, o, &r);
        }
        kf[i] = r.rate_fwd;
        kr[i] = r.rate_rev;
        ex = rc > ex ? rc : ex;
    }
    double cf = NAN, cr = NAN;
    if (ex == GN_EXIT_OK && gn_steps_chain_rate(n, kf, kr, &cf, &cr, &err) != GN_OK)
        cf = cr = NAN;
    if (ex != GN_EXIT_IO && ex != GN_EXIT_USAGE)
        printf("\nchain of %zu steps rate at %.1f K: forward %.4e 1/s, reverse %.4e 1/s (1 / "
               "mean first-passage time over the steps' forward and reverse rates)\n", n,
               o->temperature, cf, cr);
    return ex;
}

enum { OPT_STEP = 256, OPT_TOL, OPT_NOWRITE, OPT_MODES, OPT_PARTIAL_TOL };

int gn_cmd_modes(gn_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"temperature", required_argument, NULL, 'T'},
        {"potential", required_argument, NULL, 'p'},
        {"step", required_argument, NULL, OPT_STEP},
        {"zero-tol", required_argument, NULL, OPT_TOL},
        {"no-write", no_argument, NULL, OPT_NOWRITE},
        {"modes", required_argument, NULL, OPT_MODES},
        {"partial-tol", required_argument, NULL, OPT_PARTIAL_TOL},
        GN_CLI_ENGINE_LONGOPTS,
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    int opt;
    gn_cli_engine engine;
    gn_cli_engine_init(&engine, cli, "modes");
    while ((opt = getopt_long(argc, argv, "T:p:qvh", longopts, NULL)) != -1) {
        if (gn_cli_common_opt(cli, opt))
            continue;
        int ex = gn_cli_engine_opt(&engine, opt, optarg);
        if (ex > 0)
            return ex;
        if (ex < 0)
            continue;
        switch (opt) {
        case 'h': usage(stdout); return GN_EXIT_OK;
        case 'T':
            if (gn_cli_parse_double(optarg, &o.temperature) || !(o.temperature > 0.0))
                return gn_cli_usage_error(cli, "modes", "--temperature wants a positive number "
                                          "of K, not '%s'", optarg);
            break;
        case 'p': o.potential = optarg; break;
        case OPT_STEP:
            if (gn_cli_parse_double(optarg, &o.step) || !(o.step > 0.0) || o.step > 0.1)
                return gn_cli_usage_error(cli, "modes", "--step wants a number of Å in (0, 0.1], "
                                          "not '%s'", optarg);
            break;
        case OPT_TOL:
            if (gn_cli_parse_double(optarg, &o.zero_tol_thz) || !(o.zero_tol_thz > 0.0))
                return gn_cli_usage_error(cli, "modes", "--zero-tol wants a positive number of "
                                          "THz, not '%s'", optarg);
            break;
        case OPT_NOWRITE: o.write_files = 0; break;
        case OPT_MODES: {
            gn_error perr;
            if (gn_modes_hessian_parse(optarg, &o.hessian, &perr))
                return gn_cli_usage_error(cli, "modes", "--modes: %s", perr.msg);
            break;
        }
        case OPT_PARTIAL_TOL:
            if (gn_cli_parse_double(optarg, &o.partial_tol) || !(o.partial_tol > 0.0) ||
                o.partial_tol >= 1.0)
                return gn_cli_usage_error(cli, "modes", "--partial-tol wants a number in (0, 1), "
                                          "not '%s'", optarg);
            break;
        default: return gn_cli_usage_error(cli, "modes", "unknown option");
        }
    }
    if (optind != argc - 1)
        return gn_cli_usage_error(cli, "modes", "give exactly one run folder");
    const char *dir = argv[optind];
    gn_cli_log(cli, 1, "modes: %s finite-difference Hessians (step %g Å) of %s ...\n",
               gn_modes_hessian_name(o.hessian), o.step, dir);
    gn_error err;
    gn_error_clear(&err);
    /* an engine is started here, with the engine options; other potentials by the library */
    char name[1024] = "";
    gn_potential *pot = NULL;
    if (!o.potential && gn_modes_run_dir_potential(dir, name, sizeof name, &err))
        name[0] = '\0'; /* gn_modes_run_dir_ex says what is wrong with the folder */
    const char *pname = o.potential ? o.potential : name;
    int rc = GN_OK;
    if (!rc && (gn_ipi_is_spec(pname) || engine.given))
        rc = gn_cli_potential_alloc(&engine, pname, &pot, &err);
    o.pot = pot;
    if (rc)
        return gn_cli_potential_free(&engine, pot, gn_cli_fail(cli, &err));
    int ex = analyse_steps(cli, dir, &o);
    if (ex < 0)
        ex = analyse_one(cli, dir, &o, NULL);
    return gn_cli_potential_free(&engine, pot, ex);
}
