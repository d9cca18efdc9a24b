/* gapneb tests: structures as LAMMPS data files, for the tests that recompute energies with
 * LAMMPS (header-only). Lengths Å, masses amu. */
#ifndef GN_LAMMPS_H
#define GN_LAMMPS_H

#include <math.h>
#include <stdio.h>
#include "gn_test.h"

/* A LAMMPS data file (atom_style atomic, one Pt type) of a: periodic directions span the cell
 * (LAMMPS wraps the atoms into it), free ones reach 20 Å beyond the atoms; an orthogonal box
 * unless every direction is periodic. */
static inline void gn_lmp_write_data(const gn_atoms *a, const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    double lo[3] = {1e30, 1e30, 1e30}, hi[3] = {-1e30, -1e30, -1e30};
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], a->pos[3 * i + k]);
            hi[k] = fmax(hi[k], a->pos[3 * i + k]);
        }
    const double (*h)[3] = a->cell.h;
    fprintf(fp, "gapneb test structure\n\n%zu atoms\n1 atom types\n\n", a->n);
    const char *ax[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) {
        /* periodic: the cell (LAMMPS wraps the atoms into it); free: 20 Å of vacuum */
        double l = a->cell.pbc[k] ? 0.0 : lo[k] - 20.0;
        double u = a->cell.pbc[k] ? h[k][k] : hi[k] + 20.0;
        fprintf(fp, "%.16g %.16g %slo %shi\n", l, u, ax[k], ax[k]);
    }
    if (a->cell.pbc[0] && a->cell.pbc[1] && a->cell.pbc[2])
        fprintf(fp, "%.16g %.16g %.16g xy xz yz\n", h[1][0], h[2][0], h[2][1]);
    fprintf(fp, "\nMasses\n\n1 195.08\n\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++)
        fprintf(fp, "%zu 1 %.16g %.16g %.16g\n", i + 1, a->pos[3 * i], a->pos[3 * i + 1],
                a->pos[3 * i + 2]);
    fclose(fp);
}

#endif
