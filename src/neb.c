/* gapneb: nudged elastic band, band layer (generic vectors). Lengths in Å, energies in eV, forces
 * in eV/Å, spring constants in eV/Å^2.
 *
 * Improved tangent: Henkelman and Jonsson, J. Chem. Phys. 113, 9978 (2000), eqs. 8-11.
 * Climbing image: Henkelman, Uberuaga and Jonsson, J. Chem. Phys. 113, 9901 (2000), eq. 5.
 * Energy-weighted springs: Asgeirsson, Birgisson, Bjornsson, Becker, Neese, Riplinger and
 * Jonsson, J. Chem. Theory Comput. 17, 4929 (2021), with E_ref = min(E_initial, E_final) as eOn.
 *
 * The atom layer (endpoints, potentials, run folders) is in neb_run.c.
 */
#include "gapneb/neb.h"
#include "neb_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gn_neb_opts_default(gn_neb_opts *o)
{
    memset(o, 0, sizeof *o);
    o->nimages = 7;
    o->k = 5.0;
    o->energy_weighted = 0;
    o->k_min = 0.972; /* eOn's defaults for energy-weighted springs */
    o->k_max = 9.72;
    o->climb = 1;
    o->climb_fmax = 0.5;
    o->interp = GN_INTERP_IDPP;
    o->fmax = 0.01;
    o->max_steps = 1000;
    o->relax_endpoints = 1;
    o->endpoint_fmax = 0.005;
    o->endpoint_max_steps = 2000;
    o->optimizer = GN_MIN_LBFGS; /* fewer force calls than FIRE 2.0 on every path measured */
    o->fire = GN_FIRE_2; /* fewer force calls than FIRE 1 on every Pt path measured (bench) */
    o->dt = 0.1;
    o->max_move = 0.2;
    o->lbfgs_memory = 20;
    o->threads = 1;
    o->lbfgs_inv_curv = 0.01;
    o->collapse_tol = 0.1;
    o->perturb = 0.0;
    o->perturb_seed = 1;
    o->refine = 0;
    o->refine_step = 0.3;
    o->progress_every = 10;
}

int gn_neb_opts_check(const gn_neb_opts *o, gn_error *err)
{
    if (o->nimages < 1)
        return gn_error_set(err, GN_EINVAL, "NEB: at least 1 movable image needed (got %d)",
                            o->nimages);
    if (!(o->k > 0.0) || !isfinite(o->k))
        return gn_error_set(err, GN_EINVAL, "NEB: spring constant must be > 0 eV/Å^2 (got %g)",
                            o->k);
    if (o->energy_weighted && !(o->k_min > 0.0 && o->k_min <= o->k_max && isfinite(o->k_max)))
        return gn_error_set(err, GN_EINVAL,
                            "NEB: energy-weighted springs need 0 < k_min <= k_max (got %g, %g)",
                            o->k_min, o->k_max);
    if (!(o->fmax > 0.0) || !(o->endpoint_fmax > 0.0) || !(o->climb_fmax >= 0.0))
        return gn_error_set(err, GN_EINVAL, "NEB: fmax values must be > 0 eV/Å");
    if (o->max_steps < 0 || o->endpoint_max_steps < 0)
        return gn_error_set(err, GN_EINVAL, "NEB: step caps must be >= 0");
    if (!(o->dt > 0.0) || !(o->max_move > 0.0) || !(o->collapse_tol >= 0.0))
        return gn_error_set(err, GN_EINVAL, "NEB: dt and max_move must be > 0");
    if (!(o->perturb >= 0.0) || !isfinite(o->perturb))
        return gn_error_set(err, GN_EINVAL, "NEB: perturbation must be >= 0 Å (got %g)",
                            o->perturb);
    if (o->refine < 0 || (o->refine > 0 && !(o->refine_step > 0.0 && isfinite(o->refine_step))))
        return gn_error_set(err, GN_EINVAL, "NEB: refinement needs rounds >= 0 and a step > 0 Å "
                            "(got %d, %g)", o->refine, o->refine_step);
    if (o->optimizer != GN_MIN_FIRE && o->optimizer != GN_MIN_LBFGS)
        return gn_error_set(err, GN_EINVAL, "NEB: unknown optimiser %d", (int)o->optimizer);
    if (o->lbfgs_memory < 1 || o->lbfgs_memory > 1000 || !(o->lbfgs_inv_curv > 0.0) ||
        !isfinite(o->lbfgs_inv_curv))
        return gn_error_set(err, GN_EINVAL, "NEB: L-BFGS needs a memory of 1..1000 pairs and an "
                            "inverse curvature > 0 Å^2/eV (got %d, %g)", o->lbfgs_memory,
                            o->lbfgs_inv_curv);
    if (o->threads < 1 || o->threads > 64)
        return gn_error_set(err, GN_EINVAL, "NEB: threads per force call must be 1..64 (got %d)",
                            o->threads);
    if (o->fire != GN_FIRE_1 && o->fire != GN_FIRE_2)
        return gn_error_set(err, GN_EINVAL, "NEB: unknown FIRE variant %d", (int)o->fire);
    if (o->interp != GN_INTERP_IDPP && o->interp != GN_INTERP_LINEAR)
        return gn_error_set(err, GN_EINVAL, "NEB: unknown interpolation %d", (int)o->interp);
    return GN_OK;
}

void gn_neb_fire_opts(const gn_neb_opts *o, double fmax, int max_steps, gn_fire_opts *fo)
{
    gn_fire_opts_default(fo, o->fire);
    fo->fmax = fmax;
    fo->max_steps = max_steps;
    fo->dt = o->dt;
    fo->dt_max = 10.0 * o->dt;
    if (o->fire == GN_FIRE_2)
        fo->dt_min = 0.02 * o->dt;
    fo->max_move = o->max_move;
}

int gn_interp_parse(const char *s, gn_interp *out, gn_error *err)
{
    if (s && strcmp(s, "idpp") == 0)
        *out = GN_INTERP_IDPP;
    else if (s && strcmp(s, "linear") == 0)
        *out = GN_INTERP_LINEAR;
    else
        return gn_error_set(err, GN_EINVAL, "unknown interpolation '%s' (idpp or linear)",
                            s ? s : "");
    return GN_OK;
}

const char *gn_interp_name(gn_interp i) { return i == GN_INTERP_LINEAR ? "linear" : "idpp"; }

int gn_band_eval_init(gn_band_eval *ev, size_t nimages, size_t ndof, gn_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->nimages = nimages;
    ev->ndof = ndof;
    ev->climb_index = -1;
    size_t nv = nimages * ndof;
    if (nv == 0)
        nv = 1;
    ev->energy = calloc(nimages, sizeof *ev->energy);
    ev->f_tan = calloc(nimages, sizeof *ev->f_tan);
    ev->s = calloc(nimages, sizeof *ev->s);
    ev->true_force = calloc(nv, sizeof *ev->true_force);
    ev->neb_force = calloc(nv, sizeof *ev->neb_force);
    ev->tangent = calloc(nv, sizeof *ev->tangent);
    if (!ev->energy || !ev->f_tan || !ev->s || !ev->true_force || !ev->neb_force || !ev->tangent) {
        gn_band_eval_clear(ev);
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory for %zu images", nimages);
    }
    return GN_OK;
}

void gn_band_eval_clear(gn_band_eval *ev)
{
    if (!ev)
        return;
    free(ev->energy);
    free(ev->f_tan);
    free(ev->s);
    free(ev->true_force);
    free(ev->neb_force);
    free(ev->tangent);
    memset(ev, 0, sizeof *ev);
    ev->climb_index = -1;
}

static size_t sys_ndof(const gn_band_system *sys) { return sys->nparticles * (size_t)sys->dim; }

static int comp_movable(const gn_band_system *sys, size_t k) { return !sys->mask || sys->mask[k]; }

static void displacement(const gn_band_system *sys, const double *from, const double *to,
                         double *d)
{
    if (sys->displacement) {
        sys->displacement(sys->ctx, from, to, d);
        return;
    }
    size_t n = sys_ndof(sys);
    for (size_t k = 0; k < n; k++)
        d[k] = to[k] - from[k];
}

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

/* Restricts d to the movable components and normalises it; returns the norm before. */
static double normalise_movable(const gn_band_system *sys, double *d)
{
    size_t n = sys_ndof(sys);
    for (size_t k = 0; k < n; k++)
        if (!comp_movable(sys, k))
            d[k] = 0.0;
    double nrm = sqrt(dot(n, d, d));
    if (nrm > 0.0)
        for (size_t k = 0; k < n; k++)
            d[k] /= nrm;
    return nrm;
}

/* Spring constant of the segment between images i-1 and i. */
static double spring_k(const gn_neb_opts *o, const gn_band_eval *ev, size_t i)
{
    if (!o->energy_weighted)
        return o->k;
    size_t m = ev->nimages;
    double emax = ev->energy[0];
    for (size_t j = 1; j < m; j++)
        emax = fmax(emax, ev->energy[j]);
    double eref = fmin(ev->energy[0], ev->energy[m - 1]);
    if (!(emax > eref))
        return o->k_max;
    double a = (emax - fmax(ev->energy[i], ev->energy[i - 1])) / (emax - eref);
    a = fmin(1.0, fmax(0.0, a));
    return (1.0 - a) * o->k_max + a * o->k_min;
}

/* Improved tangent of image i (0 < i < m-1) from tau+ = R_i+1 - R_i and tau- = R_i - R_i-1. */
static void improved_tangent(const gn_band_system *sys, const gn_band_eval *ev, size_t i,
                             const double *tp, const double *tm, double *tau)
{
    size_t n = sys_ndof(sys);
    double vp = ev->energy[i + 1], v = ev->energy[i], vm = ev->energy[i - 1];
    double wp, wm;
    if (vp > v && v > vm) {
        wp = 1.0;
        wm = 0.0;
    } else if (vp < v && v < vm) {
        wp = 0.0;
        wm = 1.0;
    } else {
        /* at an extremum: mix both, weighted toward the higher neighbour (eq. 10-11) */
        double dmax = fmax(fabs(vp - v), fabs(vm - v));
        double dmin = fmin(fabs(vp - v), fabs(vm - v));
        if (vp > vm) {
            wp = dmax;
            wm = dmin;
        } else {
            wp = dmin;
            wm = dmax;
        }
        if (wp == 0.0 && wm == 0.0)
            wp = wm = 1.0; /* flat: the bisector */
    }
    for (size_t k = 0; k < n; k++)
        tau[k] = wp * tp[k] + wm * tm[k];
    normalise_movable(sys, tau);
}

static int highest_image(const gn_band_eval *ev)
{
    int best = 1;
    for (size_t i = 2; i + 1 < ev->nimages; i++)
        if (ev->energy[i] > ev->energy[best])
            best = (int)i;
    return best;
}

/* Largest per-particle NEB force over movable images and components. */
static double band_fmax(const gn_band_system *sys, const gn_band_eval *ev)
{
    size_t n = sys_ndof(sys);
    double best = 0.0;
    for (size_t i = 1; i + 1 < ev->nimages; i++) {
        const double *f = ev->neb_force + i * n;
        for (size_t p = 0; p < sys->nparticles; p++) {
            double s = 0.0;
            for (int c = 0; c < sys->dim; c++) {
                size_t k = p * (size_t)sys->dim + (size_t)c;
                if (comp_movable(sys, k))
                    s += f[k] * f[k];
            }
            best = fmax(best, s);
        }
    }
    return sqrt(best);
}

/* From energies and true forces already in ev: tangents, reaction coordinate, tangential forces
 * and NEB forces with the given climbing image. work holds 2 * ndof numbers. */
static void band_project(const gn_band_system *sys, const double *path, const gn_neb_opts *o,
                         int climb_index, gn_band_eval *ev, double *work)
{
    size_t n = sys_ndof(sys), m = ev->nimages;
    double *tp = work, *tm = work + n;
    ev->s[0] = 0.0;
    for (size_t i = 0; i < m; i++) {
        double *tau = ev->tangent + i * n, *fn = ev->neb_force + i * n;
        const double *ft = ev->true_force + i * n;
        if (i + 1 < m)
            displacement(sys, path + i * n, path + (i + 1) * n, tp);
        if (i > 0) {
            displacement(sys, path + (i - 1) * n, path + i * n, tm);
            ev->s[i] = ev->s[i - 1] + sqrt(dot(n, tm, tm));
        }
        memset(fn, 0, n * sizeof *fn);
        if (i == 0 || i + 1 == m) {
            memcpy(tau, i == 0 ? tp : tm, n * sizeof *tau);
            normalise_movable(sys, tau);
            ev->f_tan[i] = dot(n, ft, tau);
            continue;
        }
        improved_tangent(sys, ev, i, tp, tm, tau);
        double fpar = dot(n, ft, tau);
        ev->f_tan[i] = fpar;
        if ((int)i == climb_index) {
            /* climbing: true force with its tangential component inverted, no springs */
            for (size_t k = 0; k < n; k++)
                fn[k] = comp_movable(sys, k) ? ft[k] - 2.0 * fpar * tau[k] : 0.0;
            continue;
        }
        /* |tau+| and |tau-| over movable components: fixed ones do not belong to the band */
        double lpm = 0.0, lmm = 0.0;
        for (size_t k = 0; k < n; k++)
            if (comp_movable(sys, k)) {
                lpm += tp[k] * tp[k];
                lmm += tm[k] * tm[k];
            }
        double fs = spring_k(o, ev, i + 1) * sqrt(lpm) - spring_k(o, ev, i) * sqrt(lmm);
        for (size_t k = 0; k < n; k++)
            fn[k] = comp_movable(sys, k) ? ft[k] - fpar * tau[k] + fs * tau[k] : 0.0;
    }
    ev->climb_index = climb_index;
    ev->fmax = band_fmax(sys, ev);
}

static int eval_image(const gn_band_system *sys, int i, const double *x, gn_band_eval *ev,
                      unsigned long *evals, gn_error *err)
{
    size_t n = sys_ndof(sys);
    int rc = sys->energy(sys->ctx, i, x, &ev->energy[i], ev->true_force + (size_t)i * n, err);
    if (evals)
        (*evals)++;
    if (rc)
        return gn_error_prefix(err, "NEB image %d: ", i);
    if (!isfinite(ev->energy[i]))
        return gn_error_set(err, GN_ERANGE, "NEB image %d: non-finite energy", i);
    return GN_OK;
}

/* Images first .. first+count-1 in one call of sys->energies. */
static int eval_range(const gn_band_system *sys, size_t first, size_t count, const double *path,
                      gn_band_eval *ev, unsigned long *evals, gn_error *err)
{
    size_t n = sys_ndof(sys);
    int rc = sys->energies(sys->ctx, (int)first, (int)count, path + first * n,
                           ev->energy + first, ev->true_force + first * n, err);
    if (evals)
        *evals += count;
    if (rc)
        return gn_error_prefix(err, "NEB images %zu-%zu: ", first, first + count - 1);
    for (size_t i = first; i < first + count; i++)
        if (!isfinite(ev->energy[i]))
            return gn_error_set(err, GN_ERANGE, "NEB image %zu: non-finite energy", i);
    return GN_OK;
}

static int eval_energies(const gn_band_system *sys, size_t m, const double *path, int endpoints,
                         gn_band_eval *ev, unsigned long *evals, gn_error *err)
{
    size_t n = sys_ndof(sys);
    if (sys->energies)
        return endpoints ? eval_range(sys, 0, m, path, ev, evals, err)
                         : eval_range(sys, 1, m - 2, path, ev, evals, err);
    for (size_t i = 0; i < m; i++) {
        if (!endpoints && (i == 0 || i + 1 == m))
            continue;
        int rc = eval_image(sys, (int)i, path + i * n, ev, evals, err);
        if (rc)
            return rc;
    }
    return GN_OK;
}

int gn_band_forces(const gn_band_system *sys, size_t nimages, const double *path,
                   const gn_neb_opts *o, int climb_index, int have_endpoint_energies,
                   gn_band_eval *ev, gn_error *err)
{
    if (nimages < 3 || ev->nimages != nimages || ev->ndof != sys_ndof(sys))
        return gn_error_set(err, GN_EINVAL, "NEB: band of %zu images (3 or more needed)",
                            nimages);
    if (climb_index == 0 || climb_index >= (int)nimages - 1)
        return gn_error_set(err, GN_EINVAL, "NEB: climbing image %d is not a movable image",
                            climb_index);
    int rc = eval_energies(sys, nimages, path, !have_endpoint_energies, ev, NULL, err);
    if (rc)
        return rc;
    double *work = malloc(2 * ev->ndof * sizeof *work + 1);
    if (!work)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    band_project(sys, path, o, climb_index, ev, work);
    free(work);
    return GN_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Symmetry breaking of the starting band. */

/* splitmix64 (Steele, Lea and Flood, OOPSLA 2014): a few lines, good enough for a displacement
 * pattern, and its state lives on the caller's stack. */
static unsigned long long splitmix64(unsigned long long *state)
{
    unsigned long long z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1]. */
static double uniform_pm1(unsigned long long *state)
{
    return 2.0 * ((double)(splitmix64(state) >> 11) * 0x1.0p-53) - 1.0;
}

int gn_band_perturb(const gn_band_system *sys, size_t nimages, double *path, double amplitude,
                    unsigned long seed, gn_error *err)
{
    size_t n = sys_ndof(sys);
    if (!(amplitude > 0.0) || nimages < 3 || n == 0)
        return GN_OK;
    double *u = malloc(n * sizeof *u);
    if (!u)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    unsigned long long state = seed;
    for (size_t k = 0; k < n; k++) {
        double r = uniform_pm1(&state); /* drawn for every component: the pattern of a movable
                                           atom does not depend on which others are fixed */
        u[k] = comp_movable(sys, k) ? r : 0.0;
    }
    double big = 0.0;
    for (size_t p = 0; p < sys->nparticles; p++) {
        double s = 0.0;
        for (int c = 0; c < sys->dim; c++)
            s += u[p * (size_t)sys->dim + (size_t)c] * u[p * (size_t)sys->dim + (size_t)c];
        big = fmax(big, s);
    }
    if (big > 0.0) {
        double scale = amplitude / sqrt(big);
        for (size_t i = 1; i + 1 < nimages; i++) {
            double w = scale * sin(M_PI * (double)i / (double)(nimages - 1));
            for (size_t k = 0; k < n; k++)
                path[i * n + k] += w * u[k];
        }
    }
    free(u);
    return GN_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The band as one minimiser objective over the movable images' coordinates. */

typedef struct band_obj {
    const gn_band_system *sys;
    const gn_neb_opts *o;
    size_t m, n;
    double *path;
    gn_band_eval *ev;
    double *work;
    int climb_on;
    int ends_pending; /* endpoint energies still to come (with the first band evaluation) */
    int nevals;           /* band evaluations so far */
    double fmax_start;    /* band fmax at the first one */
    int climb_start;      /* climbing was on at the first one */
    int climb_index;   /* of the last evaluation, -1 before climbing */
    unsigned version;  /* bumped when the climbing image changes: the force means another thing */
    unsigned long evals;
    int iter;
    int stopped;
} band_obj;

static int band_eval(void *ctx, const double *x, double *energy, double *force, gn_error *err)
{
    band_obj *b = ctx;
    size_t n = b->n, m = b->m;
    memcpy(b->path + n, x, (m - 2) * n * sizeof *x);
    int rc = eval_energies(b->sys, m, b->path, b->ends_pending, b->ev, &b->evals, err);
    if (rc)
        return rc;
    b->ends_pending = 0;
    const double threshold = fmax(b->o->climb_fmax, b->o->fmax);
    if (b->o->climb && !b->climb_on && b->o->climb_at_start && b->nevals == 0) {
        /* a band that was climbing (a restart): it climbs again at once if, climbing, it is
         * already as far along as climbing needs */
        band_project(b->sys, b->path, b->o, highest_image(b->ev), b->ev, b->work);
        if (b->ev->fmax < threshold)
            b->climb_on = 1;
    }
    if (b->o->climb && !b->climb_on) {
        band_project(b->sys, b->path, b->o, -1, b->ev, b->work);
        /* never let the band converge before climbing has been switched on */
        if (b->ev->fmax < threshold)
            b->climb_on = 1;
    }
    int ci = b->climb_on ? highest_image(b->ev) : -1;
    if (ci != b->climb_index) {
        b->climb_index = ci;
        b->version++;
    }
    band_project(b->sys, b->path, b->o, ci, b->ev, b->work);
    memcpy(force, b->ev->neb_force + n, (m - 2) * n * sizeof *force);
    if (b->nevals++ == 0) {
        b->fmax_start = b->ev->fmax;
        b->climb_start = b->climb_on;
    }
    double e = 0.0;
    for (size_t i = 1; i + 1 < m; i++)
        e += b->ev->energy[i];
    *energy = e;
    return GN_OK;
}

static double band_barrier(const gn_band_eval *ev)
{
    double emax = ev->energy[0];
    for (size_t i = 1; i < ev->nimages; i++)
        emax = fmax(emax, ev->energy[i]);
    return emax - ev->energy[0];
}

static int band_progress(void *ctx, int step, double energy, double fmax)
{
    (void)energy;
    band_obj *b = ctx;
    b->iter = step;
    const gn_neb_opts *o = b->o;
    int every = o->progress_every > 0 ? o->progress_every : 10;
    if (!o->progress || (step % every != 0 && fmax >= o->fmax))
        return 0;
    if (o->progress(o->progress_ctx, step, fmax, band_barrier(b->ev), b->ev->climb_index)) {
        b->stopped = 1;
        return 1;
    }
    return 0;
}

static int band_mask(const gn_band_system *sys, size_t m, unsigned char **out, gn_error *err)
{
    size_t n = sys_ndof(sys);
    unsigned char *mask = malloc((m - 2) * n + 1);
    if (!mask)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    for (size_t i = 0; i + 2 < m; i++)
        for (size_t k = 0; k < n; k++)
            mask[i * n + k] = (unsigned char)comp_movable(sys, k);
    *out = mask;
    return GN_OK;
}

/* A progress callback that numbers the steps of a continuation after those already made. */
typedef struct step_offset {
    int (*progress)(void *, int, double, double);
    void *ctx;
    int offset;
} step_offset;

static int offset_progress(void *ctx, int step, double energy, double fmax)
{
    const step_offset *so = ctx;
    return so->progress(so->ctx, so->offset + step, energy, fmax);
}

int gn_neb_minimize(const gn_neb_opts *o, const gn_objective *obj, double *x, double fmax,
                    int max_steps, int (*progress)(void *, int, double, double), void *pctx,
                    gn_min_result *res, gn_error *err)
{
    if (o->optimizer == GN_MIN_LBFGS) {
        gn_lbfgs_opts lo;
        gn_lbfgs_opts_default(&lo);
        lo.fmax = fmax;
        lo.max_steps = max_steps;
        lo.memory = o->lbfgs_memory;
        lo.inv_curv = o->lbfgs_inv_curv;
        lo.max_move = o->max_move;
        lo.patience = GN_NEB_LBFGS_PATIENCE;
        lo.progress = progress;
        lo.progress_ctx = pctx;
        int rc = gn_lbfgs_minimize(obj, x, &lo, res, err);
        if (rc || !res->stalled || res->steps >= max_steps)
            return rc;
        /* L-BFGS is lost (a band whose climbing image keeps changing, say): FIRE from the
         * lowest fmax it saw */
        gn_neb_opts fire = *o;
        fire.optimizer = GN_MIN_FIRE;
        gn_min_result fr;
        step_offset so = {progress, pctx, res->steps};
        rc = gn_neb_minimize(&fire, obj, x, fmax, max_steps - res->steps,
                             progress ? offset_progress : NULL, &so, &fr, err);
        if (!rc) {
            res->converged = fr.converged;
            res->steps += fr.steps;
            res->evals += fr.evals;
            res->energy = fr.energy;
            res->fmax = fr.fmax;
        }
        return rc;
    }
    gn_fire_opts fo;
    gn_fire_opts_default(&fo, o->fire);
    fo.fmax = fmax;
    fo.max_steps = max_steps;
    fo.dt = o->dt;
    fo.dt_max = 10.0 * o->dt;
    if (o->fire == GN_FIRE_2)
        fo.dt_min = 0.02 * o->dt;
    fo.max_move = o->max_move;
    fo.progress = progress;
    fo.progress_ctx = pctx;
    return gn_fire_minimize(obj, x, &fo, res, err);
}

int gn_band_relax(const gn_band_system *sys, size_t nimages, double *path, const gn_neb_opts *o,
                  gn_band_eval *ev, gn_band_result *res, gn_error *err)
{
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
    size_t n = sys_ndof(sys), m = nimages;
    if (m < 3 || ev->nimages != m || ev->ndof != n)
        return gn_error_set(err, GN_EINVAL, "NEB: band of %zu images (3 or more needed)", m);
    band_obj b = {.sys = sys, .o = o, .m = m, .n = n, .path = path, .ev = ev, .climb_index = -1};
    unsigned char *mask = NULL;
    double *x = malloc((m - 2) * n * sizeof *x + 1);
    b.work = malloc(2 * n * sizeof *b.work + 1);
    int rc = band_mask(sys, m, &mask, err);
    if (!rc && (!x || !b.work))
        rc = gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    if (!rc) {
        rc = gn_band_perturb(sys, m, path, o->perturb, o->perturb_seed, err);
        /* endpoint energies once: they never move; with an images callback they go with the
         * first band evaluation, so that all m images are evaluated in parallel */
        b.ends_pending = sys->energies != NULL;
        if (!rc && !b.ends_pending)
            rc = eval_image(sys, 0, path, ev, &b.evals, err);
        if (!rc && !b.ends_pending)
            rc = eval_image(sys, (int)m - 1, path + (m - 1) * n, ev, &b.evals, err);
    }
    if (!rc) {
        memcpy(x, path + n, (m - 2) * n * sizeof *x);
        gn_objective obj = {.nparticles = (m - 2) * sys->nparticles, .dim = sys->dim,
                            .mask = mask, .eval = band_eval, .ctx = &b, .version = &b.version};
        gn_min_result fr;
        rc = gn_neb_minimize(o, &obj, x, o->fmax, o->max_steps, band_progress, &b, &fr, err);
        if (!rc) {
            /* the last evaluation was at the final x, so ev describes path as it is now */
            memcpy(path + n, x, (m - 2) * n * sizeof *x);
            res->converged = fr.converged && (!o->climb || b.climb_on) && !b.stopped;
            res->fmax_start = b.fmax_start;
            res->converged_start = b.fmax_start < o->fmax && (!o->climb || b.climb_start);
            res->iterations = fr.steps;
            res->fmax = ev->fmax;
            res->climb_index = ev->climb_index;
        }
    }
    res->evals = b.evals;
    free(x);
    free(b.work);
    free(mask);
    return rc;
}
