/* gapneb: minimisation of an objective by FIRE.
 *
 * The minimiser knows nothing of atoms or bands: it relaxes any gn_objective, a vector x of
 * nparticles * dim components with a function that returns the energy (eV) and the force
 * (-gradient, eV/Å) at x. A relaxation of a structure and a whole NEB band are both objectives.
 * Fixed components (mask[k] == 0) never move.
 * Thread safety: no shared state; the objective decides what its callback touches (one objective
 * per thread).
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
} gn_objective;

typedef enum gn_fire_variant { GN_FIRE_1 = 1, GN_FIRE_2 = 2 } gn_fire_variant;

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

typedef struct gn_fire_result {
    int converged;
    int steps;
    unsigned long evals;  /* objective evaluations */
    double energy;        /* at the final x */
    double fmax;          /* at the final x */
} gn_fire_result;

/* Published defaults (Bitzek et al. 2006 / Guenole et al. 2020). */
void gn_fire_opts_default(gn_fire_opts *o, gn_fire_variant v);

/* Relaxes x in place. Returns GN_OK whether or not it converged (see res->converged); a non-OK
 * status means the objective failed. */
int gn_fire_minimize(const gn_objective *obj, double *x, const gn_fire_opts *opts,
                     gn_fire_result *res, gn_error *err);

/* Largest per-particle force norm over movable particles. */
double gn_objective_fmax(const gn_objective *obj, const double *force);

#ifdef __cplusplus
}
#endif
#endif
