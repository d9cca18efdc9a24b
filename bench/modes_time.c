/* Benchmark: time of the finite-difference Hessian (and its diagonalisation) against the number
 * of movable atoms, on Pt(100) slabs of n x n surface cells, 4 layers, bottom 2 fixed, with an
 * adatom in a hollow. Prints one row per size (best of 3 runs) and the least-squares exponent of
 * time ~ (movable atoms)^p. Usage: modes_time [POTENTIAL] (default eam-pt, else morse-pt).
 * Units: Å, s. */
#include "gapneb/modes.h"
#include "gapneb/potential.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPEAT 3

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int slab(double a0, int n, gn_atoms **out, gn_error *err)
{
    gn_atoms *a;
    int rc = gn_atoms_new(&a, 0, err);
    if (rc)
        return rc;
    double s = a0 / sqrt(2.0), L = n * s;
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    rc = gn_cell_init(&a->cell, h, pbc, err);
    for (int l = 0; l < 4 && rc == GN_OK; l++)
        for (int i = 0; i < n && rc == GN_OK; i++)
            for (int j = 0; j < n && rc == GN_OK; j++) {
                double off = (l % 2) ? 0.0 : 0.5;
                double r[3] = {(i + off) * s, (j + off) * s, l * a0 / 2};
                rc = gn_atoms_push(a, 78, r, l < 2, err);
            }
    double r[3] = {0.5 * s, 0.5 * s, 2 * a0};
    if (rc == GN_OK)
        rc = gn_atoms_push(a, 78, r, 0, err);
    if (rc) {
        gn_atoms_free(a);
        return rc;
    }
    *out = a;
    return GN_OK;
}

int main(int argc, char **argv)
{
    gn_error err;
    gn_potential *pot = NULL;
    const char *name = argc > 1 ? argv[1] : "eam-pt";
    if (gn_potential_create(name, &pot, &err) != GN_OK) {
        fprintf(stderr, "modes_time: %s (falling back to morse-pt)\n", err.msg);
        name = "morse-pt";
        if (gn_potential_create(name, &pot, &err) != GN_OK) {
            fprintf(stderr, "modes_time: %s\n", err.msg);
            return 1;
        }
    }
    printf("# potential %s; Pt(100) slab n x n cells, 4 layers, bottom 2 fixed, + adatom\n", name);
    printf("# n\tatoms\tmovable\tdof\tforce_calls\thessian_s\tdiag_s\ttotal_s\n");
    const int sizes[] = {3, 4, 5, 6, 8};
    const int nsizes = sizeof sizes / sizeof sizes[0];
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int k = 0; k < nsizes; k++) {
        gn_atoms *a;
        gn_calc *c;
        if (slab(3.9201, sizes[k], &a, &err) || gn_calc_new(pot, &c, &err)) {
            fprintf(stderr, "modes_time: %s\n", err.msg);
            return 1;
        }
        /* Best of REPEAT: the machine is shared, the minimum is the least disturbed run. */
        double th = INFINITY, td = INFINITY;
        size_t dim = 0;
        unsigned long calls = 0;
        for (int rep = 0; rep < REPEAT; rep++) {
            double t0 = now(), *H;
            unsigned long c0 = gn_calc_calls(c);
            if (gn_modes_hessian(c, a, GN_MODES_STEP_DEFAULT, &H, &dim, NULL, &err)) {
                fprintf(stderr, "modes_time: %s\n", err.msg);
                return 1;
            }
            calls = gn_calc_calls(c) - c0;
            double t1 = now();
            double *mass = malloc(dim * sizeof *mass), *lam = malloc(dim * sizeof *lam);
            for (size_t i = 0; i < dim; i++)
                mass[i] = 195.08;
            if (gn_modes_diagonalise(H, dim, mass, lam, NULL, &err)) {
                fprintf(stderr, "modes_time: %s\n", err.msg);
                return 1;
            }
            double t2 = now();
            th = fmin(th, t1 - t0);
            td = fmin(td, t2 - t1);
            free(mass);
            free(lam);
            free(H);
        }
        size_t m = dim / 3;
        printf("%d\t%zu\t%zu\t%zu\t%lu\t%.4f\t%.4f\t%.4f\n", sizes[k], a->n, m, dim, calls, th,
               td, th + td);
        double x = log((double)m), y = log(th + td);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        gn_calc_free(c);
        gn_atoms_free(a);
    }
    double p = (nsizes * sxy - sx * sy) / (nsizes * sxx - sx * sx);
    printf("# scaling exponent p (time ~ movable^p, least squares over all sizes): %.2f\n", p);
    gn_potential_free(pot);
    return 0;
}
