/* gapneb: minimisation of an objective by FIRE or by L-BFGS.
 *
 * The minimisers know nothing of atoms or bands: they relax any gn_objective, a vector x of
 * nparticles * dim components with a function that returns the energy (eV) and the force
 * (-gradient, eV/Å) at x. A relaxation of a structure and a whole NEB band are both objectives.
 * Fixed components (mask[k] == 0) never move. Neither minimiser uses the energy to choose its
 * steps (no line search), so a "force" that is not the gradient of the energy, such as the NEB
 * force of a band, is minimised just as well: both drive it to zero.
 * Thread safety: no shared state (each call owns its work arrays); the objective decides what its
 * callback touches (one objective per thread).
 */
#ifndef GAPNEB_MINIMIZE_H
#define GAPNEB_MINIMIZE_H

#include <stddef.h>
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Evaluates energy and forces (-dE/dx) at x. Must fill every component of force (fixed ones are
 * ignored by the minimiser). */
typedef int (*gn_objective_fn)(void *ctx, const double *x, double *energy, double *force,
                               gn_error *err);

typedef struct gn_objective {
    size_t nparticles;            /* number of particles */
    int dim;                      /* components per particle (3 for atoms) */
    const unsigned char *mask;    /* per component (nparticles*dim), 1 = may move; NULL = all */
    gn_objective_fn eval;
    void *ctx;
    /* Optional (may be NULL): the objective increments *version whenever the meaning of its
     * force changes (an NEB band when climbing switches on or moves to another image). L-BFGS
     * then forgets the curvature it learnt, which belonged to the old force; FIRE ignores it. */
    const unsigned *version;
    /* Optional (may be NULL): the energies and forces at two points at once, exactly as eval at
     * xa then at xb, for objectives whose evaluations can run concurrently (an engine pool):
     * the lowest-mode search hands over the two points of each central difference. */
    int (*eval2)(void *ctx, const double *xa, const double *xb, double *ea, double *fa,
                 double *eb, double *fb, gn_error *err);
} gn_objective;

typedef enum gn_fire_variant { GN_FIRE_1 = 1, GN_FIRE_2 = 2 } gn_fire_variant;

/* The minimisers, for callers that let the user choose: "fire" (gn_fire_minimize) or "lbfgs"
 * (gn_lbfgs_minimize). parse returns GN_OK or GN_EINVAL with a message. */
typedef enum gn_minimizer { GN_MIN_FIRE = 0, GN_MIN_LBFGS = 1 } gn_minimizer;
int gn_minimizer_parse(const char *s, gn_minimizer *out, gn_error *err);
const char *gn_minimizer_name(gn_minimizer m);

typedef struct gn_fire_opts {
    gn_fire_variant variant;
    double fmax;      /* converged when every movable particle's |force| < fmax (eV/Å) */
    int max_steps;    /* iteration cap */
    double dt;        /* initial time step (fs-like units of the optimiser) */
    double dt_max;
    double dt_min;    /* FIRE 2.0 only */
    double max_move;  /* maximum displacement of any particle per step (Å) */
    int n_min;        /* FIRE 1: steps after an uphill step before dt grows; FIRE 2: N_delay */
    double f_inc, f_dec, alpha_start, f_alpha;
    int max_uphill;   /* FIRE 2.0: stop after this many consecutive uphill steps */
    /* Called after each accepted step (may be NULL); a non-zero return stops the run. */
    int (*progress)(void *ctx, int step, double energy, double fmax);
    void *progress_ctx;
} gn_fire_opts;

/* The outcome of a minimisation (either minimiser). */
typedef struct gn_min_result {
    int converged;
    int steps;
    unsigned long evals;  /* objective evaluations */
    double energy;        /* at the final x */
    double fmax;          /* at the final x */
    int resets;           /* L-BFGS: memory resets (negative curvature, uphill direction, a changed
                             objective, a step that doubled the force); 0 for FIRE */
    int stalled;          /* L-BFGS: stopped by its patience (see gn_lbfgs_opts) */
} gn_min_result;
typedef gn_min_result gn_fire_result;

/* Published defaults (Bitzek et al. 2006 / Guenole et al. 2020). */
void gn_fire_opts_default(gn_fire_opts *o, gn_fire_variant v);

/* Relaxes x in place. Returns GN_OK whether or not it converged (see res->converged); a non-OK
 * status means the objective failed. */
int gn_fire_minimize(const gn_objective *obj, double *x, const gn_fire_opts *opts,
                     gn_fire_result *res, gn_error *err);

/* L-BFGS without line search, as the "global L-BFGS" NEB optimiser of Sheppard, Terrell and
 * Henkelman, J. Chem. Phys. 128, 134106 (2008): the step is the two-loop L-BFGS product
 * (Nocedal, Math. Comp. 35, 773 (1980); Nocedal and Wright, Numerical Optimization, 2nd ed.,
 * Algorithm 7.4) of the force, scaled down as a whole so that no particle moves more than
 * a cap. The memory is reset (and the step is H0 times the force) when the proposed step points
 * against the force and when the objective's version changes; when the curvature along the last
 * step, s.y, is negative, the memory is reset and the next step goes the cap along the force (the
 * objective keeps falling that way; eOn's L-BFGS does the same). The cap is max_move, halved
 * (and the memory reset) after a step that more than doubled the force norm, and grown back by
 * half after every other step. */
typedef struct gn_lbfgs_opts {
    double fmax;      /* converged when every movable particle's |force| < fmax (eV/Å) */
    int max_steps;    /* iteration cap */
    int memory;       /* (s, y) pairs kept */
    double inv_curv;  /* H0, Å^2/eV: the inverse curvature of the first step and after a reset */
    int auto_scale;   /* 1: H0 = s.y / y.y of the newest pair otherwise (Nocedal-Wright eq. 7.20) */
    double max_move;  /* maximum displacement of any particle per step (Å) */
    int patience;     /* > 0: stop (stalled, not converged) once this many steps have passed
                         without a new lowest fmax and fmax is more than 10 times the lowest (lost,
                         not merely slow), back at the x of the lowest one (evaluated again
                         there), so that a caller can go on with another method; 0: off */
    int (*progress)(void *ctx, int step, double energy, double fmax);
    void *progress_ctx;
} gn_lbfgs_opts;

/* Defaults: fmax 0.01 eV/Å, 1000 steps, memory 20 and inv_curv 0.01 Å^2/eV (eOn's defaults:
 * a curvature of 100 eV/Å^2, stiffer than any bond, so that the first step is short), auto
 * scaling on, max_move 0.2 Å, patience 0 (off). */
void gn_lbfgs_opts_default(gn_lbfgs_opts *o);

/* Relaxes x in place; results and status as gn_fire_minimize. */
int gn_lbfgs_minimize(const gn_objective *obj, double *x, const gn_lbfgs_opts *opts,
                      gn_min_result *res, gn_error *err);

/* A minimiser with its settings bound in ctx, for code that relaxes an objective without caring
 * which minimiser does it (relax.h). */
typedef int (*gn_minimize_fn)(void *ctx, const gn_objective *obj, double *x, gn_min_result *res,
                              gn_error *err);

/* Largest per-particle force norm over movable particles. */
double gn_objective_fmax(const gn_objective *obj, const double *force);

#ifdef __cplusplus
}
#endif
#endif
