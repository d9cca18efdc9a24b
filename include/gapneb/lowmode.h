/* gapneb: the lowest curvature modes of a structure from force calls only, without building the
 * Hessian: the one lowest-mode routine that the saddle-order check, the saddle refinement push,
 * the dimer saddle search and the large-model modes share.
 *
 * Units: positions Å, forces eV/Å, masses amu. Curvatures are eigenvalues of the (optionally
 * mass-weighted) Hessian: eV/Å^2 unweighted, eV/(Å^2 amu) mass-weighted; frequencies THz (signed,
 * negative = imaginary, as modes.h).
 *
 * Method: Lanczos on the Hessian restricted to the movable components, with each Hessian-vector
 * product H v taken as a central finite difference of the forces along v,
 *   H v = -(F(x + h v) - F(x - h v)) / (2 h),   |v| = 1,
 * i.e. 2 force calls per iteration whatever the number of atoms, with full reorthogonalisation of
 * the Lanczos vectors (memory: iterations x dof numbers, O(N)). The tridiagonal matrix is
 * diagonalised after every iteration (LAPACKE_dstev); a Ritz pair is converged when its residual
 * bound |beta_k s_k| is below tol times the spread of the Ritz values (or zero: an invariant
 * Krylov space, after which the iteration goes on from a random vector orthogonal to it). One
 * Krylov space holds only one vector of each eigenspace, so a degenerate pair (an adatom at a
 * 4-fold site: x and y) would show once: after the first pass converges, Lanczos restarts from a
 * random vector orthogonal to the pairs found (deflation) and adds its lowest converged pair
 * while that changes the answer (a saddle order: another unstable mode; otherwise a value below
 * the highest one kept by more than the tolerance), at most nmodes restarts.
 *
 * Typical cost, 2 force calls per iteration, all passes: the saddle order of a Pt slab with an
 * adatom at a minimum, a first-order and a (degenerate) second-order saddle takes 24, 30 and 46
 * iterations (65 atoms), the bridge saddle 30 and 39 iterations with 65 and 257 atoms
 * (tests/test_lowmode.c), the s2s hop saddle 38 to 42 with 769 to 3073 atoms: it grows slowly
 * with the density of slab modes above the threshold, not with the number of atoms as such. The
 * two lowest pairs to the default tolerance take 50-80 iterations (a second pair deep in the
 * dense band of slab modes converges slowly, and more slowly the bigger the slab).
 *
 * Mass weighting (dof_mass given) runs Lanczos on M^-1/2 H M^-1/2, whose eigenvalues give the
 * vibrational frequencies; the number of negative eigenvalues is the same either way (Sylvester's
 * law of inertia), so the saddle order does not depend on the weighting.
 *
 * Thread safety: no shared state; each call uses only the objective passed in (one objective per
 * thread, as for the minimiser).
 */
#ifndef GAPNEB_LOWMODE_H
#define GAPNEB_LOWMODE_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_lowmode_opts {
    int nmodes;           /* lowest eigenpairs wanted (default 1) */
    double step;          /* finite-difference step h, Å (default GN_MODES_STEP_DEFAULT, 0.005) */
    double tol;           /* relative residual tolerance of a Ritz pair (default 1e-3) */
    int max_iter;         /* Lanczos iterations cap per pass (default 60; stops earlier when
                             converged) */
    const double *guess;  /* start vector over all components of x (may be NULL: a seeded
                             pseudo-random start); e.g. the NEB tangent or a previous mode */
    unsigned long seed;   /* seed of the random start (default 1): same seed, same result */
    const double *dof_mass; /* per component of x, amu, or NULL for the plain Hessian */
} gn_lowmode_opts;

void gn_lowmode_opts_default(gn_lowmode_opts *o);

typedef struct gn_lowmode_result {
    size_t ncomp;         /* components of x (nparticles * dim); modes are given over all of
                             them, zero on fixed components */
    int nmodes;           /* eigenpairs returned (<= opts->nmodes) */
    double *value;        /* nmodes eigenvalues, ascending: eV/Å^2, or eV/(Å^2 amu) weighted */
    double *freq_thz;     /* nmodes signed frequencies (THz) when mass-weighted, else NaN */
    double *mode;         /* nmodes x ncomp unit vectors (mode k at mode + k * ncomp); in
                             Cartesian coordinates (the mass weighting undone, renormalised) */
    int converged;        /* every returned pair met the tolerance */
    int iterations;       /* Lanczos iterations of all passes (force calls / 2) */
    unsigned long force_calls;
} gn_lowmode_result;

/* Lowest eigenpairs of the Hessian of obj at x (only components with mask 1 move; o may be NULL:
 * defaults). x is not modified; obj is evaluated at x +- h d only. Allocates res's arrays:
 * release with gn_lowmode_result_clear (also after an error). */
int gn_lowmode_obj(const gn_objective *obj, const double *x, const gn_lowmode_opts *o,
                   gn_lowmode_result *res, gn_error *err);

/* The same for the movable atoms of a with calculator c (mass-weighted with the atoms' masses
 * when o->dof_mass is NULL and mass_weighted is set; o may be NULL). a is not modified. */
int gn_lowmode_atoms(gn_calc *c, const gn_atoms *a, int mass_weighted, const gn_lowmode_opts *o,
                     gn_lowmode_result *res, gn_error *err);

void gn_lowmode_result_clear(gn_lowmode_result *res);

/* Saddle order of a stationary point: the number of mass-weighted modes with frequency below
 * -zero_tol_thz (<= 0: GN_MODES_ZERO_TOL_THZ), counting up to max_order (the search for more
 * modes stops once a converged mode at or above -zero_tol_thz is found). 0 = a minimum, 1 = a
 * first-order saddle. o (may be NULL: defaults) sets step, tolerance, cap, seed and guess (e.g.
 * the NEB tangent or the previous unstable mode); its nmodes and dof_mass are ignored (max_order
 * + 1 modes, the atoms' masses). The unstable pairs are converged to the tolerance (their vectors
 * serve as push directions); the first stable pair only until its sign is settled (theta - r at
 * or above the threshold, r its residual bound), which is what keeps the cost independent of the
 * number of atoms. res (may be NULL) receives the modes found, lowest first: the unstable ones,
 * then that first stable one (its value an upper bound) when the search ended on it. If the cap is
 * reached first (res->converged = 0), *order counts the Ritz values below the threshold, a lower
 * bound (Ritz values lie above the eigenvalues they approach). */
int gn_lowmode_saddle_order(gn_calc *c, const gn_atoms *a, const gn_lowmode_opts *o,
                            double zero_tol_thz, int max_order, int *order,
                            gn_lowmode_result *res, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
