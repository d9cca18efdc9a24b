/* gapneb tests: structures as LAMMPS data files, for the tests that recompute energies with
 * LAMMPS (header-only). Lengths Å, masses amu. */
#ifndef GN_LAMMPS_H
#define GN_LAMMPS_H

#include <math.h>
#include <stdio.h>
#include "gn_test.h"

/* A LAMMPS data file (atom_style atomic) of a, with ntypes atom types: type k + 1 is the element
 * type_z[k] (every atom's element must be one of them). Periodic directions span the cell
 * (LAMMPS wraps the atoms into it), free ones reach 20 Å beyond the atoms; an orthogonal box
 * unless every direction is periodic. */
static inline void gn_lmp_write_data(const gn_atoms *a, const char *path, int ntypes,
                                     const int *type_z)
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
    fprintf(fp, "gapneb test structure\n\n%zu atoms\n%d atom types\n\n", a->n, ntypes);
    const char *ax[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) {
        /* periodic: the cell (LAMMPS wraps the atoms into it); free: 20 Å of vacuum */
        double l = a->cell.pbc[k] ? 0.0 : lo[k] - 20.0;
        double u = a->cell.pbc[k] ? h[k][k] : hi[k] + 20.0;
        fprintf(fp, "%.16g %.16g %slo %shi\n", l, u, ax[k], ax[k]);
    }
    if (a->cell.pbc[0] && a->cell.pbc[1] && a->cell.pbc[2])
        fprintf(fp, "%.16g %.16g %.16g xy xz yz\n", h[1][0], h[2][0], h[2][1]);
    fprintf(fp, "\nMasses\n\n");
    for (int t = 0; t < ntypes; t++)
        fprintf(fp, "%d %.4f\n", t + 1, gn_element_mass(type_z[t]));
    fprintf(fp, "\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++) {
        int t = 0;
        while (t + 1 < ntypes && type_z[t] != a->z[i])
            t++;
        assert_int_equal(type_z[t], a->z[i]);
        fprintf(fp, "%zu %d %.16g %.16g %.16g\n", i + 1, t + 1, a->pos[3 * i], a->pos[3 * i + 1],
                a->pos[3 * i + 2]);
    }
    fclose(fp);
}

#endif
