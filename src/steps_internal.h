/* gapneb: the engine behind the steps module (steps.h), shared by the band-layer and the
 * atom-layer entry points. Not installed. Units: as steps.h. */
#ifndef GAPNEB_STEPS_INTERNAL_H
#define GAPNEB_STEPS_INTERNAL_H

#include "gapneb/steps.h"

/* What the splitting needs from a layer. Energies are absolute here; the core makes them
 * relative to the initial state at the end. */
typedef struct gn_steps_engine {
    size_t ndof;
    /* CI-NEB on the band path (m images, the endpoints minima and kept fixed), in place; fills
     * out's nimages, path (a copy), energy, s, f_tan, climb_index, converged, saddle_order (-1
     * when the layer did not check it), refinements, refine_failed, iterations and neb. */
    int (*neb)(void *ctx, size_t m, double *path, gn_step *out, gn_error *err);
    /* Relaxes x (ndof) to a minimum in place. */
    int (*relax)(void *ctx, double *x, double *energy, int *converged, gn_error *err);
    /* Negative curvature modes at x; tangent (ndof) is a start vector. */
    int (*order)(void *ctx, const double *x, const double *tangent, int *order,
                 gn_error *err);
    /* Largest particle displacement between a and b (minimum image where it applies). */
    double (*distance)(void *ctx, const double *a, const double *b);
    /* d = to - from (minimum image where it applies). */
    void (*disp)(void *ctx, const double *from, const double *to, double *d);
    /* Evaluations so far (relaxations, bands and order checks). */
    unsigned long (*calls)(void *ctx);
    void *ctx;
} gn_steps_engine;

/* Splits from the first band (moved into the result as its first step, or freed when split)
 * and fills res. res->first is left to the caller. */
int gn_steps_core(const gn_steps_engine *eng, gn_step *first, const gn_neb_opts *o,
                  const gn_steps_opts *so, gn_steps_result *res, gn_error *err);

/* Frees the arrays of one step (its neb result too) and zeroes it. */
void gn_step_clear(gn_step *st);

/* Allocates nimages-long arrays of st (path: nimages * ndof). */
int gn_step_alloc(gn_step *st, size_t nimages, size_t ndof, gn_error *err);

#endif
