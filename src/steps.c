/* gapneb: elementary steps of a minimum-energy path (see steps.h): candidates for intermediate
 * minima, their relaxation, the split of the band and the recursion, the summary of the steps
 * and the rate of the chain. The layers (band, atoms) supply the engine (steps_internal.h).
 * Units: Å, eV, eV/Å, THz, 1/s. */
#include "steps_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/modes.h"
#include "gapneb/profile.h"

void gn_steps_opts_default(gn_steps_opts *o)
{
    memset(o, 0, sizeof *o);
    o->split = 1;
    o->tol = 0.001;
    o->max_depth = 4;
    o->check_order = 1;
    o->distinct = 0.1; /* the NEB's collapse tolerance (neb.h): the same meaning of "same" */
    o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
    o->zero_curv = 1e-6;
}

int gn_steps_opts_check(const gn_steps_opts *o, gn_error *err)
{
    if (!(o->tol > 0.0) || !isfinite(o->tol))
        return gn_error_set(err, GN_EINVAL, "steps: split tolerance must be > 0 eV (got %g)",
                            o->tol);
    if (o->max_depth < 0)
        return gn_error_set(err, GN_EINVAL, "steps: depth limit must be >= 0 (got %d)",
                            o->max_depth);
    if (!(o->distinct > 0.0) || !(o->zero_tol_thz >= 0.0) || !(o->zero_curv >= 0.0))
        return gn_error_set(err, GN_EINVAL, "steps: distinct > 0 Å and zero tolerances >= 0 "
                            "needed");
    return GN_OK;
}

void gn_step_clear(gn_step *st)
{
    if (!st)
        return;
    free(st->path);
    free(st->energy);
    free(st->s);
    free(st->f_tan);
    if (st->neb) {
        gn_neb_result_clear(st->neb);
        free(st->neb);
    }
    memset(st, 0, sizeof *st);
}

int gn_step_alloc(gn_step *st, size_t m, size_t ndof, gn_error *err)
{
    memset(st, 0, sizeof *st);
    st->nimages = m;
    st->climb_index = -1;
    st->saddle_order = -1;
    st->e_from = st->e_to = st->e_saddle = st->barrier_fwd = st->barrier_rev = NAN;
    st->interp_max = st->imag_freq_thz = st->prefactor_fwd_thz = st->prefactor_rev_thz = NAN;
    st->rate_fwd = st->rate_rev = NAN;
    st->path = malloc(m * ndof * sizeof *st->path + 1);
    st->energy = malloc(m * sizeof *st->energy + 1);
    st->s = malloc(m * sizeof *st->s + 1);
    st->f_tan = malloc(m * sizeof *st->f_tan + 1);
    if (!st->path || !st->energy || !st->s || !st->f_tan) {
        gn_step_clear(st);
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    }
    return GN_OK;
}

void gn_steps_result_clear(gn_steps_result *res)
{
    if (!res)
        return;
    for (size_t k = 0; k < res->nsteps; k++)
        gn_step_clear(&res->step[k]);
    free(res->step);
    free(res->min_energy);
    free(res->min_pos);
    if (res->min_atoms)
        for (size_t k = 0; k < res->nminima; k++)
            gn_atoms_free(res->min_atoms[k]);
    free(res->min_atoms);
    gn_neb_result_clear(&res->first);
    memset(res, 0, sizeof *res);
    res->rate_step = -1;
}

void gn_steps_minimum_name(const gn_steps_result *res, size_t k, char *buf, size_t cap)
{
    if (k == 0)
        snprintf(buf, cap, "IS");
    else if (k + 1 >= res->nminima)
        snprintf(buf, cap, "FS");
    else
        snprintf(buf, cap, "M%zu", k);
}

/* ---- the splitting -------------------------------------------------------------------------- */

typedef struct core {
    const gn_steps_engine *eng;
    const gn_neb_opts *o;
    const gn_steps_opts *so;
    gn_steps_result *res;
    size_t cap;      /* capacity of res->step */
    size_t planned;  /* bands that will end as steps */
} core;

/* A minimum found along a band: its place (image index + fraction) and position. */
typedef struct minimum {
    double p;
    double *x;
    double e;
} minimum;

static int saddle_image(const gn_step *b)
{
    size_t m = b->nimages;
    if (b->climb_index > 0 && (size_t)b->climb_index + 1 < m)
        return b->climb_index;
    int top = 1;
    for (size_t i = 2; i + 1 < m; i++)
        if (b->energy[i] > b->energy[top])
            top = (int)i;
    return top;
}

static int ensure_order(core *c, gn_step *b, gn_error *err)
{
    if (!c->so->check_order || b->saddle_order >= 0 || !b->converged || b->nimages < 3)
        return GN_OK;
    size_t n = c->eng->ndof, ci = (size_t)saddle_image(b);
    double *tan = malloc(n * sizeof *tan + 1);
    if (!tan)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    c->eng->disp(c->eng->ctx, b->path + (ci - 1) * n, b->path + (ci + 1) * n, tan);
    int rc = c->eng->order(c->eng->ctx, b->path + ci * n, tan, &b->saddle_order, err);
    free(tan);
    return rc ? gn_error_prefix(err, "saddle order: ") : GN_OK;
}

/* x = the point a fraction f of the way from image i to image i + 1. */
static void point_on_band(const core *c, const gn_step *b, size_t i, double f, double *x)
{
    size_t n = c->eng->ndof;
    const double *a = b->path + i * n;
    memcpy(x, a, n * sizeof *x);
    if (f <= 0.0)
        return;
    double *d = x + n; /* x has room for 2 n */
    c->eng->disp(c->eng->ctx, a, b->path + (i + 1) * n, d);
    for (size_t k = 0; k < n; k++)
        x[k] += f * d[k];
}

static void minima_free(minimum *v, size_t n)
{
    for (size_t k = 0; v && k < n; k++)
        free(v[k].x);
    free(v);
}

/* The candidates of a band: its profile minima deeper than the tolerance and, when the climbing
 * image is itself a minimum, on a ridge, or the band did not converge, every image. Returns the
 * count (*out allocated, 2 ndof per x). */
static size_t candidates(const core *c, const gn_step *b, minimum **out)
{
    size_t m = b->nimages, n = c->eng->ndof;
    gn_profile_min *pm = malloc(m * sizeof *pm);
    minimum *v = calloc(2 * m + 1, sizeof *v);
    size_t k = 0;
    *out = v;
    if (!pm || !v) {
        free(pm);
        return 0;
    }
    size_t np = gn_profile_minima(m, b->s, b->energy, b->f_tan, c->so->tol, pm, m);
    for (size_t q = 0; q < np && q < m; q++) {
        v[k].p = pm[q].segment + pm[q].f;
        v[k].x = malloc(2 * n * sizeof *v[k].x);
        if (!v[k].x)
            break;
        point_on_band(c, b, (size_t)pm[q].segment, pm[q].f, v[k].x);
        k++;
    }
    free(pm);
    /* A climbing image in a minimum says the band jumps over the ridges on both sides of it:
     * its images are too far apart to show the minima they pass, so every image is a candidate
     * (each relaxes into the basin the band crosses there; duplicates and the endpoints' basins
     * are dropped later). Splitting at all of them at once spares the bands of a level of
     * recursion that would find them one by one. A climbing image left on a ridge (order 2 or
     * more after refinement) gets the same search: a path off the ridge may pass minima the
     * band on it cannot show. So does a band that did not converge: images that keep sliding
     * are the usual sign of minima the band passes (a long path with shallow basins on it). */
    size_t kp = k;
    int all = !b->converged || b->saddle_order == 0 || b->saddle_order >= 2, ci = saddle_image(b);
    for (size_t i = 1; all && i + 1 < m; i++) {
        int near = 0;
        for (size_t q = 0; q < kp; q++)
            near |= fabs(v[q].p - (double)i) < 1.0; /* the dip is already a candidate */
        /* a climbing image of order 2 is a stationary point: "relaxing" it would not move */
        near |= (int)i == ci && b->saddle_order >= 2;
        if (near || !(v[k].x = malloc(2 * n * sizeof *v[k].x)))
            continue;
        v[k].p = (double)i;
        point_on_band(c, b, i, 0.0, v[k].x);
        k++;
    }
    return k;
}

/* Relaxes the candidates and keeps those that end in a minimum distinct from both ends of the
 * band and from each other, sorted by their place along the band. Returns the count kept. */
static int relax_candidates(core *c, const gn_step *b, minimum *v, size_t nc, size_t *nkept,
                            gn_error *err)
{
    const gn_steps_engine *e = c->eng;
    size_t n = e->ndof, m = b->nimages, k = 0;
    for (size_t q = 0; q < nc; q++) {
        int conv = 0;
        c->res->candidates++;
        int rc = e->relax(e->ctx, v[q].x, &v[q].e, &conv, err);
        if (rc)
            return gn_error_prefix(err, "relaxing a minimum candidate: ");
        int keep = conv && e->distance(e->ctx, v[q].x, b->path) > c->so->distinct &&
                   e->distance(e->ctx, v[q].x, b->path + (m - 1) * n) > c->so->distinct;
        for (size_t j = 0; keep && j < k; j++)
            keep = e->distance(e->ctx, v[q].x, v[j].x) > c->so->distinct;
        if (!keep)
            continue;
        minimum t = v[q];
        v[q] = v[k];
        v[k] = t;
        /* insertion by place along the band */
        for (size_t j = k; j > 0 && v[j].p < v[j - 1].p; j--) {
            t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
        k++;
    }
    *nkept = k;
    return GN_OK;
}

/* The piece of band b from xa (at place pa) to xb (at place pb) through the images strictly
 * between, resampled to m images at equal arc length into out (m * ndof), continuous. */
static int resample(const core *c, const gn_step *b, double pa, const double *xa, double pb,
                    const double *xb, size_t m, double *out, gn_error *err)
{
    size_t n = c->eng->ndof, np = 2;
    for (size_t i = 0; i < b->nimages; i++)
        np += (double)i > pa && (double)i < pb;
    double *u = malloc(np * n * sizeof *u), *len = malloc(np * sizeof *len);
    if (!u || !len) {
        free(u);
        free(len);
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    }
    /* unwrapped polyline: each point placed after the previous one by the displacement */
    memcpy(u, xa, n * sizeof *u);
    len[0] = 0.0;
    const double *prev = xa;
    size_t t = 1;
    for (size_t i = 0; i <= b->nimages; i++) {
        const double *q = i < b->nimages ? b->path + i * n : xb;
        if (i < b->nimages && !((double)i > pa && (double)i < pb))
            continue;
        double *d = u + t * n, l2 = 0.0;
        c->eng->disp(c->eng->ctx, prev, q, d);
        for (size_t k = 0; k < n; k++) {
            l2 += d[k] * d[k];
            d[k] += u[(t - 1) * n + k];
        }
        len[t] = len[t - 1] + sqrt(l2);
        prev = q;
        t++;
    }
    for (size_t j = 0, seg = 0; j < m; j++) {
        double target = len[np - 1] * (double)j / (double)(m - 1);
        while (seg + 2 < np && len[seg + 1] < target)
            seg++;
        double dl = len[seg + 1] - len[seg];
        double f = dl > 0.0 ? (target - len[seg]) / dl : 0.0;
        f = j + 1 == m ? 1.0 : fmin(1.0, fmax(0.0, f));
        for (size_t k = 0; k < n; k++)
            out[j * n + k] = u[seg * n + k] + f * (u[(seg + 1) * n + k] - u[seg * n + k]);
    }
    free(u);
    free(len);
    return GN_OK;
}

static int process(core *c, gn_step *b, gn_error *err);

/* Runs the band of every piece between consecutive minima (and the band's ends) and goes on
 * splitting each. */
static int split_at(core *c, gn_step *b, const minimum *v, size_t k, gn_error *err)
{
    size_t n = c->eng->ndof, m = b->nimages;
    double *buf = malloc(m * n * sizeof *buf);
    if (!buf)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    c->planned += k;
    int rc = GN_OK;
    for (size_t j = 0; j <= k && rc == GN_OK; j++) {
        double pa = j ? v[j - 1].p : 0.0, pb = j < k ? v[j].p : (double)(m - 1);
        const double *xa = j ? v[j - 1].x : b->path;
        const double *xb = j < k ? v[j].x : b->path + (m - 1) * n;
        rc = resample(c, b, pa, xa, pb, xb, m, buf, err);
        gn_step nb;
        memset(&nb, 0, sizeof nb);
        if (rc == GN_OK)
            rc = c->eng->neb(c->eng->ctx, m, buf, &nb, err);
        if (rc == GN_OK) {
            nb.depth = b->depth + 1;
            if (nb.depth > c->res->depth)
                c->res->depth = nb.depth;
            rc = process(c, &nb, err);
        } else {
            gn_step_clear(&nb);
        }
    }
    free(buf);
    return rc;
}

static int append_step(core *c, gn_step *b, gn_error *err)
{
    gn_steps_result *r = c->res;
    if (r->nsteps == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 4;
        gn_step *ns = realloc(r->step, nc * sizeof *ns);
        if (!ns) {
            gn_step_clear(b);
            return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
        }
        r->step = ns;
        c->cap = nc;
    }
    r->step[r->nsteps++] = *b;
    memset(b, 0, sizeof *b);
    return GN_OK;
}

/* Checks band b (owned) for intermediate minima: splits it, or appends it as a step. */
static int process(core *c, gn_step *b, gn_error *err)
{
    c->res->iterations += b->iterations;
    int rc = ensure_order(c, b, err);
    int stuck = !b->converged && b->iterations >= GN_STEPS_UNCONVERGED_MIN_ITER;
    if (rc == GN_OK && c->so->split && b->nimages >= 3 && (b->converged || stuck)) {
        minimum *v = NULL;
        size_t nc = candidates(c, b, &v), k = 0;
        if (nc && b->depth >= c->so->max_depth) {
            c->res->truncated = 1; /* candidates left at the depth limit: not relaxed */
        } else if (nc) {
            rc = relax_candidates(c, b, v, nc, &k, err);
            if (rc == GN_OK && k && c->planned + k > GN_STEPS_MAX) {
                c->res->truncated = 1;
                k = 0;
            }
            if (rc == GN_OK && k) {
                rc = split_at(c, b, v, k, err);
                minima_free(v, nc);
                gn_step_clear(b);
                return rc;
            }
        }
        minima_free(v, nc);
    }
    if (rc != GN_OK) {
        gn_step_clear(b);
        return rc;
    }
    return append_step(c, b, err);
}

/* Energies relative to the initial state, each step's minima, saddle and barriers, the joined
 * reaction coordinate, the minima and the effective barrier. */
static int summarise(gn_steps_result *r, size_t n, gn_error *err)
{
    r->e_initial = r->step[0].energy[0];
    r->converged = r->first_order = 1;
    double off = 0.0;
    for (size_t k = 0; k < r->nsteps; k++) {
        gn_step *st = &r->step[k];
        size_t m = st->nimages, ci = (size_t)saddle_image(st);
        for (size_t i = 0; i < m; i++)
            st->energy[i] -= r->e_initial;
        st->e_from = st->energy[0];
        st->e_to = st->energy[m - 1];
        st->e_saddle = fmax(st->energy[ci], fmax(st->e_from, st->e_to));
        if (st->climb_index < 1)
            st->climb_index = (int)ci;
        double s_max;
        gn_profile_max(m, st->s, st->energy, st->f_tan, &s_max, &st->interp_max);
        if (st->saddle_order != 0) {
            st->barrier_fwd = st->e_saddle - st->e_from;
            st->barrier_rev = st->e_saddle - st->e_to;
        } else {
            st->e_saddle = NAN; /* a minimum is no saddle (its energy stays in energy[]) */
        }
        st->s_offset = off;
        off += st->s[m - 1];
        r->converged &= st->converged;
        r->first_order &= st->saddle_order == 1;
    }
    r->nminima = r->nsteps + 1;
    r->min_energy = malloc(r->nminima * sizeof *r->min_energy);
    r->min_pos = malloc(r->nminima * n * sizeof *r->min_pos + 1);
    if (!r->min_energy || !r->min_pos)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    r->ea_eff = -INFINITY;
    for (size_t k = 0; k < r->nminima; k++) {
        const gn_step *st = &r->step[k < r->nsteps ? k : k - 1];
        size_t i = k < r->nsteps ? 0 : st->nimages - 1;
        r->min_energy[k] = st->energy[i];
        memcpy(r->min_pos + k * n, st->path + i * n, n * sizeof *r->min_pos);
        if (k < r->nsteps && st->e_saddle > r->ea_eff) {
            r->ea_eff = st->e_saddle;
            r->rate_step = (int)k;
        }
    }
    for (size_t k = 0; k < r->nsteps; k++)
        if (r->step[k].saddle_order == 0)
            r->ea_eff = NAN; /* the highest point of that step is not known */
    if (!isfinite(r->ea_eff))
        r->rate_step = -1;
    r->ea_eff_rev = r->ea_eff - r->min_energy[r->nminima - 1];
    return GN_OK;
}

int gn_steps_core(const gn_steps_engine *eng, gn_step *first, const gn_neb_opts *o,
                  const gn_steps_opts *so, gn_steps_result *res, gn_error *err)
{
    res->ndof = eng->ndof;
    res->rate_step = -1;
    res->ea_eff = res->ea_eff_rev = res->rate_fwd = res->rate_rev = NAN;
    core c = {.eng = eng, .o = o, .so = so, .res = res, .planned = 1};
    int rc = gn_steps_opts_check(so, err);
    if (rc != GN_OK) {
        gn_step_clear(first);
        return rc;
    }
    rc = process(&c, first, err);
    if (rc == GN_OK && res->nsteps)
        rc = summarise(res, eng->ndof, err);
    return rc;
}

/* ---- rates ------------------------------------------------------------------------------- */

/* log of the mean first-passage time from state 0 to state n of the chain (kf, kr). */
static double log_mfpt(size_t n, const double *kf, const double *kr, int reverse)
{
    /* reversed chain: step i of it is step n-1-i of the original, run backwards */
#define KF(i) (reverse ? kr[n - 1 - (i)] : kf[i])
#define KR(i) (reverse ? kf[n - 1 - (i)] : kr[i])
    double acc = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        /* log(pi_j / pi_i) = sum_{l=j}^{i-1} log(kr_l / kf_l), for j = i down to 0 */
        double lr = 0.0, inner = -INFINITY;
        for (size_t j = i + 1; j-- > 0;) {
            if (j < i)
                lr += log(KR(j)) - log(KF(j));
            double hi = fmax(inner, lr);
            inner = hi + log(exp(inner - hi) + exp(lr - hi));
        }
        double term = inner - log(KF(i));
        double hi = fmax(acc, term);
        acc = hi + log(exp(acc - hi) + exp(term - hi));
    }
#undef KF
#undef KR
    return acc;
}

int gn_steps_chain_rate(size_t n, const double *kf, const double *kr, double *rate_fwd,
                        double *rate_rev, gn_error *err)
{
    *rate_fwd = *rate_rev = NAN;
    if (n == 0)
        return gn_error_set(err, GN_EINVAL, "chain rate: no steps");
    for (size_t i = 0; i < n; i++)
        if (!(kf[i] > 0.0 && isfinite(kf[i]) && kr[i] > 0.0 && isfinite(kr[i])))
            return gn_error_set(err, GN_EINVAL, "chain rate: step %zu has rates %g, %g 1/s "
                                "(finite and > 0 needed)", i + 1, kf[i], kr[i]);
    *rate_fwd = exp(-log_mfpt(n, kf, kr, 0));
    *rate_rev = exp(-log_mfpt(n, kf, kr, 1));
    return GN_OK;
}

void gn_steps_chain_update(gn_steps_result *res)
{
    res->rate_fwd = res->rate_rev = NAN;
    size_t n = res->nsteps;
    double *k = malloc(2 * n * sizeof *k + 1);
    if (!k)
        return;
    for (size_t i = 0; i < n; i++) {
        k[i] = res->step[i].rate_fwd;
        k[n + i] = res->step[i].rate_rev;
    }
    gn_error e;
    gn_steps_chain_rate(n, k, k + n, &res->rate_fwd, &res->rate_rev, &e);
    free(k);
}
