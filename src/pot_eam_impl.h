/* gapneb: EAM internals shared by pot_eam.c (evaluation, analytic Zhou Pt, setfl writer) and
 * pot_eam_file.c (LAMMPS funcfl/setfl reading). Lengths Å, energies eV. Not installed. */
#ifndef GAPNEB_POT_EAM_IMPL_H
#define GAPNEB_POT_EAM_IMPL_H

#include "gapneb/element.h"
#include "gapneb/pot_eam.h"

/* Tables on a common grid with per-interval cubic coefficients, laid out as LAMMPS pair_eam's
 * spline arrays (7 numbers per grid point: 0..2 derivative, 3..6 value), but 0-based. */
typedef struct gn_eam_tab {
    int nel;            /* elements in the file */
    int *z;             /* nel atomic numbers */
    double *lattice;    /* nel lattice constants as written in the file (Å), informational */
    int nrho, nr;
    double drho, dr, rdrho, rdr;
    double rhomax;      /* beyond it F is extended linearly (as LAMMPS does) */
    double *frho;       /* nel * nrho * 7 */
    double *rhor;       /* nel * nr * 7: density of an atom of element e */
    double *z2r;        /* nel(nel+1)/2 * nr * 7: r * phi for pair (a >= b) at a(a+1)/2 + b */
} gn_eam_tab;

typedef struct gn_eam {
    int analytic;            /* 1: Zhou 2004 Pt, else tab */
    double cut;              /* Å */
    int zmap[GN_Z_MAX + 1];  /* element index of an atomic number, -1 if absent */
    gn_eam_tab tab;
} gn_eam;

/* Builds per-interval cubic coefficients from n >= 5 values y on spacing delta, exactly as LAMMPS
 * PairEAM::interpolate does (finite-difference slopes). spl has 7 * n doubles. */
void gn_eam_spline(int n, double delta, const double *y, double *spl);

/* Allocates the tables of t for t->nel, t->nrho, t->nr (already set). */
int gn_eam_tab_alloc(gn_eam_tab *t, gn_error *err);
void gn_eam_tab_release(gn_eam_tab *t);

/* Wraps a filled gn_eam into a gn_potential (takes ownership of e, frees it on failure). */
int gn_eam_wrap(gn_eam *e, const char *name, const char *description, int z,
                gn_potential **out, gn_error *err);

#endif
