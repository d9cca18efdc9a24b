/* Neighbour-list build time against system size: periodic fcc Pt blocks (a0 = 3.92 Å) and free
 * fcc clusters of 500 to 32000 atoms, cutoff 6.5 Å + skin 1 Å (eam-pt's list). Prints the build
 * time in microseconds per atom (median of 5 builds, CPU time); a flat column means O(N).
 * Usage: bench/nlist_scaling   (after `make bench`). */
#include "gapneb/gapneb.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* n x n x n conventional cells; periodic or a free cluster of the same atoms. */
static gn_atoms *fcc(int n, int periodic, gn_error *err)
{
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    const double a0 = 3.92, L = n * a0;
    gn_atoms *a;
    if (gn_atoms_alloc(&a, 0, err))
        return NULL;
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, L}};
    const double zero[3][3] = {{0}};
    const int pbc[3] = {periodic, periodic, periodic};
    if (gn_cell_init(&a->cell, periodic ? h : zero, pbc, err))
        goto fail;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                for (int b = 0; b < 4; b++) {
                    const double r[3] = {(i + basis[b][0]) * a0, (j + basis[b][1]) * a0,
                                         (k + basis[b][2]) * a0};
                    if (gn_atoms_push(a, 78, r, 0, err))
                        goto fail;
                }
    return a;
fail:
    gn_atoms_free(a);
    return NULL;
}

int main(void)
{
    gn_error err;
    const int sizes[] = {5, 10, 15, 20};
    printf("# %-9s %7s %12s %14s\n", "structure", "atoms", "pairs/atom", "us/atom/build");
    for (int periodic = 1; periodic >= 0; periodic--)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            gn_atoms *a = fcc(sizes[s], periodic, &err);
            gn_nlist *nl;
            if (!a || gn_nlist_alloc(&nl, 6.5, 1.0, &err)) {
                fprintf(stderr, "nlist_scaling: %s\n", err.msg);
                return 1;
            }
            double t[5];
            for (int r = 0; r < 5; r++) {
                gn_nlist_invalidate(nl);
                double t0 = cpu_seconds();
                if (gn_nlist_update(nl, a, &err)) {
                    fprintf(stderr, "nlist_scaling: %s\n", err.msg);
                    return 1;
                }
                t[r] = cpu_seconds() - t0;
            }
            qsort(t, 5, sizeof t[0], cmp_double);
            printf("  %-9s %7zu %12.1f %14.3f\n", periodic ? "periodic" : "cluster", a->n,
                   (double)nl->npairs / (double)a->n, 1e6 * t[2] / (double)a->n);
            gn_nlist_free(nl);
            gn_atoms_free(a);
        }
    return 0;
}
