/* gapneb: the adsorb run (see adsorb.h): per gap the bare model, the candidate sites, the
 * configurations (all at once, or one adatom at a time), their relaxations, energies, bridges,
 * merging and ranks. Units: Å, eV, s. */
#include "adsorb_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gapneb/ipi.h"
#include "gapneb/properties.h"
#include "gapneb/relax.h"
#include "strbuf_internal.h"

#define STAB_TOL 0.1 /* Å: placed adatoms that an operation keeps in place (relaxed positions) */
#define FAR_SITE 0.5 /* NN: an adatom farther than this from every candidate site is "~" */

void gn_adsorb_opts_default(gn_adsorb_opts *o, gn_model_kind kind)
{
    memset(o, 0, sizeof *o);
    gn_model_opts_default(&o->model, kind);
    o->nadatoms = 1;
    o->radius = NAN;
    o->keep = 24;
    o->screen_above = 64;
    o->screen_steps = 40;
    gn_relax_opts_default(&o->relax);
    o->bare_fmax = 0.005;
    o->merge_energy = 1e-3;
    o->merge_distance = 0.2;
}

void gn_adsorb_result_clear(gn_adsorb_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        gn_atoms_free(r->configs[i].relaxed);
    for (size_t i = 0; r->gaps && i < r->ngaps; i++)
        gn_atoms_free(r->gaps[i].model);
    free(r->configs);
    free(r->gaps);
    memset(r, 0, sizeof *r);
}

long gn_adsorb_best(const gn_adsorb_result *r, size_t g, int k)
{
    if (g >= r->ngaps)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        if (r->configs[i].gap == r->gaps[g].gap && r->configs[i].nadatoms == k &&
            r->configs[i].rank == 1)
            return (long)i;
    return -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void progress(const gn_adsorb_opts *o, const char *fmt, ...)
{
    if (!o->progress)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    o->progress(o->progress_ctx, line);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- one gap: shared state ---------------------------------------------------------------- */

typedef struct gap_run {
    const gn_potential *pot;
    const gn_adsorb_opts *o;
    gn_model_opts mo;
    double nn;
    gn_atoms *model;          /* unrelaxed: configurations start from it, as NEB endpoints do */
    gn_site *sites;
    size_t nsites;
    gn_adsorb_sym *sym;
    gn_adsorb_gap *summary;
    gn_adsorb_result *res;
    double e_atom;
    int engine;               /* an external engine: one atom count per run (see gn_adsorb_run) */
} gap_run;

static int append_config(gn_adsorb_result *r, size_t *cap, const gn_adsorb_config *c,
                         gn_error *err)
{
    if (r->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        gn_adsorb_config *v = realloc(r->configs, nc * sizeof *v);
        if (!v)
            return gn_error_set(err, GN_ENOMEM, "out of memory");
        r->configs = v;
        *cap = nc;
    }
    r->configs[r->n++] = *c;
    return GN_OK;
}

/* "A100:0 B100:3"; a site with far[i] set gets a '~' (far may be NULL). */
static void site_text(const gn_site *s, const int *idx, const int *far, int k, char *buf,
                      size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < k; i++) {
        int w = snprintf(buf + len, len < cap ? cap - len : 0, "%s%s%s", i ? " " : "",
                         far && far[i] ? "~" : "", s[idx[i]].name);
        if (w > 0)
            len += (size_t)w;
    }
}

/* final_sites: the candidate site nearest to each relaxed adatom, canonical under the model's
 * symmetry. */
static void final_sites(const gap_run *g, gn_adsorb_config *c)
{
    int idx[GN_ADSORB_MAX_ADATOMS], far[GN_ADSORB_MAX_ADATOMS];
    const gn_atoms *a = c->relaxed;
    c->final_offset = 0;
    for (int q = 0; q < c->nadatoms; q++) {
        const double *p = a->pos + 3 * (a->n - (size_t)c->nadatoms + (size_t)q);
        double best = INFINITY;
        idx[q] = 0;
        for (size_t i = 0; i < g->nsites; i++) {
            double d[3] = {g->sites[i].pos[0] - p[0], g->sites[i].pos[1] - p[1],
                           g->sites[i].pos[2] - p[2]};
            gn_cell_min_image(&a->cell, d);
            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r < best) {
                best = r;
                idx[q] = (int)i;
            }
        }
        c->final_offset = fmax(c->final_offset, best);
        far[q] = best > FAR_SITE * g->nn;
    }
    site_text(g->sites, idx, far, c->nadatoms, c->placed, sizeof c->placed);
    gn_adsorb_sym_canonical(g->sym, idx, far, c->nadatoms);
    site_text(g->sites, idx, far, c->nadatoms, c->final_sites, sizeof c->final_sites);
}

/* A configuration from a finished relaxation (energies from the gap's references). */
static void fill_config(const gap_run *g, gn_adsorb_config *c, gn_adsorb_task *t, int k)
{
    c->gap = g->mo.gap;
    c->nadatoms = k;
    c->energy = t->energy;
    c->converged = t->converged;
    c->force_calls += t->calls;
    c->e_ads = t->energy - g->summary->e_bare - k * g->e_atom;
    c->e_ads_per_atom = c->e_ads / k;
    c->e_add = NAN;
    c->relaxed = t->relaxed;
    t->relaxed = NULL;
    c->bridges = gn_adsorb_bridge(c->relaxed, g->summary->na, g->summary->nb, g->nn,
                                  &c->bridge_ratio);
    final_sites(g, c);
}

static void config_init(gn_adsorb_config *c)
{
    memset(c, 0, sizeof *c);
    c->screen_energy = c->energy = c->e_ads = c->e_ads_per_atom = c->e_add = NAN;
    c->final_offset = NAN;
    c->bridge_ratio = INFINITY;
}

/* The best pre-screen rank among the starts that relaxed into the most stable structure (the
 * rank-1 configuration and those merged into it, while merged_into is still a block index + 1):
 * the pre-screen finds that structure when this is within keep. */
static int best_screen_rank(const gn_adsorb_config *c, size_t n)
{
    size_t b = n;
    for (size_t i = 0; i < n; i++)
        if (c[i].rank == 1)
            b = i;
    int best = 0;
    for (size_t i = 0; b < n && i < n; i++)
        if ((i == b || c[i].merged_into == (int)b + 1) && c[i].screen_rank > 0 &&
            (!best || c[i].screen_rank < best))
            best = c[i].screen_rank;
    return best;
}

/* Relaxes the starts (pre-screening them first when asked), ranks them and appends them. */
static int relax_block(gap_run *g, gn_adsorb_task *t, gn_adsorb_config *c, size_t n, int k,
                       int screen, gn_error *err)
{
    gn_adsorb_result *r = g->res;
    int rc = GN_OK;
    if (screen) {
        for (size_t i = 0; i < n; i++)
            t[i].max_steps = g->o->screen_steps;
        rc = gn_adsorb_relax_all(g->pot, &g->o->relax, g->o->jobs, t, n, err);
        size_t *order = malloc((n + 1) * sizeof *order);
        if (!rc && !order)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < n; i++) {
            c[i].screen_energy = t[i].energy;
            c[i].force_calls += t[i].calls;
            gn_atoms_free(t[i].relaxed);
            t[i].relaxed = NULL;
            size_t j = i; /* insertion into the screen order */
            while (j > 0 && c[order[j - 1]].screen_energy > c[i].screen_energy) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        for (size_t q = 0; !rc && q < n; q++) {
            c[order[q]].screen_rank = (int)q + 1;
            /* exhaustive: the screen is only measured, everything is relaxed */
            c[order[q]].screened_out = !g->o->exhaustive && (int)q >= g->o->keep;
        }
        free(order);
        g->summary->screened = 1;
    }
    for (size_t i = 0; !rc && i < n; i++)
        t[i].max_steps = c[i].screened_out ? -1 : 0;
    /* the full relaxations of the kept ones, all in one pool */
    size_t nfull = 0;
    for (size_t i = 0; i < n; i++)
        if (!c[i].screened_out) {
            gn_adsorb_task tmp = t[nfull];
            t[nfull] = t[i];
            t[i] = tmp;
            gn_adsorb_config ctmp = c[nfull];
            c[nfull] = c[i];
            c[i] = ctmp;
            nfull++;
        }
    if (!rc)
        rc = gn_adsorb_relax_all(g->pot, &g->o->relax, g->o->jobs, t, nfull, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (i < nfull) {
            fill_config(g, &c[i], &t[i], k);
        } else {
            c[i].gap = g->mo.gap;
            c[i].nadatoms = k;
            c[i].energy = c[i].screen_energy;
        }
        g->summary->force_calls += c[i].force_calls;
    }
    if (!rc)
        rc = gn_adsorb_rank(c, n, g->sym, g->o, err);
    if (!rc && screen && k == g->o->nadatoms)
        g->summary->screen_rank_of_best = best_screen_rank(c, n);
    size_t cap = r->n; /* grown by doubling from the current size */
    for (size_t i = 0; !rc && i < n; i++) {
        rc = append_config(r, &cap, &c[i], err);
        if (!rc)
            c[i].relaxed = NULL; /* now owned by the result */
    }
    for (size_t i = 0; i < n; i++) {
        gn_atoms_free(c[i].relaxed);
        c[i].relaxed = NULL;
    }
    return rc;
}

/* Tasks and configurations for the starts of one block; freed by free_block. */
typedef struct block {
    gn_adsorb_task *t;
    gn_adsorb_config *c;
    size_t n;
} block;

static int block_alloc(block *b, size_t n, gn_error *err)
{
    b->n = n;
    b->t = calloc(n + 1, sizeof *b->t);
    b->c = calloc(n + 1, sizeof *b->c);
    if (!b->t || !b->c)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        config_init(&b->c[i]);
    return GN_OK;
}

static void block_free(block *b)
{
    for (size_t i = 0; b->t && i < b->n; i++)
        gn_adsorb_task_clear(&b->t[i]);
    for (size_t i = 0; b->c && i < b->n; i++)
        gn_atoms_free(b->c[i].relaxed);
    free(b->t);
    free(b->c);
    memset(b, 0, sizeof *b);
}

/* Every class of K sites at once. */
static int exhaustive_gap(gap_run *g, gn_error *err)
{
    const int k = g->o->nadatoms;
    gn_adsorb_class *cl = NULL;
    size_t ncl = 0, total = 0;
    int rc = gn_adsorb_enumerate(g->sym, g->sites, g->nsites, g->nn, k, &cl, &ncl, &total, err);
    if (rc)
        return rc;
    g->summary->nsets = total;
    g->summary->nclasses = ncl;
    int screen = (int)ncl > g->o->screen_above;
    progress(g->o, "gap %g Å: %zu candidate sites, %zu sets of %d with room, %zu classes under "
                   "%zu symmetry operations%s\n", g->mo.gap, g->nsites, total, k, ncl,
             g->summary->nops, screen ? (g->o->exhaustive ? "; pre-screen measured only"
                                                          : "; pre-screened") : "");
    block b = {0};
    rc = block_alloc(&b, ncl, err);
    for (size_t i = 0; !rc && i < ncl; i++) {
        gn_site s[GN_ADSORB_MAX_ADATOMS];
        for (int q = 0; q < k; q++)
            s[q] = g->sites[cl[i].sites[q]];
        rc = gn_model_add_adatoms(g->model, g->mo.z, g->nn, s, (size_t)k, &b.t[i].start, err);
        site_text(g->sites, cl[i].sites, NULL, k, b.c[i].sites, sizeof b.c[i].sites);
        memcpy(b.c[i].site_pos, s[k - 1].pos, sizeof b.c[i].site_pos);
        b.c[i].multiplicity = cl[i].multiplicity;
    }
    free(cl);
    if (!rc)
        rc = relax_block(g, b.t, b.c, ncl, k, screen, err);
    block_free(&b);
    return rc;
}

/* Candidate sites of a stage: those with room on base, one per class of the operations that
 * keep the placed adatoms (the last k - 1 atoms of base) in place. */
static int stage_candidates(const gap_run *g, const gn_atoms *base, int placed, int *keep,
                            int *mult, size_t *nkeep)
{
    const double *p = base->pos + 3 * (base->n - (size_t)placed);
    size_t nops = gn_adsorb_sym_nops(g->sym);
    unsigned char *stab = calloc(nops + 1, 1), *seen = calloc(g->nsites + 1, 1);
    if (!stab || !seen) {
        free(stab);
        free(seen);
        return -1;
    }
    for (size_t op = 0; op < nops; op++)
        stab[op] = !placed || gn_adsorb_sym_op_maps(g->sym, op, p, p, placed, STAB_TOL);
    *nkeep = 0;
    for (size_t i = 0; i < g->nsites; i++) {
        gn_atoms *trial = NULL;
        gn_error e;
        if (gn_model_add_adatoms(base, g->mo.z, g->nn, &g->sites[i], 1, &trial, &e))
            continue; /* no room next to the adatoms (or crystal atoms) as they relaxed */
        gn_atoms_free(trial);
        int smaller = 0, m = 0;
        memset(seen, 0, g->nsites);
        for (size_t op = 0; op < nops; op++) {
            int j = stab[op] ? gn_adsorb_sym_site(g->sym, op, i) : -1;
            if (j < 0)
                continue;
            smaller |= (size_t)j < i && mult[j] >= 0;
            m += !seen[j]; /* the orbit: distinct images */
            seen[j] = 1;
        }
        mult[i] = smaller ? -1 : m;
        if (!smaller)
            keep[(*nkeep)++] = (int)i;
    }
    free(stab);
    free(seen);
    return 0;
}

/* One stage of the sequential procedure on base (the best structure with k - 1 adatoms, or the
 * bare model); prev: that configuration (NULL for the first stage). */
static int sequential_stage(gap_run *g, const gn_atoms *base, const gn_adsorb_config *prev,
                            int k, gn_error *err)
{
    int *keep = malloc((g->nsites + 1) * sizeof *keep);
    int *mult = malloc((g->nsites + 1) * sizeof *mult);
    size_t nkeep = 0;
    int rc = !keep || !mult ? gn_error_set(err, GN_ENOMEM, "out of memory") : GN_OK;
    for (size_t i = 0; !rc && i < g->nsites; i++)
        mult[i] = -1;
    if (!rc && stage_candidates(g, base, k - 1, keep, mult, &nkeep))
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    block b = {0};
    if (!rc)
        rc = block_alloc(&b, nkeep, err);
    for (size_t i = 0; !rc && i < nkeep; i++) {
        const gn_site *s = &g->sites[keep[i]];
        rc = gn_model_add_adatoms(base, g->mo.z, g->nn, s, 1, &b.t[i].start, err);
        gn_fmt_trunc(b.c[i].sites, sizeof b.c[i].sites, "%s%s%s", prev ? prev->sites : "",
                     prev ? " " : "", s->name);
        memcpy(b.c[i].site_pos, s->pos, sizeof b.c[i].site_pos);
        b.c[i].multiplicity = mult[keep[i]];
    }
    free(keep);
    free(mult);
    if (!rc)
        progress(g->o, "gap %g Å, adatom %d: %zu candidate sites\n", g->mo.gap, k, nkeep);
    size_t first = g->res->n;
    if (!rc && nkeep)
        rc = relax_block(g, b.t, b.c, nkeep, k, 0, err);
    block_free(&b);
    for (size_t i = first; !rc && i < g->res->n; i++)
        g->res->configs[i].e_add =
            g->res->configs[i].energy - (prev ? prev->energy : g->summary->e_bare) - g->e_atom;
    return rc;
}

static int sequential_gap(gap_run *g, gn_error *err)
{
    const gn_atoms *base = g->model;
    long prev = -1;
    for (int k = 1; k <= g->o->nadatoms; k++) {
        gn_adsorb_config pc;
        if (prev >= 0)
            pc = g->res->configs[prev];
        size_t first = g->res->n;
        int rc = sequential_stage(g, base, prev >= 0 ? &pc : NULL, k, err);
        if (rc)
            return rc;
        prev = -1;
        for (size_t i = first; i < g->res->n; i++)
            if (g->res->configs[i].rank == 1)
                prev = (long)i;
        if (prev < 0)
            return gn_error_set(err, GN_EINVAL, "gap %g Å: no site has room for adatom %d",
                                g->mo.gap, k);
        base = g->res->configs[prev].relaxed;
    }
    return GN_OK;
}

/* ---- the run ------------------------------------------------------------------------------ */

static int isolated_atom(const gn_potential *pot, double *e, gn_error *err)
{
    gn_calc *c = NULL;
    gn_atoms *a = NULL;
    int rc = gn_calc_alloc(pot, &c, err);
    if (!rc)
        rc = gn_atoms_alloc(&a, 0, err);
    if (!rc)
        rc = gn_atoms_push(a, pot->z, (const double[3]){0, 0, 0}, 0, err);
    if (!rc)
        rc = gn_calc_compute(c, a, e, NULL, NULL, err);
    gn_atoms_free(a);
    gn_calc_free(c);
    return rc;
}

/* E(model, relaxed) as the table relaxes it (FIRE 2.0 to bare_fmax, 5000 steps). */
static int bare_energy(gap_run *g, gn_error *err)
{
    gn_atoms *a = NULL;
    gn_calc *c = NULL;
    int rc = gn_atoms_copy(g->model, &a, err);
    if (!rc)
        rc = gn_calc_alloc(g->pot, &c, err);
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = g->o->bare_fmax;
    fo.max_steps = 5000;
    gn_fire_result fr = {0};
    if (!rc)
        rc = gn_relax_calc(c, a, &fo, &fr, &g->summary->e_bare, err);
    if (c)
        g->summary->force_calls += gn_calc_calls(c);
    if (!rc && !fr.converged)
        rc = gn_error_set(err, GN_ENOCONV, "gap %g Å: the model without adatoms did not relax "
                          "to %g eV/Å", g->mo.gap, fo.fmax);
    gn_calc_free(c);
    if (!rc)
        g->summary->model = a;
    else
        gn_atoms_free(a);
    return rc;
}

static int one_gap(gap_run *g, gn_error *err)
{
    double t0 = seconds();
    int rc = gn_model_build(&g->mo, &g->model, err);
    int single = g->mo.single || isinf(g->mo.gap);
    if (!rc) {
        g->summary->gap = g->mo.gap;
        g->summary->na = single ? g->model->n : g->model->n / 2;
        g->summary->nb = single ? 0 : g->model->n / 2;
        g->summary->e_bare = NAN;
        rc = g->engine ? GN_OK : bare_energy(g, err);
    }
    /* mid-gap sites are relaxed with one adatom: on an engine only when that is the run's size */
    if (!rc)
        rc = gn_adsorb_candidates(&g->mo, g->engine && g->o->nadatoms > 1 ? NULL : g->pot,
                                  g->o->sites, g->o->radius, &g->sites, &g->nsites, err);
    if (!rc)
        rc = gn_adsorb_sym_alloc(g->model, g->sites, g->nsites, &g->sym, err);
    if (!rc) {
        g->summary->ncandidates = g->nsites;
        g->summary->nops = gn_adsorb_sym_nops(g->sym);
        rc = g->o->sequential ? sequential_gap(g, err) : exhaustive_gap(g, err);
    }
    g->summary->wall_time = seconds() - t0;
    gn_adsorb_sym_free(g->sym);
    free(g->sites);
    gn_atoms_free(g->model);
    g->sym = NULL;
    g->sites = NULL;
    g->model = NULL;
    return rc ? gn_error_prefix(err, "gap %g Å: ", g->mo.gap) : GN_OK;
}

static int check_opts(const gn_adsorb_opts *o, gn_error *err)
{
    if (o->nadatoms < 1 || o->nadatoms > GN_ADSORB_MAX_ADATOMS)
        return gn_error_set(err, GN_EINVAL, "%d adatoms: must be 1..%d", o->nadatoms,
                            GN_ADSORB_MAX_ADATOMS);
    if (!o->ngaps || !o->gaps)
        return gn_error_set(err, GN_EINVAL, "no gaps");
    if (o->keep < 1 || o->screen_above < 1 || o->screen_steps < 1)
        return gn_error_set(err, GN_EINVAL, "keep, screen_above and screen_steps must be >= 1");
    if (!(o->merge_energy >= 0) || !(o->merge_distance >= 0) || !(o->bare_fmax > 0))
        return gn_error_set(err, GN_EINVAL, "merge tolerances must be >= 0, bare_fmax > 0");
    for (size_t i = 0; i < o->ngaps; i++)
        for (size_t j = 0; j < i; j++)
            if (o->gaps[i] == o->gaps[j])
                return gn_error_set(err, GN_EINVAL, "gap %g Å is listed twice", o->gaps[i]);
    return GN_OK;
}

static void critical(gn_adsorb_result *r)
{
    double *ratio = malloc((r->ngaps + 1) * sizeof *ratio), *g = malloc((r->ngaps + 1) * sizeof *g);
    if (!ratio || !g) {
        free(ratio);
        free(g);
        r->critical.status = GN_CRITICAL_UNDETERMINED;
        return;
    }
    for (size_t i = 0; i < r->ngaps; i++) {
        long b = gn_adsorb_best(r, i, r->nadatoms);
        g[i] = r->gaps[i].gap;
        ratio[i] = b >= 0 ? r->configs[b].bridge_ratio : NAN;
    }
    gn_adsorb_critical_gap(g, ratio, r->ngaps, &r->critical);
    free(ratio);
    free(g);
}

/* An external engine's clients are set up for one structure size and cannot give E(atom) or
 * E(model) on their own: every structure of the run has the K adatoms, E_ads is not available
 * (NaN) and the configurations are ranked by their total energy, which orders them as E_ads
 * would (the same atoms at each gap). Sequential stages differ in size: one adatom only. */
static int engine_check(const gn_adsorb_opts *o, gn_adsorb_result *res, gn_error *err)
{
    if (o->sequential && o->nadatoms > 1)
        return gn_error_set(err, GN_EINVAL, "potential %s is an external engine, whose clients "
                            "serve one structure size; the sequential stages have 1 to %d "
                            "adatoms: run one adatom count per run without --sequential",
                            res->potential, o->nadatoms);
    res->e_atom = NAN;
    progress(o, "%s is an external engine: no isolated atom or bare model, so E_ads is not "
                "available (NaN); configurations ranked by total energy%s\n", res->potential,
             o->nadatoms > 1 ? "; no mid-gap sites (they are found with one adatom)" : "");
    return GN_OK;
}

int gn_adsorb_run(const gn_potential *pot, const gn_adsorb_opts *o, gn_adsorb_result *res,
                  gn_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_opts(o, err);
    if (rc)
        return rc;
    res->kind = o->model.kind;
    snprintf(res->potential, sizeof res->potential, "%s", gn_potential_spec(pot));
    res->a0 = o->model.a0;
    res->nn = gn_model_nn_distance(&o->model);
    res->nadatoms = o->nadatoms;
    res->sequential = o->sequential;
    res->keep = o->keep;
    res->gaps = calloc(o->ngaps, sizeof *res->gaps);
    if (!res->gaps)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    res->ngaps = o->ngaps;
    int engine = gn_ipi_is(pot);
    rc = engine ? engine_check(o, res, err) : isolated_atom(pot, &res->e_atom, err);
    for (size_t i = 0; i < o->ngaps && !rc; i++) {
        gap_run g = {.pot = pot, .o = o, .mo = o->model, .summary = &res->gaps[i], .res = res,
                     .e_atom = res->e_atom, .engine = engine};
        g.mo.gap = o->gaps[i];
        g.nn = res->nn;
        rc = one_gap(&g, err);
        if (!rc) {
            long b = gn_adsorb_best(res, i, o->nadatoms);
            progress(o, "gap %g Å: done in %.1f s; most stable with %d adatoms: %s, %s %.4f "
                        "eV%s\n", o->gaps[i], res->gaps[i].wall_time, o->nadatoms,
                     b >= 0 ? res->configs[b].sites : "none", engine ? "E" : "E_ads",
                     b < 0 ? NAN : engine ? res->configs[b].energy : res->configs[b].e_ads,
                     b >= 0 && res->configs[b].bridges ? " (bridges the gap)" : "");
        }
    }
    if (rc) {
        gn_adsorb_result_clear(res);
        return rc;
    }
    gn_adsorb_assign_ids(res);
    critical(res);
    return GN_OK;
}

void gn_adsorb_critical_text(const gn_adsorb_result *r, char *buf, size_t cap)
{
    char head[600];
    const gn_adsorb_critical *c = &r->critical;
    gn_fmt_trunc(head, sizeof head, "bridging %s %s, %d adatom%s%s", gn_model_kind_name(r->kind),
                 r->potential, r->nadatoms, r->nadatoms == 1 ? "" : "s",
                 r->sequential ? " (sequential)" : "");
    const char *src = "source (cold welding, Supp. Fig. 2): about 7.8 Å";
    switch (c->status) {
    case GN_CRITICAL_FOUND:
        gn_fmt_trunc(buf, cap, "%s: the most stable configuration bridges the gap up to %.2f Å "
                     "(between %g and %g Å); %s", head, c->gap, c->gap_lo, c->gap_hi, src);
        break;
    case GN_CRITICAL_BEYOND:
        gn_fmt_trunc(buf, cap, "%s: the most stable configuration bridges the gap at every gap "
                     "up to the widest, %g Å (the critical gap lies beyond it); %s", head,
                     c->gap, src);
        break;
    case GN_CRITICAL_NONE:
        gn_fmt_trunc(buf, cap, "%s: the most stable configuration bridges the gap at none of "
                     "the gaps; %s", head, src);
        break;
    default:
        gn_fmt_trunc(buf, cap, "%s: not determined (a gap has no relaxed configuration); %s",
                     head, src);
    }
}
