/* gapneb: a set of atoms and a potential seen as an objective for the minimiser, and structure
 * relaxation with FIRE or L-BFGS. Units: Å, eV, eV/Å.
 *
 * The minimiser (minimize.h) knows nothing of atoms; this module is the one place that turns
 * atoms + a gn_calc into a gn_objective (positions as x, fixed atoms masked out), used by
 * endpoint relaxations, the clean-model relaxations of the table, surface energies and the
 * finite-difference Hessian.
 * Thread safety: gn_relax makes its own calculator; gn_relax_calc uses the caller's (one per
 * thread).
 */
#ifndef GAPNEB_RELAX_H
#define GAPNEB_RELAX_H

#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* obj evaluates the energy and forces of atoms with its positions replaced by x (3n numbers;
 * the atoms' positions are overwritten at each evaluation). mask marks movable atoms. The struct
 * must stay where it was initialised: obj.ctx points to it. */
typedef struct gn_atoms_objective {
    gn_objective obj;
    gn_calc *calc;
    gn_atoms *atoms;
    unsigned char *mask;
    gn_atoms *second; /* with a potential that evaluates concurrently: the second structure of
                         obj.eval2 (owned) */
} gn_atoms_objective;

int gn_atoms_objective_init(gn_atoms_objective *ao, gn_calc *calc, gn_atoms *atoms,
                            gn_error *err);
void gn_atoms_objective_clear(gn_atoms_objective *ao);

/* FIRE defaults for structure relaxation: FIRE 2.0, fmax 0.005 eV/Å, 2000 steps. */
void gn_relax_opts_default(gn_fire_opts *fo);

/* Relaxes a in place with an existing calculator (fixed atoms stay put). fo NULL: the defaults
 * above. res->evals counts the force calls; not converging is res->converged = 0 with GN_OK.
 * energy (may be NULL) receives the energy of the final structure. */
int gn_relax_calc(gn_calc *calc, gn_atoms *a, const gn_fire_opts *fo, gn_fire_result *res,
                  double *energy, gn_error *err);

/* The same with any minimiser: minimize(ctx, objective, x, res, err). */
int gn_relax_calc_with(gn_calc *calc, gn_atoms *a, gn_minimize_fn minimize, void *ctx,
                       gn_min_result *res, double *energy, gn_error *err);

/* The same with a calculator of its own (thread-safe for a shared potential). */
int gn_relax(const gn_potential *pot, gn_atoms *a, const gn_fire_opts *fo, gn_fire_result *res,
             gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
