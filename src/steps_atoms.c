/* gapneb: the steps module on atoms with a potential: CI-NEB of each step by gn_neb_restart
 * (same settings, refinement included), minima by the NEB's endpoint relaxation, saddle orders
 * by the lowest-mode search (lowmode.h). Units: Å, eV, eV/Å, THz. */
#include "steps_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gapneb/lowmode.h"
#include "neb_internal.h"

/* Negative modes counted at most (as the NEB's saddle refinement does). */
#define ATOMS_MAX_ORDER 4

typedef struct atoms_eng {
    const gn_potential *pot;
    const gn_neb_opts *o;
    const gn_steps_opts *so;
    const gn_atoms *tmpl;  /* the relaxed initial state: species, cell, fixed atoms */
    gn_atoms *scratch;
    gn_calc *calc;         /* relaxations and order checks */
    unsigned long band_calls;
} atoms_eng;

static void ae_disp(void *ctx, const double *from, const double *to, double *d)
{
    const atoms_eng *a = ctx;
    for (size_t i = 0; i < a->tmpl->n; i++) {
        for (int k = 0; k < 3; k++)
            d[3 * i + k] = to[3 * i + k] - from[3 * i + k];
        gn_cell_min_image(&a->tmpl->cell, d + 3 * i);
    }
}

static double ae_distance(void *ctx, const double *p, const double *q)
{
    const atoms_eng *a = ctx;
    return gn_neb_max_displacement(a->tmpl, p, q);
}

static unsigned long ae_calls(void *ctx)
{
    const atoms_eng *a = ctx;
    return a->band_calls + gn_calc_calls(a->calc);
}

/* Deep copy of an NEB result (frames with energies and forces). */
static int neb_copy(const gn_neb_result *src, gn_neb_result *dst, gn_error *err)
{
    size_t m = src->nframes;
    *dst = *src;
    dst->band = calloc(m ? m : 1, sizeof *dst->band);
    dst->s = malloc(m * sizeof *dst->s + 1);
    dst->energy = malloc(m * sizeof *dst->energy + 1);
    dst->f_tan = malloc(m * sizeof *dst->f_tan + 1);
    if (!dst->band || !dst->s || !dst->energy || !dst->f_tan) {
        dst->nframes = 0;
        gn_neb_result_clear(dst);
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    }
    for (size_t i = 0; i < m; i++) {
        const gn_frame *f = &src->band[i];
        gn_frame *g = &dst->band[i];
        g->energy = f->energy;
        g->has_energy = f->has_energy;
        int rc = gn_atoms_copy(f->atoms, &g->atoms, err);
        if (rc == GN_OK && f->forces) {
            g->forces = malloc(3 * f->atoms->n * sizeof *g->forces + 1);
            if (g->forces)
                memcpy(g->forces, f->forces, 3 * f->atoms->n * sizeof *g->forces);
            else
                rc = gn_error_set(err, GN_ENOMEM, "steps: out of memory");
        }
        if (rc != GN_OK) {
            gn_neb_result_clear(dst);
            return rc;
        }
    }
    if (src->s && m) {
        memcpy(dst->s, src->s, m * sizeof *dst->s);
        memcpy(dst->energy, src->energy, m * sizeof *dst->energy);
        memcpy(dst->f_tan, src->f_tan, m * sizeof *dst->f_tan);
    }
    return GN_OK;
}

/* A step from an NEB result (moved into out->neb): positions made continuous along the band,
 * absolute energies. */
static int step_from_neb(atoms_eng *a, gn_neb_result *nr, gn_step *out, gn_error *err)
{
    size_t m = nr->nframes, n = 3 * a->tmpl->n;
    int rc = gn_step_alloc(out, m, n, err);
    if (rc == GN_OK && !(out->neb = malloc(sizeof *out->neb)))
        rc = gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    if (rc != GN_OK) {
        gn_step_clear(out);
        gn_neb_result_clear(nr);
        return rc;
    }
    memcpy(out->path, nr->band[0].atoms->pos, n * sizeof *out->path);
    for (size_t i = 0; i < m; i++) {
        if (i) {
            double *d = out->path + i * n;
            ae_disp(a, nr->band[i - 1].atoms->pos, nr->band[i].atoms->pos, d);
            for (size_t k = 0; k < n; k++)
                d[k] += out->path[(i - 1) * n + k];
        }
        out->energy[i] = nr->band[i].energy;
        out->s[i] = nr->s[i];
        out->f_tan[i] = nr->f_tan[i];
    }
    out->climb_index = nr->climb_index;
    out->converged = nr->converged;
    out->saddle_order = nr->saddle_negative;
    out->refinements = nr->refinements;
    out->refine_failed = nr->refine_failed;
    out->iterations = nr->iterations;
    *out->neb = *nr;
    memset(nr, 0, sizeof *nr);
    return GN_OK;
}

static int ae_neb(void *ctx, size_t m, double *path, gn_step *out, gn_error *err)
{
    atoms_eng *a = ctx;
    size_t n = 3 * a->tmpl->n;
    gn_frame *fr = calloc(m, sizeof *fr);
    if (!fr)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    int rc = GN_OK;
    for (size_t i = 0; i < m && rc == GN_OK; i++)
        if ((rc = gn_atoms_copy(a->tmpl, &fr[i].atoms, err)) == GN_OK)
            memcpy(fr[i].atoms->pos, path + i * n, n * sizeof *path);
    gn_neb_result nr;
    memset(&nr, 0, sizeof nr);
    if (rc == GN_OK)
        rc = gn_neb_restart(a->pot, fr, m, a->o, &nr, err);
    gn_frames_free(fr, m);
    a->band_calls += nr.force_calls;
    if (rc != GN_OK) {
        gn_neb_result_clear(&nr);
        return rc;
    }
    return step_from_neb(a, &nr, out, err);
}

static int ae_relax(void *ctx, double *x, double *energy, int *converged, gn_error *err)
{
    atoms_eng *a = ctx;
    size_t n = 3 * a->tmpl->n;
    memcpy(a->scratch->pos, x, n * sizeof *x);
    int rc = gn_neb_relax_minimum(a->scratch, a->calc, a->o, energy, converged, err);
    if (rc == GN_OK)
        memcpy(x, a->scratch->pos, n * sizeof *x);
    return rc;
}

static int ae_order(void *ctx, const double *x, const double *tangent, int *order,
                    gn_error *err)
{
    atoms_eng *a = ctx;
    memcpy(a->scratch->pos, x, 3 * a->tmpl->n * sizeof *x);
    gn_lowmode_opts lo;
    gn_lowmode_opts_default(&lo);
    lo.guess = tangent;
    return gn_lowmode_saddle_order(a->calc, a->scratch, &lo, a->so->zero_tol_thz,
                                   ATOMS_MAX_ORDER, order, NULL, err);
}

static int minima_atoms(gn_steps_result *res, const gn_atoms *tmpl, gn_error *err)
{
    res->min_atoms = calloc(res->nminima + 1, sizeof *res->min_atoms);
    if (!res->min_atoms)
        return gn_error_set(err, GN_ENOMEM, "steps: out of memory");
    for (size_t k = 0; k < res->nminima; k++) {
        int rc = gn_atoms_copy(tmpl, &res->min_atoms[k], err);
        if (rc != GN_OK)
            return rc;
        memcpy(res->min_atoms[k]->pos, res->min_pos + k * res->ndof,
               res->ndof * sizeof *res->min_pos);
    }
    return GN_OK;
}

/* The split of res->first (a finished, non-collapsed band). */
static int split_first(const gn_potential *pot, const gn_neb_opts *o, const gn_steps_opts *so,
                       gn_steps_result *res, gn_error *err)
{
    const gn_atoms *tmpl = res->first.band[0].atoms;
    atoms_eng a = {.pot = pot, .o = o, .so = so, .tmpl = tmpl};
    gn_steps_engine eng = {.ndof = 3 * tmpl->n, .neb = ae_neb, .relax = ae_relax,
                           .order = ae_order, .distance = ae_distance, .disp = ae_disp,
                           .calls = ae_calls, .ctx = &a};
    int rc = gn_atoms_copy(tmpl, &a.scratch, err);
    if (rc == GN_OK)
        rc = gn_calc_alloc(pot, &a.calc, err);
    gn_neb_result copy;
    gn_step first;
    memset(&first, 0, sizeof first);
    if (rc == GN_OK && (rc = neb_copy(&res->first, &copy, err)) == GN_OK)
        rc = step_from_neb(&a, &copy, &first, err);
    if (rc == GN_OK)
        rc = gn_steps_core(&eng, &first, o, so, res, err);
    if (rc == GN_OK && res->nsteps)
        rc = minima_atoms(res, tmpl, err);
    for (size_t k = 0; rc == GN_OK && k < res->nsteps; k++)
        if (res->step[k].neb) /* an order the core checked itself goes to the run folder too */
            res->step[k].neb->saddle_negative = res->step[k].saddle_order;
    if (a.calc)
        res->force_calls += ae_calls(&a);
    gn_calc_free(a.calc);
    gn_atoms_free(a.scratch);
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int gn_steps_from_neb(const gn_potential *pot, gn_neb_result *neb, const gn_neb_opts *o,
                      const gn_steps_opts *so, gn_steps_result *res, gn_error *err)
{
    double t0 = now_seconds();
    memset(res, 0, sizeof *res);
    res->rate_step = -1;
    res->ea_eff = res->ea_eff_rev = res->rate_fwd = res->rate_rev = NAN;
    res->first = *neb;
    memset(neb, 0, sizeof *neb);
    neb->climb_index = -1;
    res->force_calls = res->first.force_calls;
    res->wall_time = res->first.wall_time;
    if (res->first.collapsed || res->first.nframes < 3)
        return GN_OK;
    int rc = split_first(pot, o, so, res, err);
    res->wall_time += now_seconds() - t0;
    if (rc != GN_OK) {
        gn_neb_result keep = res->first;
        memset(&res->first, 0, sizeof res->first);
        gn_steps_result_clear(res);
        res->first = keep; /* the band itself is still a result */
    }
    return rc;
}

int gn_steps_run(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *final,
                 const gn_neb_opts *o, const gn_steps_opts *so, gn_steps_result *res,
                 gn_error *err)
{
    memset(res, 0, sizeof *res);
    res->rate_step = -1;
    int rc = gn_steps_opts_check(so, err);
    if (rc != GN_OK)
        return rc;
    gn_neb_result nr;
    rc = gn_neb_run(pot, initial, final, o, &nr, err);
    if (rc != GN_OK)
        return rc;
    return gn_steps_from_neb(pot, &nr, o, so, res, err);
}
