/* gapneb: lowest Hessian eigenpairs by Lanczos on finite-difference Hessian-vector products.
 * Units: Å, eV/Å, amu; eigenvalues eV/Å^2 or eV/(Å^2 amu); THz. See include/gapneb/lowmode.h.
 *
 * The Lanczos vectors live in the space of the movable components (mass-weighted when masses are
 * given): q -> A q = W H W q with W = M^-1/2 (or the identity). Each product costs two force
 * calls at x +- h d, d the unit Cartesian direction of W q. Full reorthogonalisation (classical
 * Gram-Schmidt, twice: "twice is enough", Giraud et al., Numer. Math. 101, 87 (2005)) keeps the
 * vectors orthonormal to rounding, so no spurious copies of converged Ritz values appear and the
 * tridiagonal T's eigenvalues are the Rayleigh-Ritz values of the Krylov space. */
#include "gapneb/lowmode.h"
#include "gapneb/modes.h"
#include "gapneb/relax.h"
#include "vec_internal.h"

#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Lanczos vectors before convergence is trusted, beyond the wanted pairs: a Ritz value of a
 * tiny Krylov space can look converged by chance (a start vector nearly orthogonal to the
 * lowest mode). Costs 2 force calls each. */
#define LM_MIN_EXTRA 4
/* beta below this times the Ritz spread: the Krylov space is invariant (exact breakdown). */
#define LM_BREAKDOWN 1e-12
/* Weight of the random part added to a guess, so that no mode is missing from the start. */
#define LM_GUESS_NOISE 0.1

void gn_lowmode_opts_default(gn_lowmode_opts *o)
{
    memset(o, 0, sizeof *o);
    o->nmodes = 1;
    o->step = GN_MODES_STEP_DEFAULT;
    o->tol = 1e-3;
    o->max_iter = 60;
    o->guess = NULL;
    o->seed = 1;
    o->dof_mass = NULL;
}

void gn_lowmode_result_clear(gn_lowmode_result *res)
{
    if (!res)
        return;
    free(res->value);
    free(res->freq_thz);
    free(res->mode);
    memset(res, 0, sizeof *res);
}

typedef struct lanczos {
    const gn_objective *obj;
    const double *x;
    size_t n, dof;     /* components, movable components */
    size_t *idx;       /* dof: component index of each movable component */
    double *wt;        /* dof: 1/sqrt(mass) or 1 */
    double step;
    double *xw, *xm, *fp, *fm, *u; /* n each: scratch */
    double *Q;         /* cap x dof: Lanczos vectors of the current pass */
    size_t cap;
    double *alpha, *beta; /* cap each: T's diagonal and off-diagonal */
    double *theta, *S, *e; /* Ritz values, T's eigenvectors (row major k x k), scratch */
    size_t k;          /* Lanczos vectors of the current pass */
    double spread;     /* Ritz spread of the last T */
    double *lockY;     /* lock_cap x dof: converged Ritz vectors (weighted space), ascending */
    double *lockV;     /* their Ritz values */
    size_t nlock, lock_cap;
    double *stableY;   /* dof: saddle order: the first stable pair (not locked: only its sign is
                          settled, so it is no eigenvector to deflate with) */
    double stableV;
    int has_stable;
    unsigned long calls;
    int iterations;    /* over all passes */
    uint64_t rng;
} lanczos;

static void lz_free(lanczos *lz)
{
    free(lz->idx);
    free(lz->wt);
    free(lz->xw);
    free(lz->xm);
    free(lz->fp);
    free(lz->fm);
    free(lz->u);
    free(lz->Q);
    free(lz->alpha);
    free(lz->beta);
    free(lz->theta);
    free(lz->S);
    free(lz->e);
    free(lz->lockY);
    free(lz->lockV);
    free(lz->stableY);
}

static int lz_init(lanczos *lz, const gn_objective *obj, const double *x, const gn_lowmode_opts *o,
                   size_t nwant, gn_error *err)
{
    memset(lz, 0, sizeof *lz);
    lz->obj = obj;
    lz->x = x;
    lz->n = obj->nparticles * (size_t)obj->dim;
    lz->dof = gn_modes_count_dof(obj);
    lz->step = o->step;
    lz->rng = o->seed ? o->seed : 1;
    if (lz->dof == 0)
        return gn_error_set(err, GN_EINVAL, "lowest modes: no movable components");
    size_t n = lz->n, dof = lz->dof;
    lz->cap = (size_t)o->max_iter < dof ? (size_t)o->max_iter : dof;
    lz->lock_cap = nwant + 1;
    lz->idx = malloc(dof * sizeof *lz->idx);
    lz->wt = malloc(dof * sizeof *lz->wt);
    lz->xw = malloc(n * sizeof *lz->xw);
    lz->xm = malloc(n * sizeof *lz->xm);
    lz->fp = malloc(n * sizeof *lz->fp);
    lz->fm = malloc(n * sizeof *lz->fm);
    lz->u = malloc(n * sizeof *lz->u);
    lz->Q = malloc(lz->cap * dof * sizeof *lz->Q);
    lz->alpha = malloc(lz->cap * sizeof *lz->alpha);
    lz->beta = malloc(lz->cap * sizeof *lz->beta);
    lz->theta = malloc(lz->cap * sizeof *lz->theta);
    lz->S = malloc(lz->cap * lz->cap * sizeof *lz->S);
    lz->e = malloc(lz->cap * sizeof *lz->e);
    lz->lockY = malloc(lz->lock_cap * dof * sizeof *lz->lockY);
    lz->lockV = malloc(lz->lock_cap * sizeof *lz->lockV);
    lz->stableY = malloc(dof * sizeof *lz->stableY);
    if (!lz->idx || !lz->wt || !lz->xw || !lz->xm || !lz->fp || !lz->fm || !lz->u || !lz->Q || !lz->alpha ||
        !lz->beta || !lz->theta || !lz->S || !lz->e || !lz->lockY || !lz->lockV || !lz->stableY)
        return gn_error_set(err, GN_ENOMEM, "lowest modes: out of memory for %zu components x "
                            "%zu vectors", dof, lz->cap);
    size_t j = 0;
    for (size_t c = 0; c < n; c++) {
        if (obj->mask && !obj->mask[c])
            continue;
        double m = o->dof_mass ? o->dof_mass[c] : 1.0;
        if (!(m > 0.0) || !isfinite(m))
            return gn_error_set(err, GN_EINVAL, "lowest modes: component %zu has mass %g amu", c,
                                m);
        lz->idx[j] = c;
        lz->wt[j++] = 1.0 / sqrt(m);
    }
    return GN_OK;
}

/* out = A q (dof numbers): W H W q by central differences of the forces along d = W q / |W q|. */
static int lz_apply(lanczos *lz, const double *q, double *out, gn_error *err)
{
    size_t n = lz->n, dof = lz->dof;
    memset(lz->u, 0, n * sizeof *lz->u);
    for (size_t j = 0; j < dof; j++)
        lz->u[lz->idx[j]] = lz->wt[j] * q[j];
    double norm = sqrt(gn_vdot(lz->u, lz->u, n));
    if (!(norm > 0.0)) {
        memset(out, 0, dof * sizeof *out);
        return GN_OK;
    }
    double e, hs = lz->step / norm;
    for (size_t c = 0; c < n; c++)
        lz->xw[c] = lz->x[c] + hs * lz->u[c];
    int rc;
    if (lz->obj->eval2) { /* both points at once (an engine pool evaluates them in parallel) */
        for (size_t c = 0; c < n; c++)
            lz->xm[c] = lz->x[c] - hs * lz->u[c];
        double e2;
        rc = lz->obj->eval2(lz->obj->ctx, lz->xw, lz->xm, &e, lz->fp, &e2, lz->fm, err);
    } else {
        rc = lz->obj->eval(lz->obj->ctx, lz->xw, &e, lz->fp, err);
        for (size_t c = 0; rc == GN_OK && c < n; c++)
            lz->xw[c] = lz->x[c] - hs * lz->u[c];
        if (rc == GN_OK)
            rc = lz->obj->eval(lz->obj->ctx, lz->xw, &e, lz->fm, err);
    }
    lz->calls += 2;
    if (rc)
        return rc;
    /* H (W q) = |W q| H d, H d = -(F(x + h d) - F(x - h d)) / 2h */
    for (size_t j = 0; j < dof; j++) {
        size_t c = lz->idx[j];
        out[j] = -lz->wt[j] * (lz->fp[c] - lz->fm[c]) * norm / (2.0 * lz->step);
        if (!isfinite(out[j]))
            return gn_error_set(err, GN_ERANGE, "lowest modes: non-finite force difference at "
                                "component %zu", c);
    }
    return GN_OK;
}

/* Removes from w its components along the locked vectors and the first k Lanczos vectors,
 * twice; returns |w|. */
static double lz_orthogonalise(const lanczos *lz, double *w, size_t k)
{
    size_t dof = lz->dof;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < lz->nlock; i++)
            gn_vaxpy(-gn_vdot(lz->lockY + i * dof, w, dof), lz->lockY + i * dof, w, dof);
        for (size_t i = 0; i < k; i++)
            gn_vaxpy(-gn_vdot(lz->Q + i * dof, w, dof), lz->Q + i * dof, w, dof);
    }
    return sqrt(gn_vdot(w, w, dof));
}

/* A random unit vector orthogonal to the locked and the first k Lanczos vectors, into w. */
static int lz_random(lanczos *lz, double *w, size_t k)
{
    for (int tries = 0; tries < 8; tries++) {
        for (size_t j = 0; j < lz->dof; j++)
            w[j] = gn_xorshift_centered(&lz->rng);
        double nw = lz_orthogonalise(lz, w, k);
        if (nw > 1e-8) {
            for (size_t j = 0; j < lz->dof; j++)
                w[j] /= nw;
            return 1;
        }
    }
    return 0;
}

/* The first Lanczos vector: the guess (Cartesian, over all components) turned into the
 * weighted space (y = W^-1 u) plus a little of a random vector, or a random vector alone. */
static int lz_start(lanczos *lz, const double *guess)
{
    double *q = lz->Q, *g = lz->xw; /* xw: scratch until the first product */
    if (!lz_random(lz, q, 0))
        return 0;
    if (!guess)
        return 1;
    for (size_t j = 0; j < lz->dof; j++)
        g[j] = guess[lz->idx[j]] / lz->wt[j];
    double ng = lz_orthogonalise(lz, g, 0);
    if (!(ng > 1e-12) || !isfinite(ng))
        return 1;
    for (size_t j = 0; j < lz->dof; j++)
        q[j] = g[j] / ng + LM_GUESS_NOISE * q[j];
    double nq = sqrt(gn_vdot(q, q, lz->dof));
    for (size_t j = 0; j < lz->dof; j++)
        q[j] /= nq;
    return 1;
}

/* Ritz values (ascending) and T's eigenvectors for the first k Lanczos vectors. */
static int lz_ritz(lanczos *lz, size_t k, gn_error *err)
{
    memcpy(lz->theta, lz->alpha, k * sizeof *lz->theta);
    if (k > 1)
        memcpy(lz->e, lz->beta, (k - 1) * sizeof *lz->e);
    lapack_int info = LAPACKE_dstev(LAPACK_ROW_MAJOR, 'V', (lapack_int)k, lz->theta, lz->e,
                                    lz->S, (lapack_int)k);
    if (info != 0)
        return gn_error_set(err, GN_EEXTERNAL, "lowest modes: LAPACKE_dstev failed (info %d)",
                            (int)info);
    lz->spread = lz->theta[k - 1] - lz->theta[0];
    return GN_OK;
}

/* Residual bound of Ritz pair i after k vectors: |beta_k s_{k,i}|. */
static double lz_residual(const lanczos *lz, size_t k, size_t i, double beta)
{
    return fabs(beta * lz->S[(k - 1) * k + i]);
}

/* What a pass is after: the lowest nwant pairs converged, or (stop_above finite) the lowest
 * pairs converged up to the first one at or above stop_above. */
typedef struct lz_goal {
    size_t nwant;
    double tol;
    double stop_above;
} lz_goal;

/* How many of the lowest Ritz pairs a pass may return now (0: not yet); *all_conv: the lowest
 * min(nwant, k) are all settled. A pair is converged when its residual bound r is below tol times
 * the Ritz spread. With a threshold (saddle order), the search ends at the first pair at or above
 * it whose sign is settled: r below LM_STABLE_TOL x tol x spread and theta - r at or above the
 * threshold. Converging that pair fully would resolve the dense band of slab modes it sits in,
 * which gets denser (and slower to resolve) with the number of atoms; the looser bound still
 * needs a Krylov space that resolves the bottom of the spectrum to a few 1e-3 of its width, in
 * which an unstable mode below would have shown (an early stop on a small residual alone missed
 * one on a Pt slab). */
#define LM_STABLE_TOL 10.0
static size_t lz_done(const lanczos *lz, size_t k, double beta, const lz_goal *g, int *all_conv)
{
    size_t want = g->nwant < k ? g->nwant : k, i = 0;
    for (; i < want; i++) {
        double r = lz_residual(lz, k, i, beta), th = lz->theta[i];
        int conv = r <= g->tol * lz->spread;
        if (isfinite(g->stop_above) && th >= g->stop_above &&
            r <= LM_STABLE_TOL * g->tol * lz->spread && th - r >= g->stop_above) {
            *all_conv = 1;
            return i + 1;
        }
        if (!conv)
            break;
    }
    *all_conv = i == want;
    return i == g->nwant ? i : 0;
}

/* One Lanczos pass in the complement of the locked vectors, until the goal is met or the cap;
 * leaves the Ritz data of the last T in lz, the number of pairs to return in *nret (the lowest)
 * and whether they met the tolerance in *converged. */
static int lz_pass(lanczos *lz, const double *guess, const lz_goal *g, size_t *nret,
                   int *converged, gn_error *err)
{
    size_t dof = lz->dof, room = dof - lz->nlock;
    size_t cap = lz->cap < room ? lz->cap : room, min_k = g->nwant + LM_MIN_EXTRA;
    *nret = 0;
    *converged = 0;
    lz->k = 0;
    if (cap == 0 || !lz_start(lz, guess))
        return GN_OK;
    double *w = malloc(dof * sizeof *w);
    if (!w)
        return gn_error_set(err, GN_ENOMEM, "lowest modes: out of memory");
    int rc = GN_OK;
    for (size_t k = 1; k <= cap; k++) {
        const double *q = lz->Q + (k - 1) * dof;
        rc = lz_apply(lz, q, w, err);
        if (rc)
            break;
        lz->iterations++;
        lz->alpha[k - 1] = gn_vdot(q, w, dof);
        double beta = lz_orthogonalise(lz, w, k);
        lz->k = k;
        rc = lz_ritz(lz, k, err);
        if (rc)
            break;
        int breakdown = !(beta > LM_BREAKDOWN * lz->spread);
        if (breakdown)
            beta = 0.0;
        int all_conv;
        size_t done = lz_done(lz, k, beta, g, &all_conv);
        if (done && (k >= min_k || k == room || breakdown)) {
            *nret = done;
            *converged = all_conv || done < g->nwant;
            break;
        }
        lz->beta[k - 1] = beta;
        double *next = lz->Q + k * dof;
        if (k == cap || (breakdown && !lz_random(lz, next, k))) {
            /* the cap, or the whole complement spanned (then every pair is exact) */
            *nret = g->nwant < k ? g->nwant : k;
            *converged = all_conv || breakdown;
            break;
        }
        /* on breakdown the Krylov space is invariant: go on in its complement with the random
         * vector just drawn (copies of degenerate eigenvalues live there) */
        if (!breakdown)
            for (size_t j = 0; j < dof; j++)
                next[j] = w[j] / beta;
    }
    free(w);
    return rc;
}

/* Ritz vector i of the current pass in the weighted space: Q^T s_i, normalised. */
static void lz_ritz_vector(const lanczos *lz, size_t i, double *y)
{
    size_t k = lz->k, dof = lz->dof;
    memset(y, 0, dof * sizeof *y);
    for (size_t l = 0; l < k; l++)
        gn_vaxpy(lz->S[l * k + i], lz->Q + l * dof, y, dof);
    double ny = sqrt(gn_vdot(y, y, dof));
    for (size_t j = 0; j < dof; j++)
        y[j] /= ny;
}

/* Inserts Ritz pair i of the current pass among the locked pairs in ascending order, keeping at
 * most lock_cap. */
static void lz_lock(lanczos *lz, size_t i)
{
    size_t dof = lz->dof, pos = lz->nlock;
    double v = lz->theta[i];
    while (pos > 0 && lz->lockV[pos - 1] > v)
        pos--;
    if (pos >= lz->lock_cap)
        return;
    size_t last = lz->nlock < lz->lock_cap ? lz->nlock : lz->lock_cap - 1;
    memmove(lz->lockV + pos + 1, lz->lockV + pos, (last - pos) * sizeof *lz->lockV);
    memmove(lz->lockY + (pos + 1) * dof, lz->lockY + pos * dof,
            (last - pos) * dof * sizeof *lz->lockY);
    lz->lockV[pos] = v;
    lz_ritz_vector(lz, i, lz->lockY + pos * dof);
    lz->nlock = last + 1;
}

/* The pairs the goal keeps of the locked ones: the lowest nwant. */
static size_t lz_keep(const lanczos *lz, const lz_goal *g)
{
    return lz->nlock < g->nwant ? lz->nlock : g->nwant;
}

/* Saddle order: keeps Ritz pair i of the current pass as the first stable one if it is lower
 * than the one kept. */
static void lz_keep_stable(lanczos *lz, size_t i)
{
    if (lz->has_stable && lz->stableV <= lz->theta[i])
        return;
    lz->stableV = lz->theta[i];
    lz_ritz_vector(lz, i, lz->stableY);
    lz->has_stable = 1;
}

/* The first pass, then restarts from random vectors orthogonal to the converged pairs found
 * (deflation): a single Krylov space holds one vector of each eigenspace, so a copy of a
 * degenerate eigenvalue (an adatom at a 4-fold site: x and y) is invisible to the first pass. A
 * restart whose lowest pair would change the answer adds it and another restart follows;
 * otherwise the search ends. For a saddle order (stop_above finite) the unstable pairs are
 * locked and the first stable pair is kept aside; a restart also gives a second, independent
 * random start for finding an unstable mode. */
static int lz_solve(lanczos *lz, const double *guess, const lz_goal *g, size_t *nret,
                    int *converged, gn_error *err)
{
    int order = isfinite(g->stop_above);
    size_t n1;
    int rc = lz_pass(lz, guess, g, &n1, converged, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n1; i++) {
        if (order && lz->theta[i] >= g->stop_above)
            lz_keep_stable(lz, i);
        else
            lz_lock(lz, i);
    }
    double spread = lz->spread;
    for (size_t restart = 0; *converged && restart < g->nwant; restart++) {
        if (order && lz->nlock >= g->nwant)
            break;
        lz_goal g1 = {1, g->tol, g->stop_above};
        size_t got;
        int conv1;
        rc = lz_pass(lz, NULL, &g1, &got, &conv1, err);
        if (rc || got == 0 || !conv1)
            break;
        double v = lz->theta[0];
        if (order) {
            if (v >= g->stop_above) {
                lz_keep_stable(lz, 0);
                break;
            }
        } else if (lz->nlock > 0 && !(v < lz->lockV[lz_keep(lz, g) - 1] - g->tol * spread)) {
            break;
        }
        lz_lock(lz, 0);
    }
    *nret = lz_keep(lz, g);
    if (order && lz->has_stable && *nret < g->nwant)
        (*nret)++;
    return rc;
}

/* Weighted-space vector y in Cartesian coordinates over all n components: W y, normalised, the
 * largest component positive (so repeated runs agree in sign). */
static void lz_cartesian(const lanczos *lz, const double *y, double *out)
{
    size_t dof = lz->dof;
    memset(out, 0, lz->n * sizeof *out);
    double norm = 0.0, big = 0.0;
    for (size_t j = 0; j < dof; j++) {
        double v = lz->wt[j] * y[j];
        out[lz->idx[j]] = v;
        norm += v * v;
        if (fabs(v) > fabs(big))
            big = v;
    }
    norm = sqrt(norm);
    if (big < 0.0)
        norm = -norm;
    if (norm != 0.0)
        for (size_t c = 0; c < lz->n; c++)
            out[c] /= norm;
}

static int check_opts(const gn_objective *obj, const double *x, const gn_lowmode_opts *o,
                      gn_error *err)
{
    if (!obj || !obj->eval || !x || obj->dim <= 0)
        return gn_error_set(err, GN_EINVAL, "lowest modes: missing objective or vector");
    if (o->nmodes < 1)
        return gn_error_set(err, GN_EINVAL, "lowest modes: %d modes asked for", o->nmodes);
    if (!(o->step > 0.0) || !isfinite(o->step))
        return gn_error_set(err, GN_ERANGE, "lowest modes: finite-difference step %g Å is not "
                            "positive", o->step);
    if (!(o->tol > 0.0) || !(o->tol < 1.0))
        return gn_error_set(err, GN_ERANGE, "lowest modes: tolerance %g is not in (0, 1)", o->tol);
    if (o->max_iter < 1)
        return gn_error_set(err, GN_EINVAL, "lowest modes: iteration cap %d", o->max_iter);
    return GN_OK;
}

static int fill_result(const lanczos *lz, size_t nret, int converged, int weighted,
                       gn_lowmode_result *res, gn_error *err)
{
    res->ncomp = lz->n;
    res->nmodes = (int)nret;
    res->converged = converged;
    res->iterations = lz->iterations;
    res->force_calls = lz->calls;
    res->value = malloc(nret * sizeof *res->value + 1);
    res->freq_thz = malloc(nret * sizeof *res->freq_thz + 1);
    res->mode = malloc(nret * lz->n * sizeof *res->mode + 1);
    if (!res->value || !res->freq_thz || !res->mode)
        return gn_error_set(err, GN_ENOMEM, "lowest modes: out of memory");
    for (size_t i = 0; i < nret; i++) {
        /* the locked pairs, then (saddle order) the first stable one */
        int st = i >= lz->nlock;
        res->value[i] = st ? lz->stableV : lz->lockV[i];
        res->freq_thz[i] = weighted ? gn_modes_freq_thz(res->value[i]) : NAN;
        lz_cartesian(lz, st ? lz->stableY : lz->lockY + i * lz->dof, res->mode + i * lz->n);
    }
    return GN_OK;
}

static int lowmode_core(const gn_objective *obj, const double *x, const gn_lowmode_opts *o,
                        double stop_above, gn_lowmode_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_opts(obj, x, o, err);
    if (rc)
        return rc;
    size_t dof = gn_modes_count_dof(obj);
    lz_goal g = {(size_t)o->nmodes < dof ? (size_t)o->nmodes : dof, o->tol, stop_above};
    lanczos lz;
    rc = lz_init(&lz, obj, x, o, g.nwant, err);
    if (rc == GN_OK) {
        size_t nret = 0;
        int conv = 0;
        rc = lz_solve(&lz, o->guess, &g, &nret, &conv, err);
        if (rc == GN_OK)
            rc = fill_result(&lz, nret, conv, o->dof_mass != NULL, res, err);
        res->force_calls = lz.calls;
    }
    lz_free(&lz);
    if (rc) {
        unsigned long calls = res->force_calls;
        gn_lowmode_result_clear(res);
        res->force_calls = calls;
    }
    return rc;
}

int gn_lowmode_obj(const gn_objective *obj, const double *x, const gn_lowmode_opts *o,
                   gn_lowmode_result *res, gn_error *err)
{
    gn_lowmode_opts def;
    if (!o) {
        gn_lowmode_opts_default(&def);
        o = &def;
    }
    return lowmode_core(obj, x, o, NAN, res, err);
}

/* The atoms as an objective on a private copy (the objective overwrites positions), with the
 * masses per component when weighted; then the core. */
static int lowmode_atoms_core(gn_calc *c, const gn_atoms *a, int mass_weighted,
                              const gn_lowmode_opts *o, double stop_above,
                              gn_lowmode_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    if (!c || !a)
        return gn_error_set(err, GN_EINVAL, "lowest modes: missing calculator or atoms");
    gn_lowmode_opts lo = *o;
    double *mass = NULL;
    if (mass_weighted && !lo.dof_mass) {
        mass = malloc(3 * a->n * sizeof *mass + 1);
        if (!mass)
            return gn_error_set(err, GN_ENOMEM, "lowest modes: out of memory");
        for (size_t i = 0; i < 3 * a->n; i++)
            mass[i] = a->mass[i / 3];
        lo.dof_mass = mass;
    }
    gn_atoms *work = NULL;
    int rc = gn_atoms_copy(a, &work, err);
    gn_atoms_objective ao;
    if (rc == GN_OK) {
        rc = gn_atoms_objective_init(&ao, c, work, err);
        if (rc == GN_OK)
            rc = lowmode_core(&ao.obj, a->pos, &lo, stop_above, res, err);
        gn_atoms_objective_clear(&ao);
    }
    gn_atoms_free(work);
    free(mass);
    return rc;
}

int gn_lowmode_atoms(gn_calc *c, const gn_atoms *a, int mass_weighted, const gn_lowmode_opts *o,
                     gn_lowmode_result *res, gn_error *err)
{
    gn_lowmode_opts def;
    if (!o) {
        gn_lowmode_opts_default(&def);
        o = &def;
    }
    return lowmode_atoms_core(c, a, mass_weighted, o, NAN, res, err);
}

/* Mass-weighted eigenvalue (eV/(Å^2 amu)) of frequency -tol THz. */
static double negative_threshold(double tol_thz)
{
    double per = gn_modes_freq_thz(1.0); /* THz per sqrt(eigenvalue) */
    return -(tol_thz / per) * (tol_thz / per);
}

int gn_lowmode_saddle_order(gn_calc *c, const gn_atoms *a, const gn_lowmode_opts *o,
                            double zero_tol_thz, int max_order, int *order,
                            gn_lowmode_result *res, gn_error *err)
{
    *order = -1;
    if (max_order < 0)
        return gn_error_set(err, GN_EINVAL, "saddle order: max_order %d is negative", max_order);
    if (zero_tol_thz <= 0.0)
        zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
    gn_lowmode_opts lo;
    if (o)
        lo = *o;
    else
        gn_lowmode_opts_default(&lo);
    lo.dof_mass = NULL; /* the atoms' masses */
    lo.nmodes = max_order + 1;
    gn_lowmode_result own, *r = res ? res : &own;
    double thr = negative_threshold(zero_tol_thz);
    int rc = lowmode_atoms_core(c, a, 1, &lo, thr, r, err);
    if (rc == GN_OK) {
        int k = 0;
        while (k < r->nmodes && k < max_order && r->value[k] < thr)
            k++;
        *order = k;
    }
    if (!res)
        gn_lowmode_result_clear(&own);
    return rc;
}
