/* gapneb: process search from a minimum (include/gapneb/search.h). Lengths Å, energies eV,
 * forces eV/Å, frequencies THz.
 *
 * Searches run on a small pool of threads that take search indices in turn; each search owns
 * its generator (seeded by the seed and its index) and its calculator (a fresh one, so that not
 * even the neighbour list's history depends on which thread ran what before), and writes only
 * its own slot of the result. The merging of duplicates happens afterwards in search order, so
 * the result does not depend on the number of threads. */
#include "gapneb/search.h"
#include "gapneb/lowmode.h"
#include "gapneb/modes.h"
#include "gapneb/relax.h"
#include "search_internal.h"
#include "vec_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void gn_search_opts_default(gn_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->nsearch = 10;
    o->atoms = NULL;
    o->natoms = 0;
    o->radius = 0.0;
    o->displace = 0.1;
    o->seed = 1;
    o->jobs = 1;
    gn_dimer_opts_default(&o->dimer);
    o->dimer.max_rise = 5.0;
    o->push = 0.2;
    gn_relax_opts_default(&o->relax);
    o->same_energy = 0.001;
    o->same_dist = 0.1;
    o->move_tol = 0.5;
    o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
    o->confirm = 0;
    gn_neb_opts_default(&o->neb);
    o->neb.refine = 3;
    o->confirm_tol = 0.002;
}

const char *gn_search_outcome_name(gn_search_outcome o)
{
    static const char *const names[GN_SEARCH_OUTCOME_COUNT] = {
        "new", "duplicate", "not converged", "not first order", "not connected",
        "same minimum", "relaxation failed"};
    return (int)o >= 0 && o < GN_SEARCH_OUTCOME_COUNT ? names[o] : "?";
}

/* ---- random numbers: a splitmix64-seeded xorshift64* stream per search ---- */

typedef struct srng {
    uint64_t s;
    int have_spare;
    double spare;
} srng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void srng_seed(srng *r, unsigned long seed, int index)
{
    uint64_t x = (uint64_t)seed ^ ((uint64_t)(unsigned)index << 32);
    r->s = splitmix64(&x);
    r->s ^= splitmix64(&x);
    if (!r->s)
        r->s = 1;
    r->have_spare = 0;
}

/* Uniform in (0, 1]. */
static double srng_uniform(srng *r)
{
    return (double)((gn_xorshift_next(&r->s) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

/* Standard normal (Box-Muller). */
static double srng_gauss(srng *r)
{
    if (r->have_spare) {
        r->have_spare = 0;
        return r->spare;
    }
    double u = srng_uniform(r), v = srng_uniform(r), m = sqrt(-2.0 * log(u));
    r->spare = m * sin(2.0 * M_PI * v);
    r->have_spare = 1;
    return m * cos(2.0 * M_PI * v);
}

/* ---- one search ---- */

typedef struct candidate {
    gn_atoms *saddle, *product;
    double *mode;
    double e_saddle, e_product, freq;
} candidate;

typedef struct search_ctx {
    const gn_potential *pot;
    const gn_atoms *start;
    double e_start;
    const gn_search_opts *o;
    const size_t *epi;
    size_t nepi;
    double radius;
    gn_search_attempt *att;
    candidate *cand;
    pthread_mutex_t lock;
    int done;
} search_ctx;

/* The displaced start of search i into work->pos and the displacement into mode (3n). */
static size_t displace(const search_ctx *sc, srng *r, gn_atoms *work, double *mode)
{
    const gn_atoms *s = sc->start;
    size_t epi = sc->epi[sc->nepi > 1 ? (size_t)(srng_uniform(r) * (double)sc->nepi) % sc->nepi
                                      : 0];
    for (size_t j = 0; j < s->n; j++) {
        if (s->fixed[j])
            continue;
        double d[3];
        gn_atoms_displacement(s, epi, j, d);
        if (sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) > sc->radius)
            continue;
        for (int c = 0; c < 3; c++) {
            mode[3 * j + c] = sc->o->displace * srng_gauss(r);
            work->pos[3 * j + c] += mode[3 * j + c];
        }
    }
    return epi;
}

/* Relaxes the saddle pushed by sign * push along the unit mode u into *side. */
static int relax_side(const search_ctx *sc, gn_calc *calc, const gn_atoms *saddle,
                      const double *u, double sign, gn_atoms **side, double *e, int *conv,
                      gn_error *err)
{
    int rc = gn_atoms_copy(saddle, side, err);
    if (rc)
        return rc;
    double big = 0.0;
    for (size_t j = 0; j < saddle->n; j++)
        big = fmax(big, sqrt(u[3 * j] * u[3 * j] + u[3 * j + 1] * u[3 * j + 1] +
                             u[3 * j + 2] * u[3 * j + 2]));
    for (size_t k = 0; k < 3 * saddle->n; k++)
        (*side)->pos[k] += sign * sc->o->push * u[k] / big;
    gn_fire_result fr;
    rc = gn_relax_calc(calc, *side, &sc->o->relax, &fr, e, err);
    *conv = fr.converged;
    return rc;
}

/* From a converged dimer point (work): the saddle order, both sides, the connection. */
static int classify(search_ctx *sc, int i, gn_calc *calc, gn_atoms *work, const double *guess,
                    gn_error *err)
{
    gn_search_attempt *att = &sc->att[i];
    gn_lowmode_opts lo;
    gn_lowmode_opts_default(&lo);
    lo.guess = guess;
    lo.seed = (unsigned long)i + 1;
    gn_lowmode_result lr;
    int order;
    int rc = gn_lowmode_saddle_order(calc, work, &lo, sc->o->zero_tol_thz, 2, &order, &lr, err);
    if (rc) {
        gn_lowmode_result_clear(&lr);
        return rc;
    }
    att->order = order;
    if (order != 1) {
        att->outcome = GN_SEARCH_NOT_FIRST_ORDER;
        gn_lowmode_result_clear(&lr);
        return GN_OK;
    }
    gn_atoms *side[2] = {NULL, NULL};
    double e[2];
    int conv[2], is_start[2];
    for (int s = 0; s < 2 && rc == GN_OK; s++) {
        rc = relax_side(sc, calc, work, lr.mode, s ? -1.0 : 1.0, &side[s], &e[s], &conv[s], err);
        if (rc == GN_OK)
            is_start[s] = gn_search_max_disp(sc->start, sc->start->pos, side[s]->pos) <
                          sc->o->same_dist;
    }
    if (rc == GN_OK) {
        if (!conv[0] || !conv[1])
            att->outcome = GN_SEARCH_RELAX_FAILED;
        else if (is_start[0] && is_start[1])
            att->outcome = GN_SEARCH_SAME_MINIMUM;
        else if (!is_start[0] && !is_start[1])
            att->outcome = GN_SEARCH_NOT_CONNECTED;
        else {
            int p = is_start[0] ? 1 : 0;
            candidate *c = &sc->cand[i];
            rc = gn_atoms_copy(work, &c->saddle, err);
            c->mode = malloc(3 * work->n * sizeof *c->mode + 1);
            if (rc == GN_OK && !c->mode)
                rc = gn_error_set(err, GN_ENOMEM, "search: out of memory");
            if (rc == GN_OK) {
                memcpy(c->mode, lr.mode, 3 * work->n * sizeof *c->mode);
                c->product = side[p];
                side[p] = NULL;
                c->e_saddle = att->e_saddle;
                c->e_product = e[p];
                c->freq = lr.freq_thz[0];
                att->outcome = GN_SEARCH_NEW;
            }
        }
    }
    gn_atoms_free(side[0]);
    gn_atoms_free(side[1]);
    gn_lowmode_result_clear(&lr);
    return rc;
}

static int one_search(search_ctx *sc, int i, gn_error *err)
{
    gn_search_attempt *att = &sc->att[i];
    att->outcome = GN_SEARCH_NOT_CONVERGED;
    att->process = -1;
    att->order = -1;
    att->e_saddle = NAN;
    srng r;
    srng_seed(&r, sc->o->seed, i);
    gn_calc *calc = NULL;
    gn_atoms *work = NULL;
    double *mode = NULL, *x = NULL;
    gn_atoms_objective ao;
    memset(&ao, 0, sizeof ao);
    int rc = gn_calc_alloc(sc->pot, &calc, err);
    if (rc == GN_OK)
        rc = gn_atoms_copy(sc->start, &work, err);
    if (rc == GN_OK) {
        mode = calloc(3 * work->n + 1, sizeof *mode);
        x = malloc(3 * work->n * sizeof *x + 1);
        if (!mode || !x)
            rc = gn_error_set(err, GN_ENOMEM, "search: out of memory");
    }
    if (rc == GN_OK) {
        att->epicentre = displace(sc, &r, work, mode);
        memcpy(x, work->pos, 3 * work->n * sizeof *x);
        rc = gn_atoms_objective_init(&ao, calc, work, err);
    }
    gn_dimer_result dr;
    memset(&dr, 0, sizeof dr);
    if (rc == GN_OK) {
        gn_dimer_opts dopt = sc->o->dimer;
        dopt.seed = (unsigned long)(gn_xorshift_next(&r.s) >> 1) | 1ul;
        rc = gn_dimer_search(&ao.obj, x, mode, &dopt, &dr, err);
        att->dimer_steps = dr.steps;
        att->dimer_calls = dr.evals;
        /* numbers the potential refuses (atoms run onto each other, non-finite forces) end this
         * search, not the others */
        if (rc == GN_ERANGE) {
            rc = GN_OK;
            dr.converged = 0;
        }
    }
    if (rc == GN_OK && dr.converged) {
        memcpy(work->pos, x, 3 * work->n * sizeof *x);
        att->e_saddle = dr.energy;
        rc = classify(sc, i, calc, work, mode, err);
        if (rc == GN_ERANGE) {
            rc = GN_OK;
            att->outcome = GN_SEARCH_RELAX_FAILED;
        }
    }
    att->force_calls = calc ? gn_calc_calls(calc) : 0;
    gn_atoms_objective_clear(&ao);
    gn_atoms_free(work);
    free(mode);
    free(x);
    gn_calc_free(calc);
    return rc;
}

/* ---- a pool of threads taking task indices in turn ---- */

typedef int (*task_fn)(void *ctx, int i, gn_error *err);

typedef struct pool {
    task_fn fn;
    void *ctx;
    int n, next, rc;
    gn_error err;
    pthread_mutex_t lock;
} pool;

static void *pool_worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int i = p->rc == GN_OK && p->next < p->n ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (i < 0)
            return NULL;
        gn_error e;
        gn_error_clear(&e);
        int rc = p->fn(p->ctx, i, &e);
        if (rc) {
            pthread_mutex_lock(&p->lock);
            if (p->rc == GN_OK) {
                p->rc = rc;
                p->err = e;
            }
            pthread_mutex_unlock(&p->lock);
        }
    }
}

/* Runs fn(ctx, i) for i = 0 .. n-1 on jobs threads (the caller's among them); the first error
 * stops the hand-out of new tasks and is returned. */
static int run_pool(int n, int jobs, task_fn fn, void *ctx, gn_error *err)
{
    pool p = {.fn = fn, .ctx = ctx, .n = n};
    gn_error_clear(&p.err);
    pthread_mutex_init(&p.lock, NULL);
    int nthreads = jobs < n ? jobs : n, started = 0;
    pthread_t *th = malloc((size_t)(nthreads > 1 ? nthreads : 1) * sizeof *th);
    if (th)
        for (; started < nthreads - 1; started++)
            if (pthread_create(&th[started], NULL, pool_worker, &p))
                break;
    pool_worker(&p);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    pthread_mutex_destroy(&p.lock);
    if (p.rc && err)
        *err = p.err;
    return p.rc;
}

static int search_task(void *ctx, int i, gn_error *err)
{
    search_ctx *sc = ctx;
    if (sc->o->cancelled && sc->o->cancelled(sc->o->cancel_ctx))
        return gn_error_set(err, GN_ECANCEL, "search: stopped on request");
    int rc = one_search(sc, i, err);
    pthread_mutex_lock(&sc->lock);
    sc->done++;
    if (rc == GN_OK && sc->o->progress) {
        const gn_search_attempt *a = &sc->att[i];
        double b = a->outcome == GN_SEARCH_NEW ? a->e_saddle - sc->e_start : NAN;
        sc->o->progress(sc->o->progress_ctx, i, sc->done, sc->o->nsearch, a->outcome, b);
    }
    pthread_mutex_unlock(&sc->lock);
    return rc;
}

/* ---- merging, ordering ---- */

static int same_process(const search_ctx *sc, const candidate *c, const gn_search_process *p)
{
    return fabs(c->e_saddle - p->e_saddle) <= sc->o->same_energy &&
           gn_search_max_disp(sc->start, c->saddle->pos, p->saddle->pos) <= sc->o->same_dist;
}

static int moved_atoms(const search_ctx *sc, gn_search_process *p, gn_error *err)
{
    const gn_atoms *s = sc->start;
    p->moved = malloc((s->n + 1) * sizeof *p->moved);
    if (!p->moved)
        return gn_error_set(err, GN_ENOMEM, "search: out of memory");
    p->max_move = 0.0;
    for (size_t j = 0; j < s->n; j++) {
        double d[3];
        for (int c = 0; c < 3; c++)
            d[c] = p->product->pos[3 * j + c] - s->pos[3 * j + c];
        gn_cell_min_image(&s->cell, d);
        double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        p->max_move = fmax(p->max_move, r);
        if (r > sc->o->move_tol)
            p->moved[p->nmoved++] = j;
    }
    return GN_OK;
}

/* Candidates in search order become processes or duplicates of earlier ones. */
static int merge(search_ctx *sc, gn_search_result *res, gn_error *err)
{
    int n = res->nsearch;
    res->processes = calloc((size_t)n + 1, sizeof *res->processes);
    if (!res->processes)
        return gn_error_set(err, GN_ENOMEM, "search: out of memory");
    for (int i = 0; i < n; i++) {
        candidate *c = &sc->cand[i];
        gn_search_attempt *a = &res->attempts[i];
        if (a->outcome != GN_SEARCH_NEW)
            continue;
        size_t k = 0;
        while (k < res->nprocesses && !same_process(sc, c, &res->processes[k]))
            k++;
        a->process = (int)k;
        if (k < res->nprocesses) {
            a->outcome = GN_SEARCH_DUPLICATE;
            res->processes[k].count++;
            continue;
        }
        gn_search_process *p = &res->processes[res->nprocesses++];
        p->e_saddle = c->e_saddle;
        p->e_product = c->e_product;
        p->barrier = c->e_saddle - sc->e_start;
        p->barrier_rev = c->e_saddle - c->e_product;
        p->freq_thz = c->freq;
        p->search = i;
        p->count = 1;
        p->force_calls = a->force_calls;
        p->saddle = c->saddle;
        p->product = c->product;
        p->mode = c->mode;
        c->saddle = c->product = NULL;
        c->mode = NULL;
        p->confirmed = -1;
        p->neb_barrier = NAN;
        p->neb_saddle_dist = NAN;
        int rc = moved_atoms(sc, p, err);
        if (rc)
            return rc;
    }
    return GN_OK;
}

static int cmp_process(const void *a, const void *b)
{
    const gn_search_process *p = a, *q = b;
    if (p->barrier != q->barrier)
        return p->barrier < q->barrier ? -1 : 1;
    return (p->search > q->search) - (p->search < q->search);
}

/* Sorts the processes by barrier; an attempt refers to its process by the process's first
 * search, which the sort does not change. */
static int sort_processes(gn_search_result *res, gn_error *err)
{
    int n = res->nsearch;
    int *first = malloc(((size_t)n + 1) * sizeof *first), *index_of = malloc(((size_t)n + 1) * sizeof *index_of);
    int rc = GN_OK;
    if (!first || !index_of)
        rc = gn_error_set(err, GN_ENOMEM, "search: out of memory");
    if (rc == GN_OK) {
        for (int i = 0; i < n; i++)
            first[i] = res->attempts[i].process < 0
                           ? -1 : res->processes[res->attempts[i].process].search;
        qsort(res->processes, res->nprocesses, sizeof *res->processes, cmp_process);
        for (size_t k = 0; k < res->nprocesses; k++)
            index_of[res->processes[k].search] = (int)k;
        for (int i = 0; i < n; i++)
            res->attempts[i].process = first[i] < 0 ? -1 : index_of[first[i]];
    }
    free(first);
    free(index_of);
    return rc;
}

void gn_search_result_clear(gn_search_result *res)
{
    if (!res)
        return;
    gn_atoms_free(res->start);
    free(res->epicentres);
    free(res->attempts);
    for (size_t k = 0; k < res->nprocesses; k++) {
        gn_search_process *p = &res->processes[k];
        free(p->moved);
        gn_atoms_free(p->saddle);
        gn_atoms_free(p->product);
        free(p->mode);
    }
    free(res->processes);
    memset(res, 0, sizeof *res);
}

/* ---- confirmation by CI-NEB ---- */

typedef struct confirm_ctx {
    const gn_potential *pot;
    const gn_search_result *res;
    const gn_search_opts *o;
} confirm_ctx;

static int confirm_task(void *ctx, int k, gn_error *err)
{
    confirm_ctx *cc = ctx;
    gn_search_process *p = &cc->res->processes[k];
    gn_neb_result nr;
    memset(&nr, 0, sizeof nr);
    int rc = gn_neb_run(cc->pot, cc->res->start, p->product, &cc->o->neb, &nr, err);
    if (rc == GN_OK) {
        p->neb_converged = nr.converged;
        p->neb_calls = nr.force_calls;
        p->confirmed = 0;
        if (!nr.collapsed && nr.climb_index > 0) {
            p->neb_barrier = nr.barrier_fwd;
            p->neb_saddle_dist = gn_search_max_disp(p->saddle, p->saddle->pos,
                                                    nr.band[nr.climb_index].atoms->pos);
            p->confirmed = nr.converged && fabs(nr.barrier_fwd - p->barrier) <= cc->o->confirm_tol;
        }
    }
    gn_neb_result_clear(&nr);
    return rc;
}

/* ---- the run ---- */

static int check_opts(const gn_atoms *start, const gn_search_opts *o, gn_error *err)
{
    if (o->nsearch < 0 || o->jobs < 1)
        return gn_error_set(err, GN_EINVAL, "search: %d searches on %d threads", o->nsearch,
                            o->jobs);
    if (!(o->displace > 0.0) || !(o->push > 0.0) || !(o->same_energy >= 0.0) ||
        !(o->same_dist > 0.0) || !(o->move_tol > 0.0) || !isfinite(o->radius) ||
        !isfinite(o->displace + o->push + o->same_energy + o->same_dist + o->move_tol))
        return gn_error_set(err, GN_ERANGE, "search: displacement %g Å, push %g Å, same-saddle "
                            "tolerances %g eV and %g Å, move threshold %g Å must be positive",
                            o->displace, o->push, o->same_energy, o->same_dist, o->move_tol);
    for (size_t k = 0; k < o->natoms; k++)
        if (o->atoms[k] >= start->n)
            return gn_error_set(err, GN_EINVAL, "search: atom %zu does not exist (the structure "
                                "has %zu atoms, numbered from 0)", o->atoms[k], start->n);
    if (o->atoms && o->natoms == 0)
        return gn_error_set(err, GN_EINVAL, "search: an empty list of atoms");
    return GN_OK;
}

static int prepare(const gn_potential *pot, const gn_atoms *start, const gn_search_opts *o,
                   gn_search_result *res, gn_error *err)
{
    int rc = gn_atoms_copy(start, &res->start, err);
    gn_calc *calc = NULL;
    if (rc == GN_OK)
        rc = gn_calc_alloc(pot, &calc, err);
    if (rc == GN_OK) {
        gn_fire_result fr;
        rc = gn_relax_calc(calc, res->start, &o->relax, &fr, &res->e_start, err);
        res->start_converged = fr.converged;
        res->start_calls = gn_calc_calls(calc);
        if (rc == GN_OK && !fr.converged)
            rc = gn_error_set(err, GN_ENOCONV, "search: the start did not relax to %g eV/Å in "
                              "%d steps (largest force %g eV/Å): a search needs a minimum",
                              o->relax.fmax, fr.steps, fr.fmax);
    }
    gn_calc_free(calc);
    if (rc)
        return rc;
    if (o->atoms) {
        res->epicentres = malloc(o->natoms * sizeof *res->epicentres);
        if (!res->epicentres)
            return gn_error_set(err, GN_ENOMEM, "search: out of memory");
        memcpy(res->epicentres, o->atoms, o->natoms * sizeof *o->atoms);
        res->nepicentres = o->natoms;
    } else {
        rc = gn_search_adatoms(res->start, &res->epicentres, &res->nepicentres, err);
        if (rc)
            return rc;
    }
    res->radius = o->radius;
    if (!(res->radius > 0.0))
        res->radius = 1.2 * gn_search_nn_distance(res->start);
    if (!isfinite(res->radius))
        return gn_error_set(err, GN_EINVAL, "search: no displacement radius (no nearest-neighbour "
                            "distance in the structure): give one");
    res->nsearch = o->nsearch;
    res->attempts = calloc((size_t)o->nsearch + 1, sizeof *res->attempts);
    if (!res->attempts)
        return gn_error_set(err, GN_ENOMEM, "search: out of memory");
    return GN_OK;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int gn_search_run(const gn_potential *pot, const gn_atoms *start, const gn_search_opts *o,
                  gn_search_result *res, gn_error *err)
{
    gn_search_opts def;
    if (!o) {
        gn_search_opts_default(&def);
        o = &def;
    }
    memset(res, 0, sizeof *res);
    if (!pot || !start)
        return gn_error_set(err, GN_EINVAL, "search: missing potential or structure");
    int rc = check_opts(start, o, err);
    if (rc == GN_OK)
        rc = prepare(pot, start, o, res, err);
    if (rc)
        return rc;
    search_ctx sc = {.pot = pot, .start = res->start, .e_start = res->e_start, .o = o,
                     .epi = res->epicentres, .nepi = res->nepicentres, .radius = res->radius,
                     .att = res->attempts};
    sc.cand = calloc((size_t)o->nsearch + 1, sizeof *sc.cand);
    if (!sc.cand)
        return gn_error_set(err, GN_ENOMEM, "search: out of memory");
    pthread_mutex_init(&sc.lock, NULL);
    double t0 = now_s();
    rc = run_pool(o->nsearch, o->jobs, search_task, &sc, err);
    res->wall_time = now_s() - t0;
    pthread_mutex_destroy(&sc.lock);
    for (int i = 0; i < o->nsearch; i++) {
        const gn_search_attempt *a = &res->attempts[i];
        res->force_calls += a->force_calls;
        res->dimer_calls += a->dimer_calls;
        res->nconverged += !isnan(a->e_saddle);
    }
    if (rc == GN_OK)
        rc = merge(&sc, res, err);
    for (int i = 0; i < o->nsearch; i++) {
        gn_atoms_free(sc.cand[i].saddle);
        gn_atoms_free(sc.cand[i].product);
        free(sc.cand[i].mode);
    }
    free(sc.cand);
    if (rc == GN_OK)
        rc = sort_processes(res, err);
    for (int i = 0; rc == GN_OK && i < o->nsearch; i++)
        res->count[res->attempts[i].outcome]++;
    if (rc == GN_OK && o->confirm && res->nprocesses > 0) {
        confirm_ctx cc = {pot, res, o};
        rc = run_pool((int)res->nprocesses, o->jobs, confirm_task, &cc, err);
    }
    return rc;
}
