/* gapneb: FIRE minimiser over a gn_objective. Positions in Å, energies in eV, forces in eV/Å.
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

static int evaluate(const gn_objective *obj, const double *x, fire_state *st, double *energy,
                    gn_fire_result *res, gn_error *err)
{
    int rc = obj->eval(obj->ctx, x, energy, st->f, err);
    res->evals++;
    if (rc)
        return rc;
    for (size_t k = 0; k < st->n; k++)
        if (movable(obj, k) && !isfinite(st->f[k]))
            return gn_error_set(err, GN_ERANGE, "FIRE: non-finite force at component %zu", k);
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
    rc = evaluate(obj, x, &st, &energy, res, err);
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
        rc = evaluate(obj, x, &st, &energy, res, err);
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
