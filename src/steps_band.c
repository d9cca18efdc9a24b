/* gapneb: the steps module on the band layer (generic vectors, analytic surfaces): CI-NEB by
 * gn_band_relax, minima by FIRE on one image's energy, saddle orders by a finite-difference
 * Hessian (few degrees of freedom). Units: the surface's own (Å and eV for atoms). */
#include "steps_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/modes.h"
#include "neb_internal.h"

/* Finite-difference step of the Hessian, in the surface's length unit: small against the
 * curvature scale of the analytic test surfaces (about 0.1) and far above the rounding of
 * their forces. */
#define BAND_HESSIAN_STEP 1e-4
/* Negative modes counted at most: more only tell how far from first order a point is. */
#define BAND_MAX_ORDER 4

typedef struct band_eng {
    const gn_band_system *sys;
    const gn_neb_opts *o;
    const gn_steps_opts *so;
    size_t n;
    unsigned long calls;
} band_eng;

static int obj_eval(void *ctx, const double *x, double *energy, double *force, gn_error *err)
{
    band_eng *b = ctx;
    b->calls++;
    return b->sys->energy(b->sys->ctx, 0, x, energy, force, err);
}

static gn_objective objective(band_eng *b)
{
    return (gn_objective){.nparticles = b->sys->nparticles, .dim = b->sys->dim,
                          .mask = b->sys->mask, .eval = obj_eval, .ctx = b};
}

static void be_disp(void *ctx, const double *from, const double *to, double *d)
{
    const band_eng *b = ctx;
    if (b->sys->displacement) {
        b->sys->displacement(b->sys->ctx, from, to, d);
        return;
    }
    for (size_t k = 0; k < b->n; k++)
        d[k] = to[k] - from[k];
}

static double be_distance(void *ctx, const double *a, const double *c)
{
    const band_eng *b = ctx;
    double *d = malloc(b->n * sizeof *d + 1), best = 0.0;
    if (!d)
        return INFINITY;
    be_disp(ctx, a, c, d);
    for (size_t p = 0; p < b->sys->nparticles; p++) {
        double s = 0.0;
        for (int k = 0; k < b->sys->dim; k++)
            s += d[p * (size_t)b->sys->dim + (size_t)k] * d[p * (size_t)b->sys->dim + (size_t)k];
        best = fmax(best, s);
    }
    free(d);
    return sqrt(best);
}

static int be_neb(void *ctx, size_t m, double *path, gn_step *out, gn_error *err)
{
    band_eng *b = ctx;
    gn_band_eval ev;
    gn_band_result br;
    int rc = gn_step_alloc(out, m, b->n, err);
    if (rc == GN_OK)
        rc = gn_band_eval_init(&ev, m, b->n, err);
    if (rc != GN_OK)
        return rc;
    rc = gn_band_relax(b->sys, m, path, b->o, &ev, &br, err);
    b->calls += br.evals;
    if (rc == GN_OK) {
        memcpy(out->path, path, m * b->n * sizeof *path);
        memcpy(out->energy, ev.energy, m * sizeof *out->energy);
        memcpy(out->s, ev.s, m * sizeof *out->s);
        memcpy(out->f_tan, ev.f_tan, m * sizeof *out->f_tan);
        out->climb_index = br.climb_index;
        out->converged = br.converged;
        out->iterations = br.iterations;
    }
    gn_band_eval_clear(&ev);
    return rc;
}

static int be_relax(void *ctx, double *x, double *energy, int *converged, gn_error *err)
{
    band_eng *b = ctx;
    gn_objective obj = objective(b);
    gn_fire_opts fo;
    gn_neb_fire_opts(b->o, b->o->endpoint_fmax, b->o->endpoint_max_steps, &fo);
    gn_fire_result fr;
    int rc = gn_fire_minimize(&obj, x, &fo, &fr, err);
    if (rc == GN_OK) {
        *energy = fr.energy;
        *converged = fr.converged;
    }
    return rc;
}

static int be_order(void *ctx, const double *x, const double *tangent, int *order,
                    gn_error *err)
{
    (void)tangent;
    band_eng *b = ctx;
    gn_objective obj = objective(b);
    size_t dim = gn_modes_count_dof(&obj);
    double *H = malloc(dim * dim * sizeof *H + 1), *ev = malloc(dim * sizeof *ev + 1);
    double *one = malloc(dim * sizeof *one + 1);
    int rc = H && ev && one ? GN_OK : gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    for (size_t k = 0; rc == GN_OK && k < dim; k++)
        one[k] = 1.0;
    if (rc == GN_OK)
        rc = gn_modes_hessian_obj(&obj, x, BAND_HESSIAN_STEP, H, NULL, err);
    if (rc == GN_OK)
        rc = gn_modes_diagonalise(H, dim, one, ev, NULL, err);
    if (rc == GN_OK) {
        int k = 0;
        while ((size_t)k < dim && k < BAND_MAX_ORDER && ev[k] < -b->so->zero_curv)
            k++;
        *order = k;
    }
    free(H);
    free(ev);
    free(one);
    return rc;
}

static unsigned long be_calls(void *ctx) { return ((band_eng *)ctx)->calls; }

int gn_steps_band_run(const gn_band_system *sys, size_t nimages, const double *path,
                      const gn_neb_opts *o, const gn_steps_opts *so, gn_steps_result *res,
                      gn_error *err)
{
    memset(res, 0, sizeof *res);
    res->rate_step = -1;
    size_t n = sys->nparticles * (size_t)sys->dim;
    int rc = gn_neb_opts_check(o, err);
    if (rc == GN_OK)
        rc = gn_steps_opts_check(so, err);
    if (rc != GN_OK)
        return rc;
    if (nimages < 3)
        return gn_error_set(err, GN_EINVAL, "steps: a band of %zu images (3 or more needed)",
                            nimages);
    band_eng b = {.sys = sys, .o = o, .so = so, .n = n};
    gn_steps_engine eng = {.ndof = n, .neb = be_neb, .relax = be_relax, .order = be_order,
                           .distance = be_distance, .disp = be_disp, .calls = be_calls,
                           .ctx = &b};
    double *work = malloc(nimages * n * sizeof *work);
    if (!work)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    memcpy(work, path, nimages * n * sizeof *work);
    gn_step first;
    memset(&first, 0, sizeof first);
    rc = be_neb(&b, nimages, work, &first, err);
    free(work);
    if (rc == GN_OK)
        rc = gn_steps_core(&eng, &first, o, so, res, err);
    else
        gn_step_clear(&first);
    res->force_calls = b.calls;
    if (rc != GN_OK) {
        unsigned long calls = res->force_calls;
        gn_steps_result_clear(res);
        res->force_calls = calls;
    }
    return rc;
}
