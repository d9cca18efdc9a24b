/* gapneb: the dimer saddle search over a gn_objective (include/gapneb/dimer.h). Units are the
 * objective's: Å, eV, eV/Å and eV/Å^2 for atoms.
 *
 * Rotation (Heyden, Bell and Keil, J. Chem. Phys. 123, 224101 (2005), section II.B): with
 * Theta the unit search direction perpendicular to N, the curvature of the rotated dimer
 * N(phi) = N cos phi + Theta sin phi is, for a quadratic surface, exactly
 *     C(phi) = a0/2 + a1 cos 2phi + b1 sin 2phi,   C(0) = C0,   C'(0) = 2 b1 = -2 Theta.(F1 - F0)/sep.
 * A trial rotation by phi1 = -atan(C'(0) / (2 |C0|)) / 2 gives C1 = C(phi1), hence a1 and a0; the
 * minimising angle is atan(b1 / a1) / 2 (or that plus pi/2), and the force at the rotated end is
 *     F1(phi) = F0 + [sin(phi1 - phi) (F1 - F0) + sin(phi) (F1(phi1) - F0)] / sin(phi1),
 * exact for a quadratic, so a rotation costs one force call.
 *
 * Translation (Kästner and Sherwood, J. Chem. Phys. 128, 014106 (2008), section II.C): L-BFGS on
 * the modified force F+ = F - 2 (F.N) N while C < 0, with the pairs s = x_k+1 - x_k,
 * y = -(F+_k+1 - F+_k) (F+ is minus the gradient of the surface with its lowest mode flipped, a
 * function that has a minimum at the saddle); a pair with s.y <= 0, a direction that does not go
 * along F+ and a change of the sign of C drop the memory. Where C >= 0 the dimer climbs along N
 * by a fixed step (Henkelman and Jónsson 1999, eq. 6 and the text after it). */
#include "gapneb/dimer.h"
#include "gapneb/lowmode.h"
#include "vec_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void gn_dimer_opts_default(gn_dimer_opts *o)
{
    memset(o, 0, sizeof *o);
    o->sep = 0.01;
    o->fmax = 0.01;
    o->max_steps = 500;
    o->max_step = 0.2;
    o->convex_step = 0.1;
    o->rot_max = 4;
    o->rot_tol = 5.0 * M_PI / 180.0;
    o->lbfgs_memory = 10;
    o->max_rise = 0.0;
    o->init_lowmode = 0;
    o->mode_solver = GN_DIMER_ROTATE;
    o->seed = 1;
}

const char *gn_dimer_stop_name(gn_dimer_stop s)
{
    switch (s) {
    case GN_DIMER_CONVERGED: return "converged";
    case GN_DIMER_MAX_STEPS: return "step cap";
    case GN_DIMER_RISE: return "energy rise";
    }
    return "?";
}

typedef struct dimer {
    const gn_objective *obj;
    const gn_dimer_opts *o;
    size_t n;
    double *x, *N, *F0, *F1, *Ft, *Nt, *theta, *xt, *g, *g_old, *dir, *fd, *s, *y;
    double E0, C;
    unsigned long evals;
    int rotations;
    int first;         /* no orientation made yet */
    uint64_t rng;
    /* L-BFGS memory: ring of m pairs */
    int m, nmem, head;
    double *S, *Y, *rho, *alpha;
    double *x_prev, *fd_prev;
    int have_prev;
} dimer;

static void scale(double a, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] *= a;
}

static void dm_mask(const dimer *d, double *v)
{
    if (d->obj->mask)
        for (size_t k = 0; k < d->n; k++)
            if (!d->obj->mask[k])
                v[k] = 0.0;
}

/* Normalises v (masked first); returns its norm before. */
static double dm_normalise(const dimer *d, double *v)
{
    dm_mask(d, v);
    double nv = sqrt(gn_vdot(v, v, d->n));
    if (nv > 0.0)
        scale(1.0 / nv, v, d->n);
    return nv;
}

/* Energy and force at y (force masked); one objective evaluation. */
static int dm_eval(dimer *d, const double *y, double *e, double *f, gn_error *err)
{
    d->evals++;
    int rc = d->obj->eval(d->obj->ctx, y, e, f, err);
    if (rc)
        return rc;
    dm_mask(d, f);
    if (!isfinite(*e))
        return gn_error_set(err, GN_ERANGE, "dimer: non-finite energy");
    for (size_t k = 0; k < d->n; k++)
        if (!isfinite(f[k]))
            return gn_error_set(err, GN_ERANGE, "dimer: non-finite force at component %zu", k);
    return GN_OK;
}

/* Force at the dimer's end x + sep v into f. */
static int dm_end_force(dimer *d, const double *v, double *f, gn_error *err)
{
    double e;
    for (size_t k = 0; k < d->n; k++)
        d->xt[k] = d->x[k] + d->o->sep * v[k];
    return dm_eval(d, d->xt, &e, f, err);
}

/* Curvature along unit v from the centre force and the end force f. */
static double dm_curv(const dimer *d, const double *v, const double *f)
{
    double s = 0.0;
    for (size_t k = 0; k < d->n; k++)
        s += (d->F0[k] - f[k]) * v[k];
    return s / d->o->sep;
}

/* One rotation step in the plane of N and the search direction dir (conjugate to the earlier
 * ones of this orientation): *done is set when the estimated angle is below rot_tol. A small
 * estimate cannot tell the lowest mode from the highest (C'(0) vanishes at both), so with
 * force_trial (the first rotation of a search) the trial angle is at least pi/4, and the fit
 * decides. */
static int dm_rotate_once(dimer *d, int first, int force_trial, int *done, gn_error *err)
{
    size_t n = d->n;
    const double sep = d->o->sep;
    double C0 = dm_curv(d, d->N, d->F1);
    /* rotational force: the descent direction of C on the sphere, (F1 - F0) without its part
     * along N */
    for (size_t k = 0; k < n; k++)
        d->g[k] = d->F1[k] - d->F0[k];
    gn_vaxpy(-gn_vdot(d->g, d->N, n), d->N, d->g, n);
    double gamma = 0.0;
    if (!first) { /* Polak-Ribière, restarted when negative */
        double gg = gn_vdot(d->g_old, d->g_old, n);
        if (gg > 0.0) {
            double num = 0.0;
            for (size_t k = 0; k < n; k++)
                num += d->g[k] * (d->g[k] - d->g_old[k]);
            gamma = fmax(0.0, num / gg);
        }
    }
    for (size_t k = 0; k < n; k++)
        d->dir[k] = d->g[k] + gamma * d->dir[k];
    memcpy(d->g_old, d->g, n * sizeof *d->g);
    memcpy(d->theta, d->dir, n * sizeof *d->theta);
    gn_vaxpy(-gn_vdot(d->theta, d->N, n), d->N, d->theta, n);
    *done = 1;
    if (!(dm_normalise(d, d->theta) > 0.0))
        return GN_OK;
    double dC = -2.0 * (gn_vdot(d->theta, d->F1, n) - gn_vdot(d->theta, d->F0, n)) / sep;
    double phi1 = -0.5 * atan(dC / (2.0 * fabs(C0)));
    if (fabs(phi1) < d->o->rot_tol) {
        if (!force_trial)
            return GN_OK;
        phi1 = phi1 < 0.0 ? -0.25 * M_PI : 0.25 * M_PI;
    }
    /* trial end N1 = N cos phi1 + Theta sin phi1 */
    for (size_t k = 0; k < n; k++)
        d->Nt[k] = cos(phi1) * d->N[k] + sin(phi1) * d->theta[k];
    int rc = dm_end_force(d, d->Nt, d->Ft, err);
    d->rotations++;
    if (rc)
        return rc;
    double C1 = dm_curv(d, d->Nt, d->Ft);
    double b1 = 0.5 * dC;
    double a1 = (C0 - C1 + b1 * sin(2.0 * phi1)) / (1.0 - cos(2.0 * phi1));
    double a0 = 2.0 * (C0 - a1);
    double phim = 0.5 * atan(b1 / a1);
    if (a1 * cos(2.0 * phim) + b1 * sin(2.0 * phim) > 0.0) /* that one is the maximum */
        phim += phim > 0.0 ? -0.5 * M_PI : 0.5 * M_PI;
    double Cm = 0.5 * a0 + a1 * cos(2.0 * phim) + b1 * sin(2.0 * phim);
    if (!(Cm <= C1) || !isfinite(Cm)) { /* the fit does worse than the trial: keep the trial */
        memcpy(d->N, d->Nt, n * sizeof *d->N);
        memcpy(d->F1, d->Ft, n * sizeof *d->F1);
        phim = phi1;
    } else {
        double sp = sin(phi1), w1 = sin(phi1 - phim) / sp, w2 = sin(phim) / sp;
        for (size_t k = 0; k < n; k++) {
            d->F1[k] = d->F0[k] + w1 * (d->F1[k] - d->F0[k]) + w2 * (d->Ft[k] - d->F0[k]);
            d->N[k] = cos(phim) * d->N[k] + sin(phim) * d->theta[k];
        }
    }
    dm_normalise(d, d->N);
    /* carry the search direction along the rotation (its length kept) for the conjugacy */
    double ld = sqrt(gn_vdot(d->dir, d->dir, n));
    for (size_t k = 0; k < n; k++)
        d->dir[k] = ld * d->theta[k];
    gn_vaxpy(-gn_vdot(d->dir, d->N, n), d->N, d->dir, n);
    *done = fabs(phim) < d->o->rot_tol;
    return GN_OK;
}

/* Orients the dimer at the current centre (F0 known): rotation or a Lanczos solve; sets d->C. */
static int dm_orient(dimer *d, gn_error *err)
{
    if (d->o->mode_solver == GN_DIMER_LANCZOS) {
        gn_lowmode_opts lo;
        gn_lowmode_opts_default(&lo);
        lo.guess = d->N;
        lo.seed = d->o->seed;
        lo.step = d->o->sep;
        lo.tol = 1e-2;
        gn_lowmode_result lr;
        int rc = gn_lowmode_obj(d->obj, d->x, &lo, &lr, err);
        d->evals += lr.force_calls;
        if (rc == GN_OK && lr.nmodes >= 1) {
            memcpy(d->N, lr.mode, d->n * sizeof *d->N);
            d->C = lr.value[0];
        }
        gn_lowmode_result_clear(&lr);
        return rc;
    }
    int rc = dm_end_force(d, d->N, d->F1, err);
    for (int r = 0; rc == GN_OK && r < d->o->rot_max; r++) {
        int done = 0;
        rc = dm_rotate_once(d, r == 0, r == 0 && d->first, &done, err);
        if (done)
            break;
    }
    d->first = 0;
    if (rc == GN_OK)
        d->C = dm_curv(d, d->N, d->F1);
    return rc;
}

/* ---- L-BFGS on the modified force ---- */

static void lb_reset(dimer *d)
{
    d->nmem = 0;
    d->head = 0;
    d->have_prev = 0;
}

static void lb_push(dimer *d, const double *s, const double *y, double sy)
{
    size_t n = d->n;
    int slot = d->head;
    memcpy(d->S + (size_t)slot * n, s, n * sizeof *s);
    memcpy(d->Y + (size_t)slot * n, y, n * sizeof *y);
    d->rho[slot] = 1.0 / sy;
    d->head = (d->head + 1) % d->m;
    if (d->nmem < d->m)
        d->nmem++;
}

/* out = H fd by the two-loop recursion, H0 = s.y / y.y of the newest pair or h0. */
static void lb_direction(dimer *d, const double *fd, double h0, double *out)
{
    size_t n = d->n;
    memcpy(out, fd, n * sizeof *out);
    for (int i = 0; i < d->nmem; i++) {
        int slot = (d->head - 1 - i + 2 * d->m) % d->m;
        d->alpha[slot] = d->rho[slot] * gn_vdot(d->S + (size_t)slot * n, out, n);
        gn_vaxpy(-d->alpha[slot], d->Y + (size_t)slot * n, out, n);
    }
    if (d->nmem > 0) {
        int newest = (d->head - 1 + d->m) % d->m;
        const double *y = d->Y + (size_t)newest * n;
        h0 = 1.0 / (d->rho[newest] * gn_vdot(y, y, n));
    }
    scale(h0, out, n);
    for (int i = d->nmem - 1; i >= 0; i--) {
        int slot = (d->head - 1 - i + 2 * d->m) % d->m;
        double b = d->rho[slot] * gn_vdot(d->Y + (size_t)slot * n, out, n);
        gn_vaxpy(d->alpha[slot] - b, d->S + (size_t)slot * n, out, n);
    }
}

/* Scales step so that no movable particle moves more than cap. */
static void dm_cap(const dimer *d, double *step, double cap)
{
    double big = gn_objective_fmax(d->obj, step);
    if (big > cap)
        scale(cap / big, step, d->n);
}

/* One translation step of the centre (F0, N and C known). */
static void dm_translate(dimer *d)
{
    size_t n = d->n;
    double *step = d->xt, fpar = gn_vdot(d->F0, d->N, n);
    if (!(d->C < 0.0)) { /* convex region: climb along N by a fixed step */
        lb_reset(d);
        double sgn = fpar > 0.0 ? -1.0 : 1.0, big = gn_objective_fmax(d->obj, d->N);
        for (size_t k = 0; k < n; k++)
            step[k] = sgn * d->o->convex_step * d->N[k] / big;
        gn_vaxpy(1.0, step, d->x, n);
        return;
    }
    for (size_t k = 0; k < n; k++)
        d->fd[k] = d->F0[k] - 2.0 * fpar * d->N[k];
    if (d->have_prev) {
        double *s = d->s, *y = d->y;
        for (size_t k = 0; k < n; k++) {
            s[k] = d->x[k] - d->x_prev[k];
            y[k] = d->fd_prev[k] - d->fd[k];
        }
        double sy = gn_vdot(s, y, n);
        if (sy > 1e-12 * sqrt(gn_vdot(s, s, n) * gn_vdot(y, y, n)) && sy > 0.0)
            lb_push(d, s, y, sy);
        else
            lb_reset(d);
    }
    double h0 = 1.0 / fmax(fabs(d->C), 1e-12);
    lb_direction(d, d->fd, h0, step);
    if (!(gn_vdot(step, d->fd, n) > 0.0)) { /* not along F+: forget the memory */
        lb_reset(d);
        for (size_t k = 0; k < n; k++)
            step[k] = h0 * d->fd[k];
    }
    dm_cap(d, step, d->o->max_step);
    memcpy(d->x_prev, d->x, n * sizeof *d->x);
    memcpy(d->fd_prev, d->fd, n * sizeof *d->fd);
    d->have_prev = 1;
    gn_vaxpy(1.0, step, d->x, n);
}

static void dm_free(dimer *d)
{
    free(d->N);
    free(d->F0);
    free(d->F1);
    free(d->Ft);
    free(d->Nt);
    free(d->theta);
    free(d->xt);
    free(d->s);
    free(d->y);
    free(d->g);
    free(d->g_old);
    free(d->dir);
    free(d->fd);
    free(d->S);
    free(d->Y);
    free(d->rho);
    free(d->alpha);
    free(d->x_prev);
    free(d->fd_prev);
}

static int dm_check(const gn_objective *obj, const double *x, const gn_dimer_opts *o,
                    gn_error *err)
{
    if (!obj || !obj->eval || !x || obj->dim <= 0 || obj->nparticles == 0)
        return gn_error_set(err, GN_EINVAL, "dimer: missing objective or position");
    if (!(o->sep > 0.0) || !(o->fmax > 0.0) || !(o->max_step > 0.0) || !(o->convex_step > 0.0) ||
        !(o->rot_tol > 0.0) || !isfinite(o->sep + o->fmax + o->max_step + o->convex_step))
        return gn_error_set(err, GN_ERANGE, "dimer: separation %g, fmax %g, max step %g, convex "
                            "step %g and rotation tolerance %g must be positive", o->sep, o->fmax,
                            o->max_step, o->convex_step, o->rot_tol);
    if (o->max_steps < 1 || o->rot_max < 0 || o->lbfgs_memory < 1)
        return gn_error_set(err, GN_EINVAL, "dimer: step cap %d, rotation cap %d and L-BFGS "
                            "memory %d", o->max_steps, o->rot_max, o->lbfgs_memory);
    return GN_OK;
}

static int dm_init(dimer *d, const gn_objective *obj, double *x, const double *mode,
                   const gn_dimer_opts *o, gn_error *err)
{
    memset(d, 0, sizeof *d);
    d->obj = obj;
    d->o = o;
    d->x = x;
    d->n = obj->nparticles * (size_t)obj->dim;
    d->m = o->lbfgs_memory;
    d->rng = o->seed ? o->seed : 1;
    d->first = 1;
    size_t n = d->n, bytes = n * sizeof(double) + 1;
    d->N = malloc(bytes);
    d->F0 = malloc(bytes);
    d->F1 = malloc(bytes);
    d->Ft = malloc(bytes);
    d->Nt = malloc(bytes);
    d->theta = malloc(bytes);
    d->xt = malloc(bytes);
    d->s = malloc(bytes);
    d->y = malloc(bytes);
    d->g = calloc(n + 1, sizeof(double));
    d->g_old = calloc(n + 1, sizeof(double));
    d->dir = calloc(n + 1, sizeof(double));
    d->fd = malloc(bytes);
    d->S = malloc((size_t)d->m * bytes);
    d->Y = malloc((size_t)d->m * bytes);
    d->rho = malloc((size_t)d->m * sizeof(double));
    d->alpha = malloc((size_t)d->m * sizeof(double));
    d->x_prev = malloc(bytes);
    d->fd_prev = malloc(bytes);
    if (!d->N || !d->F0 || !d->F1 || !d->Ft || !d->Nt || !d->theta || !d->xt || !d->s || !d->y || !d->g || !d->g_old || !d->dir ||
        !d->fd || !d->S || !d->Y || !d->rho || !d->alpha || !d->x_prev || !d->fd_prev)
        return gn_error_set(err, GN_ENOMEM, "dimer: out of memory for %zu components", n);
    if (mode)
        memcpy(d->N, mode, n * sizeof *d->N);
    else
        memset(d->N, 0, n * sizeof *d->N);
    if (!(dm_normalise(d, d->N) > 0.0)) {
        for (size_t k = 0; k < n; k++)
            d->N[k] = gn_xorshift_centered(&d->rng);
        if (!(dm_normalise(d, d->N) > 0.0))
            return gn_error_set(err, GN_EINVAL, "dimer: no movable components");
    }
    return GN_OK;
}

/* The lowest mode at the start by Lanczos, the given orientation as its guess. */
static int dm_init_lowmode(dimer *d, gn_error *err)
{
    gn_lowmode_opts lo;
    gn_lowmode_opts_default(&lo);
    lo.guess = d->N;
    lo.seed = d->o->seed;
    gn_lowmode_result lr;
    int rc = gn_lowmode_obj(d->obj, d->x, &lo, &lr, err);
    d->evals += lr.force_calls;
    if (rc == GN_OK && lr.nmodes >= 1) {
        memcpy(d->N, lr.mode, d->n * sizeof *d->N);
        dm_normalise(d, d->N);
    }
    gn_lowmode_result_clear(&lr);
    return rc;
}

int gn_dimer_search(const gn_objective *obj, double *x, double *mode, const gn_dimer_opts *o,
                    gn_dimer_result *res, gn_error *err)
{
    gn_dimer_opts def;
    if (!o) {
        gn_dimer_opts_default(&def);
        o = &def;
    }
    memset(res, 0, sizeof *res);
    res->stop = GN_DIMER_MAX_STEPS;
    int rc = dm_check(obj, x, o, err);
    if (rc)
        return rc;
    dimer d;
    rc = dm_init(&d, obj, x, mode, o, err);
    if (rc == GN_OK && o->init_lowmode)
        rc = dm_init_lowmode(&d, err);
    double e_start = NAN;
    for (int step = 0; rc == GN_OK; step++) {
        rc = dm_eval(&d, d.x, &d.E0, d.F0, err);
        if (rc)
            break;
        if (step == 0)
            e_start = d.E0;
        res->energy = d.E0;
        res->fmax = gn_objective_fmax(obj, d.F0);
        res->steps = step;
        if (o->max_rise > 0.0 && d.E0 - e_start > o->max_rise) {
            res->stop = GN_DIMER_RISE;
            break;
        }
        rc = dm_orient(&d, err);
        if (rc)
            break;
        res->curvature = d.C;
        if (res->fmax < o->fmax && d.C < 0.0) {
            res->stop = GN_DIMER_CONVERGED;
            res->converged = 1;
            break;
        }
        if (step == o->max_steps)
            break;
        dm_translate(&d);
    }
    res->evals = d.evals;
    res->rotations = d.rotations;
    if (rc == GN_OK && mode)
        memcpy(mode, d.N, d.n * sizeof *mode);
    dm_free(&d);
    return rc;
}
