/* gapneb neb: climbing-image NEB between two endpoint structures, or a restart from a run folder.
 * Lengths Å, energies eV, forces eV/Å, spring constants eV/Å^2, wall time s. */
#include "cli.h"

#include "gapneb/fileio.h"
#include "gapneb/table.h"
#include "gapneb/io_xyz.h"
#include "gapneb/neb.h"
#include "gapneb/potential.h"
#include "gapneb/rundir.h"
#include "gapneb/steps.h"
#include "gapneb/structure.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct neb_cli_opts {
    const char *initial, *final, *potential, *out, *restart;
    char run_potential[1024]; /* --restart: the potential summary.json names */
    gn_neb_opts neb;
    gn_steps_opts steps;
    gn_cli_engine engine;
    int threads; /* --threads; 0: one per core */
} neb_cli_opts;

static void usage(FILE *fp)
{
    gn_neb_opts d;
    gn_neb_opts_default(&d);
    gn_steps_opts sd;
    gn_steps_opts_default(&sd);
    fprintf(fp,
            "Usage: gapneb neb INITIAL FINAL [options] [--out DIR]\n"
            "       gapneb neb --restart DIR [options] [--out DIR]\n\n"
            "Climbing-image NEB between two endpoint structures (extended XYZ or VASP POSCAR, same\n"
            "atoms in the same order, same cell). The endpoints are relaxed first; endpoints that\n"
            "relax into the same minimum are reported as collapsed (exit 1), never as a zero\n"
            "barrier. The band goes to DIR: path.xyz (every image with energy and NEB forces),\n"
            "profile.tsv, profile_interp.tsv (cubic Hermite), summary.json. A path through an\n"
            "intermediate minimum is split into elementary steps, each with its own CI-NEB:\n"
            "DIR/steps/NN-FROM-TO/ per step, DIR/minima/NN.xyz, and the joined path in DIR.\n\n"
            "Options:\n"
            "  -i, --images N            movable images (%d)\n"
            "  -k, --spring K            spring constant, eV/Å^2 (%g; also --k)\n"
            "      --energy-weighted     springs between --k-min and --k-max by image energy\n"
            "      --k-min K, --k-max K  eV/Å^2 (%g, %g)\n"
            "      --climb | --no-climb  climbing image on the highest image (on)\n"
            "      --climb-threshold F   switch climbing on below this band fmax, eV/Å (%g;\n"
            "                            also --climb-fmax)\n"
            "      --interpolation M     initial band, idpp or linear (idpp; also --interp)\n"
            "      --perturb A           push the starting band (also a restarted one) off\n"
            "                            symmetry planes: a seeded random pattern, largest atom\n"
            "                            move A Å at the middle image, endpoints fixed (%g)\n"
            "      --refine N            up to N rounds of saddle refinement: lowest modes of\n"
            "                            the converged climbing image (Lanczos, about 50-90\n"
            "                            force calls at any size); if it has a second negative\n"
            "                            mode, push the band along it by --refine-step Å and\n"
            "                            relax again (%d)\n"
            "      --refine-step D       Å (%g)\n"
            "      --no-split            do not split the path at intermediate minima\n"
            "      --split-tol E         a profile minimum deeper than E eV is a candidate (%g)\n"
            "      --split-depth N       levels of splitting (%d)\n"
            "      --no-saddle-order     do not count the negative modes of the climbing images\n"
            "                            (lowest-mode search, 30-70 force calls each; on by\n"
            "                            default)\n"
            "  -f, --fmax F              convergence: every movable atom of every image, eV/Å (%g)\n"
            "  -n, --max-steps N         optimiser iteration cap of the band (%d)\n"
            "      --no-relax-endpoints  use the endpoints as given\n"
            "      --endpoint-fmax F     endpoint relaxation, eV/Å (%g)\n"
            "      --optimizer fire|lbfgs  band optimiser: FIRE, or L-BFGS over the whole band\n"
            "                            (Sheppard, Terrell and Henkelman 2008); the endpoints\n"
            "                            relax with FIRE (%s)\n"
            "      --fire 1|2            FIRE (Bitzek 2006) or FIRE 2.0 (Guenole 2020, default)\n"
            "      --dt T                FIRE initial time step, optimiser units (%g)\n"
            "      --lbfgs-memory M      L-BFGS: steps remembered (%d)\n"
            "      --lbfgs-inv-curv H    L-BFGS: initial inverse curvature, Å^2/eV (%g)\n"
            "      --max-move D          largest move of an atom per step, Å (%g)\n"
            "  -j, --threads N           threads of each force call, for structures of %d atoms\n"
            "                            or more (EAM potentials); 0 = one per core (0)\n"
            "  -p, --potential NAME|FILE eam-pt (default), morse-pt, lj-pt, lj, or a LAMMPS EAM file\n"
            GN_CLI_POTENTIAL_ENGINE_HELP_AT("                            ")
            "  -o, --out DIR             run folder (neb-out; with --restart: the restart folder)\n"
            "      --restart DIR         continue the band in DIR/path.xyz (endpoints kept) with\n"
            "                            the settings and potential in DIR/summary.json (options\n"
            "                            given override them; --perturb is not carried over); a\n"
            "                            climbing band climbs on, and a restart that ends worse\n"
            "                            than it began keeps the band it began from\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n"
            "Progress (iteration, band max force, barrier estimate, climbing image) goes to\n"
            "stderr; the results to stdout.\n"
            "With an engine pool the images of the band (and the two endpoint relaxations) are\n"
            "evaluated in parallel, one structure per connected client.\n\n%s\n"
            "Units: length Å, energy eV, force eV/Å, spring constant eV/Å^2, time s.\n"
            "Exit status: 0 converged, every saddle first-order (when checked); 1 not converged,\n"
            "collapsed or a saddle not first-order (the band so far is written); 2 bad usage or\n"
            "bad input; 3 I/O failure (also an engine that fails); 128 + signal when interrupted.\n",
            d.nimages, d.k, d.k_min, d.k_max, d.climb_fmax, d.perturb, d.refine, d.refine_step,
            sd.tol, sd.max_depth, d.fmax, d.max_steps,
            d.endpoint_fmax, gn_minimizer_name(d.optimizer), d.dt, d.lbfgs_memory,
            d.lbfgs_inv_curv, d.max_move, GN_CALC_THREADS_MIN_ATOMS, gn_cli_engine_help);
}

enum {
    OPT_EW = 1000, OPT_KMIN, OPT_KMAX, OPT_CLIMB, OPT_NOCLIMB, OPT_CLIMBF, OPT_INTERP, OPT_NORELAX,
    OPT_EPF, OPT_FIRE, OPT_DT, OPT_MAXMOVE, OPT_RESTART,
    OPT_PERTURB, OPT_REFINE, OPT_REFINE_STEP, OPT_NOSPLIT, OPT_SPLIT_TOL, OPT_SPLIT_DEPTH,
    OPT_NOORDER, OPT_OPTIMIZER, OPT_LBFGS_MEM, OPT_LBFGS_H0
};

static int num_opt(gn_cli *cli, const char *name, const char *arg, double lo, double *out)
{
    if (gn_cli_parse_double(arg, out) || !(*out > lo))
        return gn_cli_usage_error(cli, "neb", "%s needs a number > %g", name, lo);
    return -1;
}

static int parse_one(gn_cli *cli, int opt, neb_cli_opts *o)
{
    gn_neb_opts *n = &o->neb;
    gn_error err;
    int v;
    switch (opt) {
    case 'i':
        if (gn_cli_parse_int(optarg, &n->nimages) || n->nimages < 1)
            return gn_cli_usage_error(cli, "neb", "--images needs an integer >= 1");
        return -1;
    case 'k': return num_opt(cli, "--k", optarg, 0, &n->k);
    case OPT_EW: n->energy_weighted = 1; return -1;
    case OPT_KMIN: return num_opt(cli, "--k-min", optarg, 0, &n->k_min);
    case OPT_KMAX: return num_opt(cli, "--k-max", optarg, 0, &n->k_max);
    case OPT_CLIMB: n->climb = 1; return -1;
    case OPT_NOCLIMB: n->climb = 0; return -1;
    case OPT_CLIMBF: return num_opt(cli, "--climb-fmax", optarg, 0, &n->climb_fmax);
    case OPT_INTERP:
        if (gn_interp_parse(optarg, &n->interp, &err))
            return gn_cli_usage_error(cli, "neb", "%s", err.msg);
        return -1;
    case OPT_PERTURB:
        if (gn_cli_parse_double(optarg, &n->perturb) || !(n->perturb >= 0) ||
            !isfinite(n->perturb))
            return gn_cli_usage_error(cli, "neb", "--perturb needs a number >= 0 (Å)");
        return -1;
    case OPT_REFINE:
        if (gn_cli_parse_int(optarg, &n->refine) || n->refine < 0)
            return gn_cli_usage_error(cli, "neb", "--refine needs an integer >= 0");
        return -1;
    case OPT_REFINE_STEP: return num_opt(cli, "--refine-step", optarg, 0, &n->refine_step);
    case OPT_NOSPLIT: o->steps.split = 0; return -1;
    case OPT_SPLIT_TOL: return num_opt(cli, "--split-tol", optarg, 0, &o->steps.tol);
    case OPT_SPLIT_DEPTH:
        if (gn_cli_parse_int(optarg, &o->steps.max_depth) || o->steps.max_depth < 0)
            return gn_cli_usage_error(cli, "neb", "--split-depth needs an integer >= 0");
        return -1;
    case OPT_NOORDER: o->steps.check_order = 0; return -1;
    case 'f': return num_opt(cli, "--fmax", optarg, 0, &n->fmax);
    case 'n':
        if (gn_cli_parse_int(optarg, &n->max_steps) || n->max_steps < 0)
            return gn_cli_usage_error(cli, "neb", "--max-steps needs an integer >= 0");
        return -1;
    case OPT_NORELAX: n->relax_endpoints = 0; return -1;
    case OPT_EPF: return num_opt(cli, "--endpoint-fmax", optarg, 0, &n->endpoint_fmax);
    case OPT_FIRE:
        if (gn_cli_parse_int(optarg, &v) || (v != 1 && v != 2))
            return gn_cli_usage_error(cli, "neb", "--fire needs 1 or 2");
        n->fire = (gn_fire_variant)v;
        return -1;
    case OPT_DT: return num_opt(cli, "--dt", optarg, 0, &n->dt);
    case OPT_OPTIMIZER:
        if (gn_minimizer_parse(optarg, &n->optimizer, &err))
            return gn_cli_usage_error(cli, "neb", "--optimizer: %s", err.msg);
        return -1;
    case OPT_LBFGS_MEM:
        if (gn_cli_parse_int(optarg, &n->lbfgs_memory) || n->lbfgs_memory < 1 ||
            n->lbfgs_memory > 1000)
            return gn_cli_usage_error(cli, "neb", "--lbfgs-memory needs an integer 1..1000");
        return -1;
    case OPT_LBFGS_H0: return num_opt(cli, "--lbfgs-inv-curv", optarg, 0, &n->lbfgs_inv_curv);
    case 'j':
        if (gn_cli_parse_int(optarg, &o->threads) || o->threads < 0 || o->threads > 64)
            return gn_cli_usage_error(cli, "neb", "--threads needs an integer 0..64");
        return -1;
    case OPT_MAXMOVE: return num_opt(cli, "--max-move", optarg, 0, &n->max_move);
    case 'p': o->potential = optarg; return -1;
    case 'o': o->out = optarg; return -1;
    case OPT_RESTART: o->restart = optarg; return -1;
    case 'h': usage(stdout); return GN_EXIT_OK;
    default:
        if (!gn_cli_common_opt(cli, opt))
            return gn_cli_usage_error(cli, "neb", "unknown option");
        return -1;
    }
}

static const struct option longopts[] = {
    {"images", required_argument, NULL, 'i'},
    {"spring", required_argument, NULL, 'k'},
    {"k", required_argument, NULL, 'k'},
    {"energy-weighted", no_argument, NULL, OPT_EW},
    {"k-min", required_argument, NULL, OPT_KMIN},
    {"k-max", required_argument, NULL, OPT_KMAX},
    {"climb", no_argument, NULL, OPT_CLIMB},
    {"no-climb", no_argument, NULL, OPT_NOCLIMB},
    {"climb-threshold", required_argument, NULL, OPT_CLIMBF},
    {"climb-fmax", required_argument, NULL, OPT_CLIMBF},
    {"interpolation", required_argument, NULL, OPT_INTERP},
    {"interp", required_argument, NULL, OPT_INTERP},
    {"perturb", required_argument, NULL, OPT_PERTURB},
    {"refine", required_argument, NULL, OPT_REFINE},
    {"refine-step", required_argument, NULL, OPT_REFINE_STEP},
    {"no-split", no_argument, NULL, OPT_NOSPLIT},
    {"split-tol", required_argument, NULL, OPT_SPLIT_TOL},
    {"split-depth", required_argument, NULL, OPT_SPLIT_DEPTH},
    {"no-saddle-order", no_argument, NULL, OPT_NOORDER},
    {"fmax", required_argument, NULL, 'f'},
    {"max-steps", required_argument, NULL, 'n'},
    {"no-relax-endpoints", no_argument, NULL, OPT_NORELAX},
    {"endpoint-fmax", required_argument, NULL, OPT_EPF},
    {"fire", required_argument, NULL, OPT_FIRE},
    {"dt", required_argument, NULL, OPT_DT},
    {"optimizer", required_argument, NULL, OPT_OPTIMIZER},
    {"lbfgs-memory", required_argument, NULL, OPT_LBFGS_MEM},
    {"lbfgs-inv-curv", required_argument, NULL, OPT_LBFGS_H0},
    {"threads", required_argument, NULL, 'j'},
    {"max-move", required_argument, NULL, OPT_MAXMOVE},
    {"potential", required_argument, NULL, 'p'},
    {"out", required_argument, NULL, 'o'},
    {"restart", required_argument, NULL, OPT_RESTART},
    GN_CLI_ENGINE_LONGOPTS,
    GN_CLI_COMMON_LONGOPTS,
    {NULL, 0, NULL, 0},
};

/* One pass over the options; returns -1 to go on, otherwise the exit status. */
static int parse_options(gn_cli *cli, int argc, char **argv, neb_cli_opts *o)
{
    int opt;
    gn_cli_engine_init(&o->engine, cli, "neb");
    while ((opt = getopt_long(argc, argv, "i:k:f:n:p:o:j:hqv", longopts, NULL)) != -1) {
        int ex = gn_cli_engine_opt(&o->engine, opt, optarg);
        if (ex > 0)
            return ex;
        if (ex < 0)
            continue;
        ex = parse_one(cli, opt, o);
        if (ex >= 0)
            return ex;
    }
    return -1;
}

/* A restart goes on with the run's own settings and potential (summary.json), then the options
 * given now are applied again on top of them. */
static int restart_settings(gn_cli *cli, int argc, char **argv, neb_cli_opts *o)
{
    char path[4096];
    gn_error err;
    if (gn_path_join(path, sizeof path, o->restart, "summary.json", &err))
        return gn_cli_fail(cli, &err);
    if (access(path, F_OK) != 0) {
        gn_cli_log(cli, 1, "neb: %s not found: default settings\n", path);
        return -1;
    }
    gn_rundir_summary sum;
    gn_neb_opts_default(&o->neb);
    if (gn_rundir_read_settings(o->restart, &o->neb, &err) ||
        gn_rundir_read_summary(o->restart, &sum, &err))
        return gn_cli_fail(cli, &err);
    if (sum.potential[0]) {
        snprintf(o->run_potential, sizeof o->run_potential, "%s", sum.potential);
        o->potential = o->run_potential;
    }
    optind = 0; /* glibc: full reinitialisation for the second pass */
    return parse_options(cli, argc, argv, o);
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(gn_cli *cli, int argc, char **argv, neb_cli_opts *o)
{
    o->potential = GN_POTENTIAL_DEFAULT;
    gn_neb_opts_default(&o->neb);
    gn_steps_opts_default(&o->steps);
    int ex = parse_options(cli, argc, argv, o);
    if (ex < 0 && o->restart)
        ex = restart_settings(cli, argc, argv, o);
    if (ex >= 0)
        return ex;
    int npos = argc - optind;
    if (o->restart) {
        if (npos > 0)
            return gn_cli_usage_error(cli, "neb", "--restart takes no INITIAL/FINAL arguments");
        if (!o->out)
            o->out = o->restart;
    } else {
        if (npos != 2)
            return gn_cli_usage_error(cli, "neb", "need INITIAL and FINAL structures (got %d "
                                      "arguments)", npos);
        o->initial = argv[optind];
        o->final = argv[optind + 1];
        if (!o->out)
            o->out = "neb-out";
    }
    /* 0: one thread per core, at most the 64 a calculator takes */
    o->neb.threads = o->threads > 0 ? o->threads : gn_table_threads(0, 64);
    gn_error err;
    if (gn_neb_opts_check(&o->neb, &err) || gn_steps_opts_check(&o->steps, &err))
        return gn_cli_usage_error(cli, "neb", "%s", err.msg);
    return -1;
}

static int neb_progress(void *ctx, int iter, double fmax, double barrier, int climb_index)
{
    const gn_cli *cli = ctx;
    gn_cli_log(cli, 1, "neb: iter %5d  fmax %9.5f eV/Å  barrier %9.5f eV  climbing %d\n", iter,
               fmax, barrier, climb_index);
    return 0;
}

static void print_steps(const gn_steps_result *s)
{
    for (size_t k = 0; k < s->nsteps; k++) {
        const gn_step *st = &s->step[k];
        char a[16], b[16], order[16] = "not checked";
        gn_steps_minimum_name(s, k, a, sizeof a);
        gn_steps_minimum_name(s, k + 1, b, sizeof b);
        if (st->saddle_order >= 0)
            snprintf(order, sizeof order, "%d", st->saddle_order);
        printf("step_%zu              %s -> %s: minima %.6f -> %.6f eV, ", k + 1, a, b,
               st->e_from, st->e_to);
        if (st->saddle_order == 0)
            printf("climbing image is a minimum (order 0): no barrier%s\n",
                   st->converged ? "" : ", not converged");
        else
            printf("saddle %.6f eV (order %s), barriers %.6f / %.6f eV%s\n", st->e_saddle,
                   order, st->barrier_fwd, st->barrier_rev, st->converged ? "" : ", not converged");
    }
}

static void print_result(const neb_cli_opts *o, const gn_steps_result *s)
{
    const gn_neb_result *r = &s->first;
    printf("run_folder          %s\n", o->out);
    if (r->collapsed) {
        printf("collapsed           yes (endpoints %.4f Å apart after relaxation)\n",
               r->endpoint_distance);
        printf("reaction_energy_eV  %.6f\n", r->reaction_energy);
    } else if (s->nsteps) {
        const gn_step *first = &s->step[0], *last = &s->step[s->nsteps - 1];
        printf("steps               %zu\n", s->nsteps);
        printf("barrier_forward_eV  %.6f  (step 1, out of the initial state)\n",
               first->barrier_fwd);
        printf("barrier_reverse_eV  %.6f  (step %zu, out of the final state)\n", last->barrier_rev,
               s->nsteps);
        printf("effective_barrier   %.6f  (highest saddle minus the initial state", s->ea_eff);
        if (s->rate_step >= 0)
            printf(", step %d", s->rate_step + 1);
        printf(")%s\n", o->steps.check_order && !s->first_order
                             ? "; a saddle is not first-order: see step_N below" : "");
        printf("reaction_energy_eV  %.6f\n", r->reaction_energy);
        print_steps(s);
        printf("first_band          barrier %.6f eV at image %d, interpolated maximum %.6f eV at "
               "s = %.4f Å\n", r->barrier_fwd, r->climb_index, r->interp_max, r->interp_max_s);
        if (r->restart_kept)
            printf("restart             the relaxation ended worse than it began: the starting "
                   "band kept\n");
        if (r->saddle_negative >= 0)
            printf("saddle_check        %d negative mode%s at the first band's climbing image, "
                   "%d push%s along a second one%s\n",
                   r->saddle_negative, r->saddle_negative == 1 ? "" : "s", r->refinements,
                   r->refinements == 1 ? "" : "es",
                   r->refine_failed ? " (the pushed band did not converge: band before the "
                                      "push kept)"
                                    : "");
    }
    printf("converged           %s\n", s->nsteps ? (s->converged ? "yes" : "no")
                                                 : (r->converged ? "yes" : "no"));
    printf("first_order         %s\n", !o->steps.check_order ? "not checked"
                                       : s->first_order ? "yes" : "no");
    printf("iterations          %d\n", s->nsteps ? s->iterations : r->iterations);
    printf("force_calls         %lu\n", s->force_calls);
    printf("wall_time_s         %.3f\n", s->wall_time);
}

static int run_band(gn_cli *cli, neb_cli_opts *o, gn_potential *pot, gn_neb_result *r,
                    gn_error *err)
{
    if (o->restart) {
        char path[4096];
        gn_frame *fr;
        size_t nf;
        int rc = gn_path_join(path, sizeof path, o->restart, "path.xyz", err);
        if (!rc)
            rc = gn_xyz_read(path, &fr, &nf, err);
        if (rc)
            return rc;
        gn_cli_log(cli, 1, "neb: restart from %s (%zu images)\n", path, nf);
        o->neb.nimages = nf > 2 ? (int)nf - 2 : 1;
        rc = gn_neb_restart(pot, fr, nf, &o->neb, r, err);
        gn_frames_free(fr, nf);
        return rc;
    }
    gn_atoms *a = NULL, *b = NULL;
    int rc = gn_structure_read(o->initial, &a, err);
    if (!rc)
        rc = gn_structure_read(o->final, &b, err);
    if (!rc) {
        gn_cli_log(cli, 1, "neb: %s -> %s, %zu atoms (%zu movable), %d images, potential %s\n",
                   o->initial, o->final, a->n, gn_atoms_nmovable(a), o->neb.nimages, pot->name);
        rc = gn_neb_run(pot, a, b, &o->neb, r, err);
    }
    gn_atoms_free(a);
    gn_atoms_free(b);
    return rc;
}

static int run(gn_cli *cli, neb_cli_opts *o, gn_potential *pot, gn_steps_result *sr,
               gn_error *err)
{
    gn_neb_result nr;
    memset(&nr, 0, sizeof nr);
    int rc = run_band(cli, o, pot, &nr, err);
    if (rc == GN_OK)
        rc = gn_steps_from_neb(pot, &nr, &o->neb, &o->steps, sr, err);
    gn_neb_result_clear(&nr);
    return rc;
}

/* The exit status of a finished run: 0 converged (and first-order when checked), else 1. */
static int run_status(const neb_cli_opts *o, const gn_steps_result *s)
{
    if (!s->nsteps)
        return GN_EXIT_FAIL; /* collapsed */
    return s->converged && (!o->steps.check_order || s->first_order) ? GN_EXIT_OK
                                                                      : GN_EXIT_FAIL;
}

int gn_cmd_neb(gn_cli *cli, int argc, char **argv)
{
    neb_cli_opts o;
    memset(&o, 0, sizeof o);
    int ex = parse_args(cli, argc, argv, &o);
    if (ex >= 0)
        return ex;
    o.neb.progress = neb_progress;
    o.neb.progress_ctx = cli;
    gn_error err;
    gn_error_clear(&err);
    gn_potential *pot = NULL;
    gn_steps_result r;
    memset(&r, 0, sizeof r);
    int rc = gn_cli_potential_alloc(&o.engine, o.potential, &pot, &err);
    if (!rc)
        rc = run(cli, &o, pot, &r, &err);
    if (!rc)
        rc = gn_rundir_write_steps(o.out, &o.neb, &o.steps, pot->name, &r, &err);
    if (rc) {
        ex = gn_cli_fail(cli, &err);
    } else {
        print_result(&o, &r);
        if (r.first.collapsed)
            gn_cli_log(cli, 1, "neb: the endpoints relaxed into the same minimum (collapsed): "
                       "no barrier\n");
        else if (!r.converged)
            gn_cli_log(cli, 1, "neb: not converged; the bands so far are in %s\n", o.out);
        else if (o.steps.check_order && !r.first_order)
            gn_cli_log(cli, 1, "neb: a climbing image is not a first-order saddle (see "
                       "step_N above)\n");
        ex = run_status(&o, &r);
    }
    gn_steps_result_clear(&r);
    return gn_cli_potential_free(&o.engine, pot, ex);
}
