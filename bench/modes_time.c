/* Benchmark: time of the finite-difference Hessian (and its diagonalisation) against the number
 * of movable atoms, on Pt(100) slabs of n x n surface cells, 4 layers, bottom 2 fixed, with an
 * adatom in a hollow. Prints one row per size (best of 3 runs) and the least-squares exponent of
 * time ~ (movable atoms)^p. Usage: modes_time [POTENTIAL] (default eam-pt, else morse-pt).
 * Units: Å, s. */
#include "gapneb/model.h"
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

/* A single Pt(100) slab of n x n cells and 4 layers (bottom 2 fixed) with an adatom in a hollow. */
static int slab(double a0, int n, gn_atoms **out, gn_error *err)
{
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_S2S);
    o.single = 1;
    o.a0 = a0;
    o.n = n;
    return gn_model_with_adatom(&o, "A100:0", out, err);
}

int main(int argc, char **argv)
{
    gn_error err;
    gn_potential *pot = NULL;
    const char *name = argc > 1 ? argv[1] : "eam-pt";
    if (gn_potential_alloc(name, &pot, &err) != GN_OK) {
        fprintf(stderr, "modes_time: %s (falling back to morse-pt)\n", err.msg);
        name = "morse-pt";
        if (gn_potential_alloc(name, &pot, &err) != GN_OK) {
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
        if (slab(3.9201, sizes[k], &a, &err) || gn_calc_alloc(pot, &c, &err)) {
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
