/* gapneb: FIRE and L-BFGS minimisers over a gn_objective. Positions in Å, energies in eV, forces
 * in eV/Å.
 *
 * FIRE: Bitzek, Koskinen, Gahler, Moseler and Gumbsch, Phys. Rev. Lett. 97, 170201 (2006).
 * FIRE 2.0: Guenole, Noehring, Vaid, Houlle, Xie, Prakash and Bitzek, Comput. Mater. Sci. 175,
 * 109584 (2020) (semi-implicit Euler, half step back on P <= 0, initial delay, dt_min).
 *
 * The dynamics uses unit masses, so a step moves x by dt * v with v in eV/Å * (time unit): the
 * time step is in optimiser units, not fs. The defaults dt = 0.1, dt_max = 1.0 are those the
 * reference codes ship for atomistic systems (ASE's FIRE), i.e. a first step of 0.01 Å per eV/Å.
 * Every step is scaled down, as a whole, so that no particle moves more than max_move: scaling
 * the whole vector keeps the FIRE direction.
 *
 * L-BFGS: see minimize.h. No line search, because the NEB force it is meant for has no energy
 * whose minimum it points to; the max_move cap and the resets take its place, as in the global
 * L-BFGS of Sheppard, Terrell and Henkelman (2008).
 */
#include "gapneb/minimize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gn_fire_opts_default(gn_fire_opts *o, gn_fire_variant v)
{
    memset(o, 0, sizeof *o);
    o->variant = v;
    o->fmax = 0.01;
    o->max_steps = 1000;
    o->dt = 0.1;
    o->dt_max = 10.0 * o->dt;
    o->max_move = 0.2;
    o->f_inc = 1.1;
    o->f_dec = 0.5;
    o->f_alpha = 0.99;
    if (v == GN_FIRE_2) {
        o->n_min = 20;           /* N_delay */
        o->alpha_start = 0.25;
        o->dt_min = 0.02 * o->dt;
        o->max_uphill = 2000;
    } else {
        o->variant = GN_FIRE_1;
        o->n_min = 5;
        o->alpha_start = 0.1;
        o->dt_min = 0.0;
        o->max_uphill = 0;
    }
}

static int movable(const gn_objective *obj, size_t k) { return !obj->mask || obj->mask[k]; }

double gn_objective_fmax(const gn_objective *obj, const double *force)
{
    double best = 0.0;
    const int dim = obj->dim;
    for (size_t p = 0; p < obj->nparticles; p++) {
        double s = 0.0;
        for (int c = 0; c < dim; c++) {
            size_t k = p * (size_t)dim + (size_t)c;
            if (movable(obj, k))
                s += force[k] * force[k];
        }
        if (s > best)
            best = s;
    }
    return sqrt(best);
}

/* Largest per-particle norm of a displacement over movable components. */
static double max_particle_norm(const gn_objective *obj, const double *d)
{
    return gn_objective_fmax(obj, d);
}

typedef struct fire_state {
    size_t n;
    double *v, *f, *dx;
    double dt, alpha;
    int npos, nneg;
} fire_state;

static double masked_dot(const gn_objective *obj, size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        if (movable(obj, k))
            s += a[k] * b[k];
    return s;
}

/* v <- (1 - alpha) v + alpha |v| F/|F|, the FIRE steering toward the force. */
static void fire_mix(const gn_objective *obj, fire_state *st)
{
    double vn = sqrt(masked_dot(obj, st->n, st->v, st->v));
    double fn = sqrt(masked_dot(obj, st->n, st->f, st->f));
    if (fn <= 0.0)
        return;
    for (size_t k = 0; k < st->n; k++)
        if (movable(obj, k))
            st->v[k] = (1.0 - st->alpha) * st->v[k] + st->alpha * vn * st->f[k] / fn;
}

/* Applies the step in st->dx to x after limiting it to max_move per particle. */
static void apply_step(const gn_objective *obj, const gn_fire_opts *o, fire_state *st, double *x)
{
    double m = max_particle_norm(obj, st->dx);
    double scale = (o->max_move > 0.0 && m > o->max_move) ? o->max_move / m : 1.0;
    for (size_t k = 0; k < st->n; k++) {
        if (!movable(obj, k)) {
            st->dx[k] = 0.0;
            continue;
        }
        st->dx[k] *= scale;
        x[k] += st->dx[k];
    }
}

/* One FIRE 1 update (Bitzek 2006, velocity mixing before the Euler step, as the reference
 * implementations do). Fills st->dx. */
static void fire1_update(const gn_objective *obj, const gn_fire_opts *o, fire_state *st)
{
    double p = masked_dot(obj, st->n, st->f, st->v);
    if (p > 0.0) {
        fire_mix(obj, st);
        if (st->npos > o->n_min) {
            st->dt = fmin(st->dt * o->f_inc, o->dt_max);
            st->alpha *= o->f_alpha;
        }
        st->npos++;
    } else {
        memset(st->v, 0, st->n * sizeof *st->v);
        st->alpha = o->alpha_start;
        st->dt *= o->f_dec;
        st->npos = 0;
    }
    for (size_t k = 0; k < st->n; k++) {
        st->v[k] = movable(obj, k) ? st->v[k] + st->dt * st->f[k] : 0.0;
        st->dx[k] = st->dt * st->v[k];
    }
}

/* One FIRE 2.0 update (Guenole 2020, Algorithm 2). The half step back on an uphill step and the
 * next forward step are merged into one displacement, so that max_move bounds the distance
 * between two successive evaluations. Returns 1 when the uphill cap is reached. */
static int fire2_update(const gn_objective *obj, const gn_fire_opts *o, fire_state *st, int step)
{
    double p = masked_dot(obj, st->n, st->f, st->v);
    double back_scale = 0.0;
    if (p > 0.0) {
        st->npos++;
        st->nneg = 0;
        if (st->npos > o->n_min) {
            st->dt = fmin(st->dt * o->f_inc, o->dt_max);
            st->alpha *= o->f_alpha;
        }
    } else {
        st->npos = 0;
        st->nneg++;
        if (o->max_uphill > 0 && st->nneg > o->max_uphill)
            return 1;
        if (step >= o->n_min) { /* initial delay: no dt decrease during the first steps */
            if (st->dt * o->f_dec >= o->dt_min)
                st->dt *= o->f_dec;
            st->alpha = o->alpha_start;
        }
        /* half step back: -0.5 dt v, with v the velocity of the last (limited) step */
        back_scale = -0.5;
        memset(st->v, 0, st->n * sizeof *st->v);
    }
    for (size_t k = 0; k < st->n; k++)
        st->v[k] = movable(obj, k) ? st->v[k] + st->dt * st->f[k] : 0.0;
    fire_mix(obj, st);
    for (size_t k = 0; k < st->n; k++)
        st->dx[k] = back_scale * st->dx[k] + st->dt * st->v[k];
    return 0;
}

static int check_opts(const gn_objective *obj, const gn_fire_opts *o, gn_error *err)
{
    if (!obj || !obj->eval || obj->dim <= 0)
        return gn_error_set(err, GN_EINVAL, "FIRE: invalid objective");
    if (o->variant != GN_FIRE_1 && o->variant != GN_FIRE_2)
        return gn_error_set(err, GN_EINVAL, "FIRE: unknown variant %d", (int)o->variant);
    if (!(o->fmax > 0.0) || !(o->dt > 0.0) || !(o->dt_max >= o->dt) || o->max_steps < 0 ||
        !(o->max_move > 0.0) || !(o->f_inc >= 1.0) || !(o->f_dec > 0.0 && o->f_dec < 1.0) ||
        !(o->alpha_start > 0.0 && o->alpha_start < 1.0) || !(o->f_alpha > 0.0 && o->f_alpha <= 1.0))
        return gn_error_set(err, GN_EINVAL,
                            "FIRE: invalid options (fmax %g eV/Å, dt %g, dt_max %g, max_move %g Å, "
                            "max_steps %d)",
                            o->fmax, o->dt, o->dt_max, o->max_move, o->max_steps);
    return GN_OK;
}

static int evaluate(const gn_objective *obj, const double *x, size_t n, double *f,
                    double *energy, gn_min_result *res, gn_error *err)
{
    int rc = obj->eval(obj->ctx, x, energy, f, err);
    res->evals++;
    if (rc)
        return rc;
    for (size_t k = 0; k < n; k++)
        if (movable(obj, k) && !isfinite(f[k]))
            return gn_error_set(err, GN_ERANGE, "minimiser: non-finite force at component %zu", k);
    return GN_OK;
}

int gn_fire_minimize(const gn_objective *obj, double *x, const gn_fire_opts *o,
                     gn_fire_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_opts(obj, o, err);
    if (rc)
        return rc;
    fire_state st = {.n = obj->nparticles * (size_t)obj->dim, .dt = o->dt,
                     .alpha = o->alpha_start};
    size_t n = st.n ? st.n : 1;
    st.v = calloc(n, sizeof *st.v);
    st.f = calloc(n, sizeof *st.f);
    st.dx = calloc(n, sizeof *st.dx);
    if (!st.v || !st.f || !st.dx) {
        rc = gn_error_set(err, GN_ENOMEM, "FIRE: out of memory");
        goto done;
    }
    double energy = 0.0;
    rc = evaluate(obj, x, st.n, st.f, &energy, res, err);
    if (rc)
        goto done;
    double fmax = gn_objective_fmax(obj, st.f);
    for (int step = 0; fmax >= o->fmax && step < o->max_steps; step++) {
        int stop = 0;
        if (o->variant == GN_FIRE_2)
            stop = fire2_update(obj, o, &st, step);
        else
            fire1_update(obj, o, &st);
        if (stop)
            break;
        apply_step(obj, o, &st, x);
        rc = evaluate(obj, x, st.n, st.f, &energy, res, err);
        if (rc)
            goto done;
        fmax = gn_objective_fmax(obj, st.f);
        res->steps = step + 1;
        if (o->progress && o->progress(o->progress_ctx, step + 1, energy, fmax))
            break;
    }
    res->converged = fmax < o->fmax;
    res->energy = energy;
    res->fmax = fmax;
done:
    free(st.v);
    free(st.f);
    free(st.dx);
    return rc;
}

/* ---- L-BFGS ------------------------------------------------------------------------------- */

int gn_minimizer_parse(const char *s, gn_minimizer *out, gn_error *err)
{
    if (s && strcmp(s, "fire") == 0)
        *out = GN_MIN_FIRE;
    else if (s && strcmp(s, "lbfgs") == 0)
        *out = GN_MIN_LBFGS;
    else
        return gn_error_set(err, GN_EINVAL, "unknown optimiser '%s' (expected fire or lbfgs)",
                            s ? s : "");
    return GN_OK;
}

const char *gn_minimizer_name(gn_minimizer m)
{
    return m == GN_MIN_FIRE ? "fire" : m == GN_MIN_LBFGS ? "lbfgs" : "unknown";
}

void gn_lbfgs_opts_default(gn_lbfgs_opts *o)
{
    memset(o, 0, sizeof *o);
    o->fmax = 0.01;
    o->max_steps = 1000;
    o->memory = 20;
    o->inv_curv = 0.01;
    o->auto_scale = 1;
    o->max_move = 0.2;
}

typedef struct lbfgs_state {
    size_t n;
    int mem;         /* capacity in pairs */
    int k;           /* pairs held, the newest at (head + k - 1) % mem */
    int head;
    double *s, *y;   /* mem * n: steps and gradient changes (force before minus force after) */
    double *rho;     /* 1 / s.y */
    double *a;       /* two-loop coefficients */
    double *f, *fprev, *xprev, *d;
    double h0;       /* inverse curvature of the initial matrix, Å^2/eV */
    int downhill;    /* the last step met negative curvature: the next goes the cap along f */
    double trust;    /* step cap (largest particle move), Å: max_move, less after bad steps */
    double fnorm;    /* |f| over the movable components at the current x */
    double *xbest;   /* x of the lowest fmax so far (patience only) */
} lbfgs_state;

static void lbfgs_free(lbfgs_state *st)
{
    free(st->s);
    free(st->y);
    free(st->rho);
    free(st->a);
    free(st->f);
    free(st->fprev);
    free(st->xprev);
    free(st->d);
    free(st->xbest);
}

static int lbfgs_alloc(lbfgs_state *st, size_t n, int mem)
{
    size_t nn = n ? n : 1;
    *st = (lbfgs_state){.n = n, .mem = mem};
    st->s = malloc((size_t)mem * nn * sizeof *st->s);
    st->y = malloc((size_t)mem * nn * sizeof *st->y);
    st->rho = malloc((size_t)mem * sizeof *st->rho);
    st->a = malloc((size_t)mem * sizeof *st->a);
    st->f = calloc(nn, sizeof *st->f);
    st->fprev = calloc(nn, sizeof *st->fprev);
    st->xprev = calloc(nn, sizeof *st->xprev);
    st->d = calloc(nn, sizeof *st->d);
    st->xbest = calloc(nn, sizeof *st->xbest);
    return st->s && st->y && st->rho && st->a && st->f && st->fprev && st->xprev && st->d &&
           st->xbest;
}

/* Stores the pair of the last step if its curvature s.y is positive; otherwise, or when the
 * objective changed, forgets every pair. Negative curvature along the step means that the
 * objective keeps falling that way, so the next step goes as far as allowed along the force (as
 * eOn's L-BFGS does), not H0 f, which would crawl out of a concave region. Returns 1 on a reset. */
static int lbfgs_update(const gn_objective *obj, const gn_lbfgs_opts *o, lbfgs_state *st,
                        const double *x, int changed)
{
    const size_t n = st->n;
    int slot = (st->head + st->k) % st->mem;
    double *s = st->s + (size_t)slot * n, *y = st->y + (size_t)slot * n;
    for (size_t c = 0; c < n; c++) {
        s[c] = movable(obj, c) ? x[c] - st->xprev[c] : 0.0;
        y[c] = movable(obj, c) ? st->fprev[c] - st->f[c] : 0.0;
    }
    double sy = masked_dot(obj, n, s, y), yy = masked_dot(obj, n, y, y);
    if (changed || !(sy > 1e-12 * sqrt(masked_dot(obj, n, s, s) * yy))) {
        st->k = 0;
        st->head = 0;
        st->downhill = !changed && sy < 0.0;
        return 1;
    }
    st->rho[slot] = 1.0 / sy;
    if (st->k < st->mem)
        st->k++;
    else
        st->head = (st->head + 1) % st->mem;
    if (o->auto_scale)
        st->h0 = sy / yy;
    return 0;
}

/* d = H f by the two-loop recursion (H the L-BFGS inverse Hessian; with q = f instead of the
 * gradient the result is the step itself). */
static void lbfgs_direction(const gn_objective *obj, lbfgs_state *st)
{
    const size_t n = st->n;
    for (size_t c = 0; c < n; c++)
        st->d[c] = movable(obj, c) ? st->f[c] : 0.0;
    for (int i = st->k - 1; i >= 0; i--) {
        int slot = (st->head + i) % st->mem;
        const double *s = st->s + (size_t)slot * n, *y = st->y + (size_t)slot * n;
        st->a[i] = st->rho[slot] * masked_dot(obj, n, s, st->d);
        for (size_t c = 0; c < n; c++)
            st->d[c] -= st->a[i] * y[c];
    }
    for (size_t c = 0; c < n; c++)
        st->d[c] *= st->h0;
    for (int i = 0; i < st->k; i++) {
        int slot = (st->head + i) % st->mem;
        const double *s = st->s + (size_t)slot * n, *y = st->y + (size_t)slot * n;
        double b = st->rho[slot] * masked_dot(obj, n, y, st->d);
        for (size_t c = 0; c < n; c++)
            st->d[c] += (st->a[i] - b) * s[c];
    }
}

/* The next step into st->d: max_move along the force after negative curvature; otherwise the
 * L-BFGS direction, or H0 f after a reset or when that direction points against the force; then
 * scaled as a whole to max_move. Returns 1 on a reset. */
static int lbfgs_step(const gn_objective *obj, const gn_lbfgs_opts *o, lbfgs_state *st)
{
    int reset = 0;
    if (st->downhill) {
        st->downhill = 0;
        double m = max_particle_norm(obj, st->f);
        for (size_t c = 0; c < st->n; c++)
            st->d[c] = movable(obj, c) && m > 0.0 ? st->f[c] * st->trust / m : 0.0;
        return 0;
    }
    lbfgs_direction(obj, st);
    if (st->k > 0 && !(masked_dot(obj, st->n, st->d, st->f) > 0.0)) {
        st->k = 0;
        st->head = 0;
        reset = 1;
        lbfgs_direction(obj, st);
    }
    double m = max_particle_norm(obj, st->d);
    if (m > st->trust)
        for (size_t c = 0; c < st->n; c++)
            st->d[c] *= st->trust / m;
    return reset;
}

/* The step cap after a step: a step that more than doubled the force norm went where the model
 * was wrong, so the memory is reset and the cap halved; otherwise the cap grows back towards
 * max_move by half. Without this, a band near convergence could take max_move steps along a
 * direction the model thought soft and blow its forces up from hundredths to eV/Å, over and over
 * (measured: the e2e hop at 8 Å, 2007 force calls against FIRE's 277; with it 0.76x FIRE at worst
 * over 28 bands, bench/neb_calls). Returns 1 on a reset. */
static int lbfgs_trust(const gn_objective *obj, const gn_lbfgs_opts *o, lbfgs_state *st)
{
    double fnorm = sqrt(masked_dot(obj, st->n, st->f, st->f)), before = st->fnorm;
    st->fnorm = fnorm;
    if (fnorm > 2.0 * before) {
        st->trust *= 0.5;
        st->downhill = 0;
        if (st->k > 0) {
            st->k = 0;
            st->head = 0;
            return 1;
        }
        return 0;
    }
    st->trust = fmin(o->max_move, 1.5 * st->trust);
    return 0;
}

static int check_lbfgs_opts(const gn_objective *obj, const gn_lbfgs_opts *o, gn_error *err)
{
    if (!obj || !obj->eval || obj->dim <= 0)
        return gn_error_set(err, GN_EINVAL, "L-BFGS: invalid objective");
    if (!(o->fmax > 0.0) || o->max_steps < 0 || o->memory < 1 || o->memory > 1000 ||
        o->patience < 0 ||
        !(o->inv_curv > 0.0) || !isfinite(o->inv_curv) || !(o->max_move > 0.0))
        return gn_error_set(err, GN_EINVAL,
                            "L-BFGS: invalid options (fmax %g eV/Å, memory %d, inverse curvature "
                            "%g Å^2/eV, max_move %g Å, max_steps %d)",
                            o->fmax, o->memory, o->inv_curv, o->max_move, o->max_steps);
    return GN_OK;
}

static unsigned version_of(const gn_objective *obj) { return obj->version ? *obj->version : 0u; }

int gn_lbfgs_minimize(const gn_objective *obj, double *x, const gn_lbfgs_opts *o,
                      gn_min_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_lbfgs_opts(obj, o, err);
    if (rc)
        return rc;
    lbfgs_state st;
    const size_t n = obj->nparticles * (size_t)obj->dim;
    if (!lbfgs_alloc(&st, n, o->memory)) {
        lbfgs_free(&st);
        return gn_error_set(err, GN_ENOMEM, "L-BFGS: out of memory for %d pairs of %zu numbers",
                            o->memory, n);
    }
    st.h0 = o->inv_curv;
    st.trust = o->max_move;
    double energy = 0.0;
    rc = evaluate(obj, x, n, st.f, &energy, res, err);
    unsigned version = version_of(obj);
    double fmax = rc ? 0.0 : gn_objective_fmax(obj, st.f);
    st.fnorm = rc ? 0.0 : sqrt(masked_dot(obj, n, st.f, st.f));
    double best = fmax;
    int since_best = 0;
    memcpy(st.xbest, x, n * sizeof *x);
    for (int step = 0; !rc && fmax >= o->fmax && step < o->max_steps; step++) {
        res->resets += lbfgs_step(obj, o, &st);
        memcpy(st.xprev, x, n * sizeof *x);
        memcpy(st.fprev, st.f, n * sizeof *st.f);
        for (size_t c = 0; c < n; c++)
            x[c] += st.d[c];
        if ((rc = evaluate(obj, x, n, st.f, &energy, res, err)))
            break;
        unsigned v = version_of(obj);
        res->resets += lbfgs_update(obj, o, &st, x, v != version);
        res->resets += lbfgs_trust(obj, o, &st);
        version = v;
        fmax = gn_objective_fmax(obj, st.f);
        res->steps = step + 1;
        if (fmax < best) {
            best = fmax;
            since_best = 0;
            if (o->patience > 0)
                memcpy(st.xbest, x, n * sizeof *x);
        } else if (o->patience > 0 && ++since_best >= o->patience && fmax > 10.0 * best) {
            res->stalled = 1;
            break;
        }
        if (o->progress && o->progress(o->progress_ctx, step + 1, energy, fmax))
            break;
    }
    if (!rc && res->stalled) {
        /* back to the lowest fmax, evaluated again so that the objective's state matches x */
        memcpy(x, st.xbest, n * sizeof *x);
        rc = evaluate(obj, x, n, st.f, &energy, res, err);
        if (!rc)
            fmax = gn_objective_fmax(obj, st.f);
    }
    if (!rc) {
        res->converged = fmax < o->fmax;
        res->energy = energy;
        res->fmax = fmax;
    }
    lbfgs_free(&st);
    return rc;
}
