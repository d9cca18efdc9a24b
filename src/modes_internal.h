/* gapneb: helpers shared by the full (modes.c) and partial (modes_partial.c) harmonic analyses.
 * Not part of the public API. Units as modes.h. */
#ifndef GAPNEB_MODES_INTERNAL_H
#define GAPNEB_MODES_INTERNAL_H

#include "gapneb/modes.h"

/* Symmetrises H (dim x dim, row major) in place; returns the largest |H_ij - H_ji| before. */
double gn_modes_symmetrise(double *H, size_t dim);

/* Signed frequencies and the negative / zero counts of a set whose lambda is filled. */
void gn_modes_set_classify(gn_modes_set *s, double tol_thz);

/* Vineyard nu* (THz) from a minimum's and a saddle's sets over the same degrees of freedom: the
 * saddle's unstable mode and, in both, the rigid-body modes nearest zero are left out (as many
 * as both n_rigid allow and both sets show within the zero tolerance); every other mode enters
 * the products, soft ones (below the zero tolerance) included. NaN unless the minimum has no
 * negative mode, the saddle exactly one, and every mode that enters is positive. */
double gn_modes_vineyard_thz(const gn_modes_set *min, const gn_modes_set *sad);

/* Options with defaults filled in (opts may be NULL). */
void gn_modes_resolve_opts(const gn_modes_opts *opts, gn_modes_opts *o);

/* The analysis of three structures (initial, saddle, final) with energies e (eV), keeping the
 * three mode sets for the reports (freed by the caller, also on error); mode (3n, may be NULL)
 * receives the saddle's lowest mode as a Cartesian unit vector. */
int gn_modes_analyse_core(const gn_potential *pot, const gn_atoms *const at[3], const double e[3],
                          const gn_modes_opts *o, gn_modes_result *res, gn_modes_set s[3],
                          double *mode, gn_error *err);

/* What the partial analysis found besides the three region sets. */
typedef struct gn_modes_partial_info {
    int order[3];            /* saddle order of initial, saddle, final (lowest-mode search) */
    double lowest_thz[3];    /* the saddle's lowest frequencies found (NaN where none) */
    size_t atoms;            /* region atoms */
    double radius, change;   /* Å; relative prefactor change over the last shell (NaN: none) */
    int converged;
    unsigned long force_calls;
} gn_modes_partial_info;

/* Partial Hessians of the three structures (at: initial, saddle, final) over a region grown to a
 * converged prefactor (modes.h), and the saddle orders over all movable atoms. s[3] receive the
 * region's sets (freed by the caller, also on error); mode (3n, may be NULL) the saddle's lowest
 * mode over all atoms (Cartesian, unit, largest component positive). */
int gn_modes_partial(const gn_potential *pot, const gn_atoms *const at[3], const gn_modes_opts *o,
                     gn_modes_set s[3], gn_modes_partial_info *info, double *mode,
                     gn_error *err);

#endif
