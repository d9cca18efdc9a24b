/* Benchmark: force calls of the NEB band for each optimiser setting one may choose, on one
 * process of one model, from endpoints relaxed beforehand (so that every setting starts from the
 * same minima). Not run by make check. Units: Å, eV, eV/Å, s.
 *
 * Usage: neb_calls [--case C] [--potential P] [--gap D] [--perturb A] [--variants V] [OUTDIR]
 *   --case pt100 (default): the Pt(100) adatom hop of issue 14, a single s2s crystal of 4x4
 *          surface cells and 4 layers, bottom 2 fixed;
 *          s2s-hop, s2s-transfer, e2e-hop: the gap models (default sizes) at --gap D (5.8 Å);
 *   --potential: eam-pt (default), any built-in or a LAMMPS EAM file;
 *   --perturb A: every band starts from IDPP pushed off the mirror planes by A Å (0: none);
 *   --refine N: up to N saddle refinements (neb.h; default 0), whose Hessians count as calls;
 *   --variants default|all: the default settings and L-BFGS only, or every setting below.
 * 5 movable images, fmax 0.01 eV/Å. Writes OUTDIR/initial.xyz and OUTDIR/final.xyz (the relaxed
 * endpoints, for the ASE comparison of neb_calls.sh) and prints one TSV row per setting: case,
 * setting, barrier (eV), converged, iterations, force calls of the band, refinement pushes,
 * negative modes of the climbing image (finite-difference Hessian of the movable atoms: 1 =
 * first-order saddle; its force calls are not counted), wall time (s).
 *
 * neb_calls --saddle-order FILE [--potential P] prints the negative modes of one structure (the
 * climbing image of another code).
 */
#include "gapneb/gapneb.h"
#include "gapneb/io_xyz.h"
#include "gapneb/model.h"
#include "gapneb/modes.h"
#include "gapneb/properties.h"
#include "gapneb/structure.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct variant {
    const char *name;
    int all_only;            /* listed with --variants all only */
    gn_minimizer optimizer;
    gn_fire_variant fire;
    double dt, max_move, climb_fmax;
    int lbfgs_memory;
    double lbfgs_inv_curv;
} variant;

static const variant variants[] = {
    {"FIRE 2.0, dt 0.1, max_move 0.2, climb 0.5", 0, GN_MIN_FIRE, GN_FIRE_2, 0.1, 0.2, 0.5, 20, 0.01},
    {"FIRE 2.0, dt 0.15", 1, GN_MIN_FIRE, GN_FIRE_2, 0.15, 0.2, 0.5, 20, 0.01},
    {"FIRE 2.0, dt 0.05", 1, GN_MIN_FIRE, GN_FIRE_2, 0.05, 0.2, 0.5, 20, 0.01},
    {"FIRE 2.0, max_move 0.1", 1, GN_MIN_FIRE, GN_FIRE_2, 0.1, 0.1, 0.5, 20, 0.01},
    {"FIRE 2.0, climb 0.2", 1, GN_MIN_FIRE, GN_FIRE_2, 0.1, 0.2, 0.2, 20, 0.01},
    {"FIRE 2.0, climb 1.0", 1, GN_MIN_FIRE, GN_FIRE_2, 0.1, 0.2, 1.0, 20, 0.01},
    {"FIRE 2.0, climb from the start", 1, GN_MIN_FIRE, GN_FIRE_2, 0.1, 0.2, 100.0, 20, 0.01},
    {"FIRE 1, dt 0.1", 1, GN_MIN_FIRE, GN_FIRE_1, 0.1, 0.2, 0.5, 20, 0.01},
    {"L-BFGS, memory 20, H0 0.01, max_move 0.2, climb 0.5", 0, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2,
     0.5, 20, 0.01},
    {"L-BFGS, climb 0.2", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 0.2, 20, 0.01},
    {"L-BFGS, climb 1.0", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 1.0, 20, 0.01},
    {"L-BFGS, climb from the start", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 100.0, 20, 0.01},
    {"L-BFGS, memory 5", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 0.5, 5, 0.01},
    {"L-BFGS, memory 50", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 0.5, 50, 0.01},
    {"L-BFGS, H0 0.003", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 0.5, 20, 0.003},
    {"L-BFGS, H0 0.03", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.2, 0.5, 20, 0.03},
    {"L-BFGS, max_move 0.1", 1, GN_MIN_LBFGS, GN_FIRE_2, 0.1, 0.1, 0.5, 20, 0.01},
};

static void die(const char *what, const gn_error *err)
{
    fprintf(stderr, "neb_calls: %s: %s\n", what, err->msg);
    exit(1);
}

/* The endpoints of the case, relaxed to 1e-4 eV/Å (tighter than any band fmax). */
static void endpoints(const char *c, double gap, const gn_potential *pot, gn_atoms **a,
                      gn_atoms **b)
{
    gn_error err;
    double a0;
    if (gn_lattice_constant(pot, pot->z, &a0, &err))
        die("lattice constant", &err);
    gn_model_opts mo;
    gn_process proc = strstr(c, "transfer") ? GN_PROCESS_TRANSFER : GN_PROCESS_HOP;
    gn_model_opts_default(&mo, strncmp(c, "e2e", 3) == 0 ? GN_MODEL_E2E : GN_MODEL_S2S);
    mo.a0 = a0;
    mo.z = pot->z;
    mo.gap = gap;
    if (strcmp(c, "pt100") == 0)
        mo.single = 1;
    else if (strcmp(c, "s2s-hop") && strcmp(c, "s2s-transfer") && strcmp(c, "e2e-hop")) {
        fprintf(stderr, "neb_calls: unknown case '%s' (pt100, s2s-hop, s2s-transfer, e2e-hop)\n",
                c);
        exit(2);
    }
    if (gn_model_process(&mo, proc, a, b, &err))
        die(c, &err);
    gn_fire_opts fo;
    gn_fire_opts_default(&fo, GN_FIRE_1);
    fo.fmax = 1e-4;
    fo.max_steps = 20000;
    gn_fire_result fr;
    if (gn_relax(pot, *a, &fo, &fr, &err) || gn_relax(pot, *b, &fo, &fr, &err))
        die("endpoint relaxation", &err);
}

/* Negative modes of the movable atoms of a. */
static int negative_modes(const gn_potential *pot, const gn_atoms *a)
{
    gn_calc *c;
    gn_error err;
    gn_modes_set ms;
    if (gn_calc_alloc(pot, &c, &err))
        die("calculator", &err);
    if (gn_modes_compute(c, a, 0.0, 0.0, 0, &ms, &err))
        die("saddle check", &err);
    int k = ms.n_negative;
    gn_modes_set_clear(&ms);
    gn_calc_free(c);
    return k;
}

/* Negative modes of the climbing image (-1 if there is none). */
static int saddle_order(const gn_potential *pot, const gn_neb_result *r)
{
    if (r->climb_index <= 0 || (size_t)r->climb_index >= r->nframes)
        return -1;
    return negative_modes(pot, r->band[r->climb_index].atoms);
}

static int print_order(gn_potential *pot, const char *path)
{
    gn_error err;
    gn_atoms *a;
    if (gn_structure_read(path, &a, &err))
        die(path, &err);
    printf("%d\n", negative_modes(pot, a));
    gn_atoms_free(a);
    gn_potential_free(pot);
    return 0;
}

static void write_endpoints(const char *dir, const gn_atoms *a, const gn_atoms *b)
{
    char path[4096];
    gn_error err;
    snprintf(path, sizeof path, "%s/initial.xyz", dir);
    if (gn_structure_write(path, a, &err))
        die(path, &err);
    snprintf(path, sizeof path, "%s/final.xyz", dir);
    if (gn_structure_write(path, b, &err))
        die(path, &err);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"case", required_argument, NULL, 'c'},     {"potential", required_argument, NULL, 'p'},
        {"gap", required_argument, NULL, 'd'},      {"perturb", required_argument, NULL, 'a'},
        {"variants", required_argument, NULL, 'v'}, {"refine", required_argument, NULL, 'r'},
        {"saddle-order", required_argument, NULL, 's'}, {NULL, 0, NULL, 0},
    };
    const char *order_of = NULL;
    int refine = 0;
    const char *cs = "pt100", *potname = "eam-pt", *which = "default";
    double gap = 5.8, perturb = 0.0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': cs = optarg; break;
        case 'p': potname = optarg; break;
        case 'd': gap = atof(optarg); break;
        case 'a': perturb = atof(optarg); break;
        case 'v': which = optarg; break;
        case 'r': refine = atoi(optarg); break;
        case 's': order_of = optarg; break;
        default:
            fprintf(stderr, "usage: neb_calls [--case C] [--potential P] [--gap D] [--perturb A] "
                            "[--variants default|all] [OUTDIR]\n");
            return 2;
        }
    }
    const char *dir = optind < argc ? argv[optind] : ".";
    gn_error err;
    gn_potential *pot = NULL;
    gn_atoms *a = NULL, *b = NULL;
    if (gn_potential_alloc(potname, &pot, &err))
        die(potname, &err);
    if (order_of)
        return print_order(pot, order_of);
    endpoints(cs, gap, pot, &a, &b);
    write_endpoints(dir, a, b);
    int all = strcmp(which, "all") == 0;
    printf("# case\tsetting\tbarrier_eV\tconverged\titerations\tforce_calls\tpushes\tneg_modes\t"
           "wall_s\n");
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        const variant *v = &variants[i];
        if (v->all_only && !all)
            continue;
        gn_neb_opts o;
        gn_neb_opts_default(&o);
        o.nimages = 5;
        o.fmax = 0.01;
        o.relax_endpoints = 0;
        o.optimizer = v->optimizer;
        o.fire = v->fire;
        o.dt = v->dt;
        o.max_move = v->max_move;
        o.climb_fmax = v->climb_fmax;
        o.lbfgs_memory = v->lbfgs_memory;
        o.lbfgs_inv_curv = v->lbfgs_inv_curv;
        o.perturb = perturb;
        o.refine = refine;
        gn_neb_result r;
        if (gn_neb_run(pot, a, b, &o, &r, &err))
            die(v->name, &err);
        printf("%s\t%s\t%.6f\t%d\t%d\t%lu\t%d\t%d\t%.3f\n", cs, v->name, r.barrier_fwd,
               r.converged, r.iterations, r.force_calls, r.refinements, saddle_order(pot, &r),
               r.wall_time);
        fflush(stdout);
        gn_neb_result_clear(&r);
    }
    gn_atoms_free(a);
    gn_atoms_free(b);
    gn_potential_free(pot);
    return 0;
}
