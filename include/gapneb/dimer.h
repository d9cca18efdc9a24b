/* gapneb: the dimer method, a first-order saddle search from one point (min-mode following).
 *
 * Units: those of the objective (minimize.h): for atoms positions Å, energies eV, forces eV/Å,
 * curvatures eV/Å^2; analytic test surfaces use their own.
 *
 * Method: the dimer of Henkelman and Jónsson (J. Chem. Phys. 111, 7010 (1999)) with the
 * improvements of Heyden, Bell and Keil (J. Chem. Phys. 123, 224101 (2005)) and Kästner and
 * Sherwood (J. Chem. Phys. 128, 014106 (2008)):
 * - one-sided dimer: forces at the centre x and at x + sep N (N the unit orientation); the
 *   curvature along N is C = (F(x) - F(x + sep N)).N / sep;
 * - rotation: N turns in the plane of N and a search direction Theta (conjugate directions of the
 *   rotational force, Polak-Ribière); a trial rotation by the angle Heyden's first-order estimate
 *   gives, then the angle that minimises the fitted C(phi) = a0/2 + a1 cos 2phi + b1 sin 2phi, with
 *   the force at the rotated end interpolated, not recomputed (1 force call per rotation); rotation
 *   stops when the estimated angle is below rot_tol or after rot_max rotations;
 * - translation: L-BFGS on the modified force F+ = F - 2 (F.N) N where C < 0 (the force with its
 *   component along the lowest mode inverted: the saddle is a minimum of this field), and a fixed
 *   step uphill along N where C >= 0 (the dimer is still in the convex basin, F+ = -(F.N) N; the
 *   L-BFGS memory is dropped there); every step is scaled so that no particle moves more than
 *   max_step. Converged when every movable particle's |F| < fmax and C < 0.
 *
 * Why the dimer's own rotation inside the translation loop, not the Lanczos routine (lowmode.h):
 * the dimer carries its orientation from step to step and pays 1 force call per rotation, usually
 * 0-2 rotations a step once the mode is found; a Lanczos solve from the previous mode costs at
 * least 10 force calls (5 iterations) plus its deflation restart. Measured (bench/search.sh,
 * Pt(100) adatom, eam-pt, 20 searches): a median of 100 force calls per converged saddle with
 * the rotation, 1226 with mode_solver = GN_DIMER_LANCZOS (the Lanczos routine at every step);
 * a Lanczos initial mode (init_lowmode) costs about 100 more calls a search and finds no more
 * connected saddles per force call (18 of 20 against 15 of 20, at twice the calls). So the
 * Lanczos routine is used where a full solve pays: by the callers, to check the saddle order of
 * a converged saddle and give the push direction (gn_lowmode_saddle_order); the two options stay
 * for such comparisons.
 *
 * Thread safety: no shared state; each call uses only the objective passed in (one objective per
 * thread).
 */
#ifndef GAPNEB_DIMER_H
#define GAPNEB_DIMER_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/minimize.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_dimer_solver {
    GN_DIMER_ROTATE = 0,  /* the dimer rotation (default) */
    GN_DIMER_LANCZOS = 1  /* the lowest-mode Lanczos routine at every translation step */
} gn_dimer_solver;

typedef struct gn_dimer_opts {
    double sep;          /* distance from the centre to the dimer's end (default 0.01, as eOn
                            and VASP) */
    double fmax;         /* convergence: every movable particle's |F| below this (0.01) */
    int max_steps;       /* translation steps (default 500) */
    double max_step;     /* largest particle displacement per translation step (0.2) */
    double convex_step;  /* particle displacement of a step in the convex region (0.1) */
    int rot_max;         /* rotations per translation step (default 4) */
    double rot_tol;      /* stop rotating below this estimated angle, rad (default 0.0873 =
                            5 degrees, eOn's converged_angle) */
    int lbfgs_memory;    /* L-BFGS pairs kept (default 10) */
    double max_rise;     /* give up once E - E(start) exceeds this (default 0: never) */
    int init_lowmode;    /* 1: start from the lowest Hessian mode at the start (Lanczos, the
                            given mode as its guess) instead of the given mode (default 0) */
    gn_dimer_solver mode_solver; /* default GN_DIMER_ROTATE */
    unsigned long seed;  /* random orientation when none is given, Lanczos starts (default 1) */
} gn_dimer_opts;

void gn_dimer_opts_default(gn_dimer_opts *o);

/* Why a search stopped. */
typedef enum gn_dimer_stop {
    GN_DIMER_CONVERGED = 0, /* |F| < fmax everywhere with C < 0 */
    GN_DIMER_MAX_STEPS = 1, /* the translation cap */
    GN_DIMER_RISE = 2       /* the energy rose more than max_rise above the start */
} gn_dimer_stop;

typedef struct gn_dimer_result {
    int converged;           /* stop == GN_DIMER_CONVERGED */
    gn_dimer_stop stop;
    int steps;               /* translation steps */
    int rotations;           /* trial rotations (each one force call) */
    unsigned long evals;     /* objective evaluations, all of them */
    double energy;           /* at the final x */
    double fmax;             /* largest movable particle |F| at the final x */
    double curvature;        /* C along the final mode */
} gn_dimer_result;

/* Searches a first-order saddle from x (modified in place: the final point). mode (nparticles *
 * dim numbers) is the initial orientation on input (zero or NULL: a seeded random one; components
 * on fixed particles are ignored) and, when not NULL, receives the final unit orientation (zero
 * on fixed components). Not converging is res->converged = 0 with GN_OK; a non-OK status means
 * the objective failed or an argument is invalid. o may be NULL (defaults). */
int gn_dimer_search(const gn_objective *obj, double *x, double *mode, const gn_dimer_opts *o,
                    gn_dimer_result *res, gn_error *err);

/* "converged", "step cap", "energy rise". */
const char *gn_dimer_stop_name(gn_dimer_stop s);

#ifdef __cplusplus
}
#endif
#endif
