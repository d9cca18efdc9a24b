/* Benchmark: microseconds per atom per energy+force call (Å, eV, eV/Å).
 *
 *   force_eval --structure S --potential NAME|FILE [--calls N] [--threads T] [--clock cpu|wall]
 *       times N calls of gn_calc_compute with T threads per call (gn_calc_set_threads) and
 *       prints "us_per_atom_call <value>" (and the atom count and energy on stderr); the time is
 *       the process's CPU time (default: what one core spends, robust to a loaded machine) or the
 *       wall time (for the speed-up of several threads);
 *   force_eval --structure S --write-data FILE
 *       writes the structure as a LAMMPS data file (atom_style atomic) for bench/force_eval.sh;
 *   force_eval --write-setfl FILE
 *       writes eam-pt as a setfl file with the default table sizes.
 *
 * Structures, both from the potential's own a0 (eam-pt's, for the data files):
 *   gap:  two Pt(100) slabs of 4x4 surface cells (edges along [110], [1-10], length 4 a0/sqrt2)
 *         and 4 layers facing each other across a 5 Å gap (B the mirror of A, in hollow registry),
 *         plus an adatom in a hollow of A: 129 atoms, periodic in x and y, free along z;
 *   bulk: 10x10x10 conventional fcc cells, 4000 atoms, periodic;
 *   bulk10k, bulk100k: 14^3 and 30^3 cells, 10976 and 108000 atoms, periodic.
 * Between calls the positions alternate between two sets 1e-3 Å apart, so the neighbour list's
 * displacement check runs every call (as in an MD step) without forcing rebuilds.
 */
#include "gapneb/gapneb.h"
#include "gapneb/model.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PT 78

static void die(const gn_error *err)
{
    fprintf(stderr, "force_eval: %s\n", err->msg);
    exit(1);
}

static void push(gn_atoms *a, double x, double y, double z)
{
    gn_error err;
    double r[3] = {x, y, z};
    if (gn_atoms_push(a, PT, r, 0, &err))
        die(&err);
}

/* The default s2s gap model at d = 5 Å (two 4x4x4 Pt(100) slabs, hollow registry) with an
 * adatom on A100:0: 129 atoms, free along z. */
static gn_atoms *gap_model(double a0)
{
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_S2S);
    o.a0 = a0;
    o.gap = 5.0;
    gn_atoms *a;
    gn_error err;
    if (gn_model_with_adatom(&o, "A100:0", &a, &err))
        die(&err);
    return a;
}

static gn_atoms *bulk_block(double a0, int n)
{
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    gn_atoms *a;
    gn_error err;
    if (gn_atoms_alloc(&a, 0, &err))
        die(&err);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                for (int b = 0; b < 4; b++)
                    push(a, (i + basis[b][0]) * a0, (j + basis[b][1]) * a0,
                         (k + basis[b][2]) * a0);
    double h[3][3] = {{n * a0, 0, 0}, {0, n * a0, 0}, {0, 0, n * a0}};
    const int pbc[3] = {1, 1, 1};
    if (gn_cell_init(&a->cell, h, pbc, &err))
        die(&err);
    return a;
}

static gn_atoms *build(const char *structure, const gn_potential *p)
{
    gn_error err;
    double a0;
    if (gn_lattice_constant(p, PT, &a0, &err))
        die(&err);
    if (strcmp(structure, "gap") == 0)
        return gap_model(a0);
    if (strcmp(structure, "bulk") == 0)
        return bulk_block(a0, 10);
    if (strcmp(structure, "bulk10k") == 0)
        return bulk_block(a0, 14);
    if (strcmp(structure, "bulk100k") == 0)
        return bulk_block(a0, 30);
    fprintf(stderr, "force_eval: --structure must be gap, bulk, bulk10k or bulk100k\n");
    exit(2);
}

static void write_data(const gn_atoms *a, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(3);
    }
    double lo = 1e30, hi = -1e30;
    for (size_t i = 0; i < a->n; i++) {
        lo = fmin(lo, a->pos[3 * i + 2]);
        hi = fmax(hi, a->pos[3 * i + 2]);
    }
    fprintf(fp, "gapneb force_eval structure\n\n%zu atoms\n1 atom types\n\n", a->n);
    fprintf(fp, "0 %.16g xlo xhi\n0 %.16g ylo yhi\n", a->cell.h[0][0], a->cell.h[1][1]);
    if (a->cell.pbc[2])
        fprintf(fp, "0 %.16g zlo zhi\n", a->cell.h[2][2]);
    else
        fprintf(fp, "%.16g %.16g zlo zhi\n", lo - 20.0, hi + 20.0);
    fprintf(fp, "\nMasses\n\n1 195.08\n\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++)
        fprintf(fp, "%zu 1 %.16g %.16g %.16g\n", i + 1, a->pos[3 * i], a->pos[3 * i + 1],
                a->pos[3 * i + 2]);
    if (fclose(fp)) {
        perror(path);
        exit(3);
    }
}

/* CPU time of this process by default: the benchmark machine is shared, and wall time would
 * measure the load of others (force_eval.sh converts LAMMPS's wall "Loop time" with its "% CPU
 * use"); wall time for the speed-up of several threads, whose CPU times add up. */
static double now(int wall)
{
    struct timespec t;
    clock_gettime(wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void time_calls(gn_potential *p, gn_atoms *a, int calls, int threads, int wall)
{
    gn_calc *c;
    gn_error err;
    if (gn_calc_alloc(p, &c, &err) || gn_calc_set_threads(c, threads, &err))
        die(&err);
    double *f = malloc(3 * a->n * sizeof *f), *x0 = malloc(3 * a->n * sizeof *x0), e = 0;
    memcpy(x0, a->pos, 3 * a->n * sizeof *x0);
    if (gn_calc_compute(c, a, &e, f, NULL, &err)) /* first call builds the list */
        die(&err);
    double t0 = now(wall);
    for (int k = 0; k < calls; k++) {
        double d = (k % 2) ? 1e-3 : 0.0;
        for (size_t i = 0; i < 3 * a->n; i++)
            a->pos[i] = x0[i] + d;
        if (gn_calc_compute(c, a, &e, f, NULL, &err))
            die(&err);
    }
    double dt = now(wall) - t0;
    fprintf(stderr, "force_eval: %s, %zu atoms, %d calls, %d threads, E/N %.6f eV\n", p->name,
            a->n, calls, threads, e / a->n);
    printf("us_per_atom_call %.6f\n", dt / calls / a->n * 1e6);
    free(f);
    free(x0);
    gn_calc_free(c);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"structure", required_argument, NULL, 's'}, {"potential", required_argument, NULL, 'p'},
        {"calls", required_argument, NULL, 'n'},     {"write-data", required_argument, NULL, 'd'},
        {"write-setfl", required_argument, NULL, 'w'}, {"threads", required_argument, NULL, 't'},
        {"clock", required_argument, NULL, 'k'},     {NULL, 0, NULL, 0},
    };
    const char *structure = "gap", *pot = "eam-pt", *data = NULL, *setfl = NULL;
    int calls = 1000, threads = 1, wall = 0, opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 's': structure = optarg; break;
        case 'p': pot = optarg; break;
        case 'n': calls = atoi(optarg); break;
        case 'd': data = optarg; break;
        case 'w': setfl = optarg; break;
        case 't': threads = atoi(optarg); break;
        case 'k': wall = strcmp(optarg, "wall") == 0; break;
        default:
            fprintf(stderr, "usage: force_eval [--structure gap|bulk|bulk10k|bulk100k] "
                            "[--potential P] [--calls N] [--threads T] [--clock cpu|wall] "
                            "[--write-data FILE] [--write-setfl FILE]\n");
            return 2;
        }
    }
    gn_potential *p;
    gn_error err;
    if (gn_potential_alloc(setfl || data ? "eam-pt" : pot, &p, &err))
        die(&err);
    if (setfl) {
        if (gn_pot_eam_write_setfl(p, setfl, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_RHOMAX,
                                   GN_EAM_SETFL_NR, &err))
            die(&err);
        gn_potential_free(p);
        return 0;
    }
    gn_atoms *a = build(structure, p);
    if (data)
        write_data(a, data);
    else
        time_calls(p, a, calls > 0 ? calls : 1, threads, wall);
    gn_atoms_free(a);
    gn_potential_free(p);
    return 0;
}
