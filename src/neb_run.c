/* gapneb: nudged elastic band, atom layer: endpoint relaxation, collapse check, initial band,
 * band relaxation with a potential, and the run folder. Lengths in Å, energies in eV, forces in
 * eV/Å, wall time in s.
 *
 * Every image has its own gn_calc, so its neighbour list (with its Verlet skin) follows that image
 * and is rarely rebuilt; a run shares nothing mutable with other runs, so runs on one potential may
 * go on in parallel threads.
 */
#include "config.h"
#include "gapneb/neb.h"
#include "gapneb/relax.h"
#include "gapneb/interpolate.h"
#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/lowmode.h"
#include "gapneb/profile.h"
#include "neb_internal.h"

#include <pthread.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct atoms_band {
    size_t n, m;        /* atoms, images */
    gn_atoms **img;     /* m scratch structures (positions overwritten per evaluation) */
    gn_calc **calc;     /* m calculators */
    double **fptr;      /* m force pointers for batched evaluations */
    const gn_cell *cell;
    int concurrent;     /* the potential evaluates batches in parallel (an engine pool) */
} atoms_band;

static void atoms_band_free(atoms_band *ab)
{
    for (size_t i = 0; i < ab->m; i++) {
        if (ab->img)
            gn_atoms_free(ab->img[i]);
        if (ab->calc)
            gn_calc_free(ab->calc[i]);
    }
    free(ab->img);
    free(ab->calc);
    free(ab->fptr);
    memset(ab, 0, sizeof *ab);
}

static int atoms_band_new(atoms_band *ab, const gn_potential *pot, const gn_atoms *tmpl, size_t m,
                          int threads, gn_error *err)
{
    memset(ab, 0, sizeof *ab);
    ab->n = tmpl->n;
    ab->img = calloc(m, sizeof *ab->img);
    ab->calc = calloc(m, sizeof *ab->calc);
    ab->fptr = calloc(m, sizeof *ab->fptr);
    if (!ab->img || !ab->calc || !ab->fptr) {
        free(ab->img);
        free(ab->calc);
        free(ab->fptr);
        ab->img = NULL;
        ab->calc = NULL;
        ab->fptr = NULL;
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    }
    ab->concurrent = gn_potential_concurrent(pot);
    ab->m = m;
    for (size_t i = 0; i < m; i++) {
        int rc = gn_atoms_copy(tmpl, &ab->img[i], err);
        if (!rc)
            rc = gn_calc_alloc(pot, &ab->calc[i], err);
        if (!rc)
            rc = gn_calc_set_threads(ab->calc[i], threads, err);
        if (rc) {
            atoms_band_free(ab);
            return rc;
        }
    }
    ab->cell = &ab->img[0]->cell;
    return GN_OK;
}

static unsigned long atoms_band_calls(const atoms_band *ab)
{
    unsigned long c = 0;
    for (size_t i = 0; i < ab->m; i++)
        c += gn_calc_calls(ab->calc[i]);
    return c;
}

static int atoms_image_energy(void *ctx, int image, const double *x, double *energy,
                              double *force, gn_error *err)
{
    atoms_band *ab = ctx;
    gn_atoms *a = ab->img[image];
    memcpy(a->pos, x, 3 * ab->n * sizeof *x);
    return gn_calc_compute(ab->calc[image], a, energy, force, NULL, err);
}

/* The images first .. first+count-1 in one batch: an engine pool evaluates them in parallel. */
static int atoms_images_energy(void *ctx, int first, int count, const double *x, double *energy,
                               double *force, gn_error *err)
{
    atoms_band *ab = ctx;
    size_t n3 = 3 * ab->n;
    for (int i = 0; i < count; i++) {
        memcpy(ab->img[first + i]->pos, x + (size_t)i * n3, n3 * sizeof *x);
        ab->fptr[i] = force + (size_t)i * n3;
    }
    return gn_calc_compute_batch(ab->calc + first, (size_t)count,
                                 (const gn_atoms *const *)(ab->img + first), energy, ab->fptr,
                                 err);
}

static void atoms_disp(void *ctx, const double *from, const double *to, double *d)
{
    const atoms_band *ab = ctx;
    for (size_t a = 0; a < ab->n; a++) {
        for (int k = 0; k < 3; k++)
            d[3 * a + k] = to[3 * a + k] - from[3 * a + k];
        gn_cell_min_image(ab->cell, d + 3 * a);
    }
}

/* --- endpoint relaxation -------------------------------------------------------------------- */

/* The NEB's optimiser at the endpoint tolerances, as a gn_minimize_fn. */
/* Endpoints relax with FIRE whatever the band's optimiser, like every other relaxation of the
 * program (the bare model of a table row, adsorb's configurations, surface energies), so that
 * energies of the same structure agree between them to the relaxations' rounding (test_adsorb
 * compares adsorb's with the table's to 1e-6 eV; L-BFGS endpoints ended 1e-5 eV lower there). */
static int endpoint_minimize(void *ctx, const gn_objective *obj, double *x, gn_min_result *res,
                             gn_error *err)
{
    gn_neb_opts fire = *(const gn_neb_opts *)ctx;
    fire.optimizer = GN_MIN_FIRE;
    return gn_neb_minimize(&fire, obj, x, fire.endpoint_fmax, fire.endpoint_max_steps, NULL, NULL,
                           res, err);
}

/* Relaxes an endpoint in place with the NEB's FIRE settings. */
static int relax_atoms(gn_atoms *a, gn_calc *calc, const gn_neb_opts *o, double *energy,
                       int *converged, gn_error *err)
{
    gn_min_result r;
    int rc = gn_relax_calc_with(calc, a, endpoint_minimize, (void *)o, &r, energy, err);
    if (!rc)
        *converged = r.converged;
    return rc;
}

/* Largest minimum-image displacement of any atom between two structures, Å. */
static double max_displacement(const gn_atoms *a, const double *pa, const double *pb)
{
    double best = 0.0;
    for (size_t i = 0; i < a->n; i++) {
        double d[3];
        for (int k = 0; k < 3; k++)
            d[k] = pb[3 * i + k] - pa[3 * i + k];
        gn_cell_min_image(&a->cell, d);
        best = fmax(best, d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }
    return sqrt(best);
}

/* --- results ---------------------------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void gn_neb_result_clear(gn_neb_result *res)
{
    if (!res)
        return;
    gn_frames_free(res->band, res->nframes);
    free(res->s);
    free(res->energy);
    free(res->f_tan);
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
}

static void result_init(gn_neb_result *res)
{
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
    res->barrier_fwd = res->barrier_rev = res->reaction_energy = NAN;
    res->interp_max = res->interp_max_s = NAN;
    res->e_initial = res->e_final = NAN;
    res->fmax = NAN;
    res->saddle_negative = -1;
}

/* Drops the band frames of a result before the band is relaxed again. */
static void result_drop_frames(gn_neb_result *res)
{
    gn_frames_free(res->band, res->nframes);
    free(res->s);
    free(res->energy);
    free(res->f_tan);
    res->band = NULL;
    res->s = res->energy = res->f_tan = NULL;
    res->nframes = 0;
}

/* Frames of the band: positions, energies, and forces (NEB forces on the movable images; true
 * forces on the endpoints, whose NEB force is zero by definition). */
static int result_frames(gn_neb_result *res, const gn_atoms *tmpl, size_t m, const double *path,
                         const gn_band_eval *ev, gn_error *err)
{
    size_t n = tmpl->n;
    res->band = calloc(m, sizeof *res->band);
    res->s = malloc(m * sizeof *res->s);
    res->energy = malloc(m * sizeof *res->energy);
    res->f_tan = malloc(m * sizeof *res->f_tan);
    if (!res->band || !res->s || !res->energy || !res->f_tan)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    res->nframes = m;
    for (size_t i = 0; i < m; i++) {
        gn_frame *f = &res->band[i];
        int rc = gn_atoms_copy(tmpl, &f->atoms, err);
        if (rc)
            return rc;
        memcpy(f->atoms->pos, path + i * 3 * n, 3 * n * sizeof *path);
        f->energy = ev->energy[i];
        f->has_energy = 1;
        f->forces = malloc(3 * n * sizeof *f->forces + 1);
        if (!f->forces)
            return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
        const double *src = (i == 0 || i + 1 == m) ? ev->true_force : ev->neb_force;
        memcpy(f->forces, src + i * 3 * n, 3 * n * sizeof *src);
        res->s[i] = ev->s[i];
        res->energy[i] = ev->energy[i] - ev->energy[0];
        res->f_tan[i] = ev->f_tan[i];
    }
    return GN_OK;
}

static void result_barriers(gn_neb_result *res, const gn_band_eval *ev)
{
    size_t m = ev->nimages;
    res->e_initial = ev->energy[0];
    res->e_final = ev->energy[m - 1];
    /* the highest image, which is the climbing image once climbing is on; a band that only goes
     * downhill has its barrier at an endpoint */
    int top = 1;
    for (size_t i = 2; i + 1 < m; i++)
        if (ev->energy[i] > ev->energy[top])
            top = (int)i;
    double etop = fmax(ev->energy[top], fmax(res->e_initial, res->e_final));
    res->climb_index = ev->climb_index >= 0 ? ev->climb_index : top;
    res->barrier_fwd = etop - res->e_initial;
    res->barrier_rev = etop - res->e_final;
    res->reaction_energy = res->e_final - res->e_initial;
    gn_profile_max(m, res->s, res->energy, res->f_tan, &res->interp_max_s, &res->interp_max);
}

/* --- the band with a potential ------------------------------------------------------------- */

/* Relaxes the band in path (m images) and fills res (and *out, if not NULL). ab already holds
 * the calculators. */
static int run_band_ex(atoms_band *ab, const gn_atoms *tmpl, double *path, const gn_neb_opts *o,
                       gn_neb_result *res, gn_band_result *out, gn_error *err)
{
    size_t m = ab->m, n = tmpl->n;
    unsigned char *mask = malloc(3 * n);
    if (!mask)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    for (size_t a = 0; a < n; a++)
        mask[3 * a] = mask[3 * a + 1] = mask[3 * a + 2] = (unsigned char)!tmpl->fixed[a];
    gn_band_system sys = {.nparticles = n, .dim = 3, .mask = mask, .energy = atoms_image_energy,
                          .displacement = atoms_disp, .ctx = ab,
                          .energies = ab->concurrent ? atoms_images_energy : NULL};
    gn_band_eval ev;
    int rc = gn_band_eval_init(&ev, m, 3 * n, err);
    if (!rc) {
        gn_band_result br;
        rc = gn_band_relax(&sys, m, path, o, &ev, &br, err);
        if (!rc && out)
            *out = br;
        if (!rc) {
            res->converged = br.converged && (res->endpoints_converged || !o->relax_endpoints);
            res->iterations = br.iterations;
            res->fmax = br.fmax;
            rc = result_frames(res, tmpl, m, path, &ev, err);
        }
        if (!rc)
            result_barriers(res, &ev);
        if (!rc && ev.climb_index >= 0)
            res->climb_index = ev.climb_index;
    }
    gn_band_eval_clear(&ev);
    free(mask);
    return rc;
}

static int run_band(atoms_band *ab, const gn_atoms *tmpl, double *path, const gn_neb_opts *o,
                    gn_neb_result *res, gn_error *err)
{
    return run_band_ex(ab, tmpl, path, o, res, NULL, err);
}

/* --- saddle refinement ------------------------------------------------------------------------ */

/* Of the first nneg modes of lm (Cartesian unit vectors over all 3n components), the one most
 * nearly perpendicular to the band tangent tan (3n), into u: the path direction is the one
 * negative mode a first-order saddle must keep. */
static void pick_mode(size_t n, const gn_lowmode_result *lm, int nneg, const double *tan,
                      double *u)
{
    double best = INFINITY, tt = 0.0;
    for (size_t q = 0; q < 3 * n; q++)
        tt += tan[q] * tan[q];
    for (int k = 0; k < nneg && k < lm->nmodes; k++) {
        const double *v = lm->mode + (size_t)k * lm->ncomp;
        double vt = 0.0;
        for (size_t q = 0; q < 3 * n; q++)
            vt += v[q] * tan[q];
        double c = tt > 0 ? fabs(vt) / sqrt(tt) : 1.0;
        if (c < best) {
            best = c;
            memcpy(u, v, 3 * n * sizeof *u);
        }
    }
}

/* Scales u so that its largest atom displacement is step, largest component positive (so the
 * push does not depend on the eigensolver's sign). */
static void scale_mode(size_t n, double *u, double step)
{
    double big = 0.0, comp = 0.0;
    for (size_t i = 0; i < n; i++) {
        big = fmax(big, sqrt(u[3 * i] * u[3 * i] + u[3 * i + 1] * u[3 * i + 1] +
                             u[3 * i + 2] * u[3 * i + 2]));
        for (int c = 0; c < 3; c++)
            if (fabs(u[3 * i + c]) > fabs(comp))
                comp = u[3 * i + c];
    }
    double f = big > 0 ? (comp < 0 ? -step : step) / big : 0.0;
    for (size_t q = 0; q < 3 * n; q++)
        u[q] *= f;
}

/* Pushes the band along u: fully at the climbing image ci, tapering linearly to nothing at the
 * endpoints, so the band stays continuous. */
static void push_band(double *path, size_t m, size_t n, size_t ci, const double *u)
{
    for (size_t i = 1; i + 1 < m; i++) {
        double w = i <= ci ? (double)i / (double)ci : (double)(m - 1 - i) / (double)(m - 1 - ci);
        for (size_t q = 0; q < 3 * n; q++)
            path[i * 3 * n + q] += w * u[q];
    }
}

/* Watches a pushed band: passes progress on to the caller's callback and stops the band once its
 * barrier estimate rises more than GN_REFINE_RISE above the ridge it left. A push of 0.3 Å along a
 * soft mode raises the energy by hundredths of an eV; a band 1 eV above the ridge has left the
 * path (measured: the e2e transfer at 5.8 Å climbs to tens of eV and never converges), and
 * stopping it saves the rest of the step cap. */
#define GN_REFINE_RISE 1.0
typedef struct refine_watch {
    const gn_neb_opts *user;
    double limit; /* eV above the initial endpoint */
} refine_watch;

static int refine_progress(void *ctx, int iter, double fmax, double barrier, int climb)
{
    const refine_watch *w = ctx;
    if (w->user->progress &&
        w->user->progress(w->user->progress_ctx, iter, fmax, barrier, climb))
        return 1;
    return barrier > w->limit;
}

/* Negative modes the saddle check looks for: the push needs two (the path's and one across it);
 * more only tell how far from first order the point is. */
#define GN_REFINE_MAX_ORDER 4

/* Saddle order of the climbing image ci by the lowest-mode search (lowmode.h: Lanczos on
 * finite-difference Hessian-vector products, a few tens of force calls whatever the size), the
 * band tangent there as the start vector (it is close to the path's unstable mode). tan (3n)
 * receives that tangent; lm the modes found. */
static int saddle_check(atoms_band *ab, const double *path, size_t ci, double *tan, int *order,
                        gn_lowmode_result *lm, gn_error *err)
{
    size_t n = ab->n;
    gn_atoms *a = ab->img[ci];
    memcpy(a->pos, path + ci * 3 * n, 3 * n * sizeof *path);
    atoms_disp(ab, path + (ci - 1) * 3 * n, path + (ci + 1) * 3 * n, tan);
    gn_lowmode_opts lo;
    gn_lowmode_opts_default(&lo);
    lo.guess = tan;
    int rc = gn_lowmode_saddle_order(ab->calc[ci], a, &lo, 0.0, GN_REFINE_MAX_ORDER, order, lm,
                                     err);
    if (rc)
        gn_error_prefix(err, "saddle refinement: ");
    return rc;
}

/* Checks the saddle order of the climbing image of a converged band; while it has a second
 * negative mode (and rounds are left), pushes the band along that mode and relaxes it again.
 * res->saddle_negative records the last count. */
static int refine_saddle(atoms_band *ab, const gn_atoms *tmpl, double *path, const gn_neb_opts *o,
                         gn_neb_result *res, gn_error *err)
{
    size_t m = ab->m, n = tmpl->n;
    double *u = malloc(6 * n * sizeof *u), *saved = malloc(m * 3 * n * sizeof *saved);
    if (!u || !saved) {
        free(u);
        free(saved);
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    }
    double *tan = u + 3 * n;
    gn_neb_opts ro = *o;
    ro.perturb = 0.0; /* the push replaces the random one */
    /* A pushed band relaxes with FIRE whatever the optimiser: a quasi-Newton model has positive
     * curvature in the directions it has not explored and steps back towards the ridge the push
     * left, while FIRE's dynamics roll off it. Measured with L-BFGS on the pushed bands too: the
     * nc transfer at 6 Å (201 atoms) came back to its ridge (2.354 eV, second order) where FIRE
     * found the first-order saddle (2.189 eV), and the e2e transfer at 5.8 Å took 2903 force
     * calls against 2189; L-BFGS was cheaper only on the s2s transfers (357-452 against
     * 393-811). */
    ro.optimizer = GN_MIN_FIRE;
    refine_watch watch = {o, INFINITY};
    ro.progress = refine_progress;
    ro.progress_ctx = &watch;
    int rc = GN_OK;
    for (int round = 0; !rc && res->converged && res->climb_index > 0; round++) {
        size_t ci = (size_t)res->climb_index;
        if (ci + 1 >= m)
            break;
        gn_lowmode_result lm;
        int order;
        rc = saddle_check(ab, path, ci, tan, &order, &lm, err);
        if (rc) {
            gn_lowmode_result_clear(&lm);
            break;
        }
        res->saddle_negative = order;
        if (order >= 2 && round < o->refine) {
            pick_mode(n, &lm, order, tan, u);
            scale_mode(n, u, o->refine_step);
        }
        gn_lowmode_result_clear(&lm);
        if (res->saddle_negative < 2 || round >= o->refine)
            break;
        memcpy(saved, path, m * 3 * n * sizeof *path);
        int iters = res->iterations, nneg = res->saddle_negative;
        watch.limit = res->barrier_fwd + GN_REFINE_RISE;
        push_band(path, m, n, ci, u);
        result_drop_frames(res);
        rc = run_band(ab, tmpl, path, &ro, res, err);
        res->iterations += iters;
        res->refinements++;
        if (!rc && !res->converged) {
            /* back to the converged band before the push: it re-converges at once */
            iters = res->iterations;
            memcpy(path, saved, m * 3 * n * sizeof *path);
            result_drop_frames(res);
            rc = run_band(ab, tmpl, path, &ro, res, err);
            res->iterations += iters;
            res->refine_failed = 1;
            res->saddle_negative = nneg;
            break;
        }
    }
    free(u);
    free(saved);
    return rc;
}

/* Result of a collapsed run: the two relaxed endpoints only, no barrier. */
static int collapsed_result(gn_neb_result *res, const atoms_band *ab, const double e[2],
                            gn_error *err)
{
    res->collapsed = 1;
    res->converged = 0;
    res->e_initial = e[0];
    res->e_final = e[1];
    res->reaction_energy = e[1] - e[0];
    res->band = calloc(2, sizeof *res->band);
    if (!res->band)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    res->nframes = 2;
    for (int i = 0; i < 2; i++) {
        int rc = gn_atoms_copy(ab->img[i ? ab->m - 1 : 0], &res->band[i].atoms, err);
        if (rc)
            return rc;
        res->band[i].energy = e[i];
        res->band[i].has_energy = 1;
    }
    return GN_OK;
}

typedef struct endpoint_job {
    gn_atoms *a;
    gn_calc *calc;
    const gn_neb_opts *o;
    int relax, compute; /* relax it, or only compute its energy */
    double energy;
    int converged;
    int rc;
    gn_error err;
} endpoint_job;

static void *endpoint_work(void *arg)
{
    endpoint_job *j = arg;
    j->rc = GN_OK;
    j->converged = 1;
    if (j->relax)
        j->rc = relax_atoms(j->a, j->calc, j->o, &j->energy, &j->converged, &j->err);
    else if (j->compute)
        j->rc = gn_calc_compute(j->calc, j->a, &j->energy, NULL, NULL, &j->err);
    return NULL;
}

static int prepare_endpoints(atoms_band *ab, const gn_atoms *final,
                             const gn_neb_opts *o, gn_neb_result *res, double e[2], gn_error *err)
{
    gn_atoms *ends[2] = {ab->img[0], ab->img[ab->m - 1]};
    memcpy(ends[1]->pos, final->pos, 3 * final->n * sizeof *final->pos);
    /* only a collapsed run needs the energies here; the band evaluates them itself */
    int collapsed = !o->relax_endpoints &&
                    max_displacement(ends[0], ends[0]->pos, ends[1]->pos) < o->collapse_tol;
    endpoint_job job[2];
    for (int i = 0; i < 2; i++) {
        job[i] = (endpoint_job){.a = ends[i], .calc = ab->calc[i ? ab->m - 1 : 0], .o = o,
                                .relax = o->relax_endpoints, .compute = collapsed};
        gn_error_clear(&job[i].err);
    }
    /* an engine pool relaxes both endpoints at once, each relaxation on its own client */
    pthread_t th;
    int threaded = ab->concurrent && o->relax_endpoints &&
                   pthread_create(&th, NULL, endpoint_work, &job[1]) == 0;
    endpoint_work(&job[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        endpoint_work(&job[1]);
    res->endpoints_converged = job[0].converged && job[1].converged;
    for (int i = 0; i < 2; i++) {
        if (job[i].rc) {
            if (!err)
                return job[i].rc;
            *err = job[i].err;
            return gn_error_prefix(err, "%s endpoint: ", i ? "final" : "initial");
        }
        e[i] = job[i].energy;
    }
    return GN_OK;
}

int gn_neb_run(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *final,
               const gn_neb_opts *o, gn_neb_result *res, gn_error *err)
{
    double t0 = now_seconds();
    result_init(res);
    int rc = gn_neb_opts_check(o, err);
    /* the band moves the atoms the initial endpoint lets move: the two must agree on them */
    if (!rc)
        rc = gn_atoms_compatible(initial, final, err);
    if (!rc)
        rc = gn_atoms_validate(initial, "initial endpoint", 0.5, err);
    if (!rc)
        rc = gn_atoms_validate(final, "final endpoint", 0.5, err);
    if (rc)
        return rc;
    size_t m = (size_t)o->nimages + 2, n = initial->n;
    atoms_band ab;
    rc = atoms_band_new(&ab, pot, initial, m, o->threads, err);
    if (rc)
        return rc;
    double *path = malloc(m * 3 * n * sizeof *path);
    double e[2] = {0, 0};
    if (!path)
        rc = gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    if (!rc)
        rc = prepare_endpoints(&ab, final, o, res, e, err);
    if (!rc) {
        res->endpoint_distance = max_displacement(initial, ab.img[0]->pos, ab.img[m - 1]->pos);
        if (res->endpoint_distance < o->collapse_tol) {
            rc = collapsed_result(res, &ab, e, err);
        } else {
            rc = gn_interp_band(ab.img[0], ab.img[m - 1], o->nimages, o->interp, path, err);
            if (!rc)
                rc = run_band(&ab, initial, path, o, res, err);
            if (!rc && o->refine > 0)
                rc = refine_saddle(&ab, initial, path, o, res, err);
        }
    }
    res->force_calls = atoms_band_calls(&ab);
    res->wall_time = now_seconds() - t0;
    free(path);
    atoms_band_free(&ab);
    if (rc) {
        unsigned long calls = res->force_calls;
        gn_neb_result_clear(res);
        result_init(res);
        res->force_calls = calls;
    }
    return rc;
}

/* A restart relaxes the band it is given and keeps the result only if it is not worse: a band
 * that was converged must not come back unconverged (say after a few capped steps), nor one with a
 * larger force. Worse: not converged where the start was, or (both unconverged) a larger fmax. */
static int keep_better_band(atoms_band *ab, const gn_atoms *tmpl, double *path,
                            const gn_neb_opts *o, gn_neb_result *res, gn_error *err)
{
    size_t len = ab->m * 3 * tmpl->n;
    double *saved = malloc(len * sizeof *saved);
    if (!saved)
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    memcpy(saved, path, len * sizeof *saved);
    gn_band_result br;
    int rc = run_band_ex(ab, tmpl, path, o, res, &br, err);
    int worse = !res->converged && (br.converged_start || !(res->fmax <= br.fmax_start));
    if (!rc && worse) {
        /* the starting band again, evaluated and not moved (and not pushed again) */
        gn_neb_opts so = *o;
        so.max_steps = 0;
        so.perturb = 0.0;
        int iters = res->iterations;
        memcpy(path, saved, len * sizeof *saved);
        result_drop_frames(res);
        rc = run_band(ab, tmpl, path, &so, res, err);
        res->iterations += iters;
        res->restart_kept = 1;
    }
    free(saved);
    return rc;
}

int gn_neb_restart(const gn_potential *pot, const gn_frame *band, size_t nframes,
                   const gn_neb_opts *o, gn_neb_result *res, gn_error *err)
{
    double t0 = now_seconds();
    result_init(res);
    if (nframes < 3)
        return gn_error_set(err, GN_EINVAL, "NEB restart: the band has %zu frames (3 or more "
                            "needed: two endpoints and a movable image)", nframes);
    int rc = gn_neb_opts_check(o, err);
    const gn_atoms *a0 = band[0].atoms;
    for (size_t i = 1; !rc && i < nframes; i++)
        if (gn_atoms_compatible(a0, band[i].atoms, err))
            rc = gn_error_prefix(err, "NEB restart, frame %zu: ", i + 1);
    if (rc)
        return rc;
    size_t m = nframes, n = a0->n;
    atoms_band ab;
    rc = atoms_band_new(&ab, pot, a0, m, o->threads, err);
    if (rc)
        return rc;
    double *path = malloc(m * 3 * n * sizeof *path);
    if (!path) {
        atoms_band_free(&ab);
        return gn_error_set(err, GN_ENOMEM, "NEB: out of memory");
    }
    /* each image placed next to the previous one by minimum image, so the band is continuous */
    memcpy(path, a0->pos, 3 * n * sizeof *path);
    for (size_t i = 1; i < m; i++) {
        double *d = path + i * 3 * n;
        atoms_disp(&ab, band[i - 1].atoms->pos, band[i].atoms->pos, d);
        for (size_t k = 0; k < 3 * n; k++)
            d[k] += path[(i - 1) * 3 * n + k];
    }
    res->endpoints_converged = 1;
    res->endpoint_distance = max_displacement(a0, path, path + (m - 1) * 3 * n);
    gn_neb_opts ro = *o;
    ro.relax_endpoints = 0;
    ro.climb_at_start = 1;
    rc = keep_better_band(&ab, a0, path, &ro, res, err);
    if (!rc && ro.refine > 0)
        rc = refine_saddle(&ab, a0, path, &ro, res, err);
    res->force_calls = atoms_band_calls(&ab);
    res->wall_time = now_seconds() - t0;
    free(path);
    atoms_band_free(&ab);
    if (rc) {
        gn_neb_result_clear(res);
        result_init(res);
    }
    return rc;
}

int gn_neb_relax_minimum(gn_atoms *a, gn_calc *calc, const gn_neb_opts *o, double *energy,
                         int *converged, gn_error *err)
{
    return relax_atoms(a, calc, o, energy, converged, err);
}

double gn_neb_max_displacement(const gn_atoms *a, const double *pa, const double *pb)
{
    return max_displacement(a, pa, pb);
}
