/* gapneb: initial NEB bands between two endpoint structures. Positions in Å.
 *
 * A band is stored as nimages_total * 3n numbers (endpoints first and last). The final endpoint
 * is placed at initial + minimum-image displacement per atom, so that a hop across a periodic
 * boundary is a short move, not a flight through the cell. Fixed atoms are interpolated linearly
 * (they stay put when both endpoints agree).
 *
 * IDPP: image dependent pair potential (Smidstrup, Pedersen, Stokbro and Jonsson, J. Chem. Phys.
 * 140, 214106 (2014)): every image is relaxed, as a NEB band, on the objective
 * S = sum_{i<j} w(d_ij) (d_ij^target - d_ij)^2, w(d) = 1/d^4, with the target distances
 * interpolated linearly between the endpoints' (minimum-image) distances.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_INTERPOLATE_H
#define GAPNEB_INTERPOLATE_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/neb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* path: (nimages + 2) * 3 * a->n numbers, filled. nimages = movable images. */
int gn_interp_linear(const gn_atoms *initial, const gn_atoms *final, int nimages, double *path,
                     gn_error *err);

typedef struct gn_idpp_opts {
    double fmax;      /* convergence of the IDPP band, in the objective's units (Å^-3); default
                         0.01: between metal atoms (d ~ 2.8 Å, w ~ 0.016) forces are small */
    int max_steps;    /* default 500 */
    double k;         /* spring constant of the IDPP band (default 5) */
    double max_move;  /* Å per step (default 0.1) */
    double cutoff;    /* pairs farther than this in both endpoints are ignored, Å (default 8;
                         0 = all pairs) */
} gn_idpp_opts;

void gn_idpp_opts_default(gn_idpp_opts *o);

/* IDPP band; starts from the linear band. o may be NULL (defaults); evals (may be NULL)
 * receives the number of image evaluations. */
int gn_interp_idpp(const gn_atoms *initial, const gn_atoms *final, int nimages, double *path,
                   const gn_idpp_opts *o, unsigned long *evals, gn_error *err);

/* The IDPP objective S (Å^-2) of one configuration x (3n, Å) at path fraction t in [0, 1] and
 * its force -dS/dx (Å^-3), over the same pairs gn_interp_idpp uses (cutoff in Å, 0 = all). For
 * tests and diagnostics. */
int gn_idpp_objective(const gn_atoms *initial, const gn_atoms *final, double cutoff, double t,
                      const double *x, double *s, double *force, gn_error *err);

/* Dispatches on method. */
int gn_interp_band(const gn_atoms *initial, const gn_atoms *final, int nimages, gn_interp method,
                   double *path, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
