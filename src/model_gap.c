/* gapneb: mid-gap sites, found by relaxing an adatom started midway between facing hollows (see
 * model_gap.h, doc/design.md "Sites"). Å, eV/Å. */
#include "gapneb/model_gap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/relax.h"
#include "model_internal.h"

void gn_gap_site_opts_default(gn_gap_site_opts *go)
{
    go->fmax = 0.001;
    go->max_steps = 3000;
    go->bond = 1.1;
    go->same = 0.1;
}

static int check_opts(const gn_gap_site_opts *go, gn_error *err)
{
    if (!(go->fmax > 0) || go->max_steps < 1 || !(go->bond > 0.7) || !(go->same > 0))
        return gn_error_set(err, GN_EINVAL, "mid-gap sites: need fmax > 0, max_steps >= 1, "
                            "bond > 0.7 and same > 0");
    return GN_OK;
}

typedef struct search {
    const gn_model_opts *o;
    const gn_gap_site_opts *go;
    gn_model_built m;     /* the model (unrelaxed, with its hollows) */
    gn_atoms *relaxed;    /* the bare model relaxed */
    gn_calc *calc;
    gn_site *found;
    size_t nfound, cap;
    unsigned long calls;
} search;

/* Bonds (closer than r) from pos to the atoms of a[lo, hi). */
static int bonds(const gn_atoms *a, size_t lo, size_t hi, const double pos[3], double r)
{
    int n = 0;
    for (size_t i = lo; i < hi; i++)
        n += gn_model_mi_dist(&a->cell, a->pos + 3 * i, pos) < r;
    return n;
}

/* Distance used to order the sites: lateral to the cell centre (s2s), or to the line midway
 * between the edge rows (e2e; atom 0 of each crystal lies on its edge row, model_e2e.c). */
static double gap_site_dist(const search *s, const double r[3])
{
    const gn_atoms *a = s->m.atoms;
    if (s->o->kind != GN_MODEL_E2E) {
        double dx = r[0] - 0.5 * (a->cell.h[0][0] + a->cell.h[1][0]);
        double dy = r[1] - 0.5 * (a->cell.h[0][1] + a->cell.h[1][1]);
        return hypot(dx, dy);
    }
    const double *ea = a->pos, *eb = a->pos + 3 * s->m.na;
    return hypot(r[1] - 0.5 * (ea[1] + eb[1]), r[2] - 0.5 * (ea[2] + eb[2]));
}

/* The lattice translations that map the model onto itself: s2s (i s, j s, 0), e2e (i s, 0, 0)
 * (s the nearest-neighbour spacing; B is A shifted by a constant, so they hold for both). */
static size_t ntranslations(const gn_model_opts *o)
{
    return o->kind == GN_MODEL_E2E ? (size_t)o->m : (size_t)o->n * (size_t)o->n;
}

static void translation(const gn_model_opts *o, size_t k, double t[3])
{
    const double sp = gn_model_spacing(o);
    const size_t per = o->kind == GN_MODEL_E2E ? (size_t)o->m : (size_t)o->n;
    t[0] = sp * (double)(k % per);
    t[1] = o->kind == GN_MODEL_E2E ? 0.0 : sp * (double)(k / per);
    t[2] = 0.0;
}

static int push_site(search *s, const gn_site *g, gn_error *err)
{
    for (size_t k = 0; k < s->nfound; k++)
        if (gn_model_mi_dist(&s->m.atoms->cell, s->found[k].pos, g->pos) < s->go->same)
            return GN_OK;
    return gn_model_site_push(&s->found, &s->nfound, &s->cap, g, err);
}

/* The relaxed adatom of a (last atom) with its translates, if it is bonded to both crystals
 * and sits in no hollow: an adatom with 3 or more bonds to one crystal is in one of its
 * hollows, which keeps its hollow name. */
static int keep(search *s, const gn_atoms *a, gn_error *err)
{
    const size_t ad = a->n - 1, na = s->m.na;
    const double *r = a->pos + 3 * ad, bond = s->go->bond * gn_model_spacing(s->o);
    const int ba = bonds(a, 0, na, r, bond), bb = bonds(a, na, ad, r, bond);
    if (ba == 0 || bb == 0 || ba >= 3 || bb >= 3)
        return GN_OK;
    int rc = GN_OK;
    for (size_t k = 0; k < ntranslations(s->o) && !rc; k++) {
        gn_site g = {.crystal = 'G', .facet = 0, .kind = GN_SITE_GAP, .nneigh = ba + bb};
        double t[3];
        translation(s->o, k, t);
        for (int x = 0; x < 3; x++)
            g.pos[x] = r[x] + t[x];
        gn_model_wrap(&a->cell, g.pos);
        g.dist = gap_site_dist(s, g.pos);
        rc = push_site(s, &g, err);
    }
    return rc;
}

/* A pseudo-random unit vector from a counter (splitmix64): reproducible, and off every
 * symmetry plane of the model with probability one. */
static void kick_direction(unsigned long long k, double u[3])
{
    double n2 = 0.0;
    for (int x = 0; x < 3; x++) {
        unsigned long long z = (k * 3 + (unsigned long long)x + 1) * 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        u[x] = (double)(z >> 11) / 9007199254740992.0 - 0.5;
        n2 += u[x] * u[x];
    }
    for (int x = 0; x < 3; x++)
        u[x] /= sqrt(n2);
}

/* Relaxes a in place; *ok tells whether it converged. */
static int relax(search *s, gn_atoms *a, int *ok, gn_error *err)
{
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = s->go->fmax;
    fo.max_steps = s->go->max_steps;
    gn_fire_result fr = {0};
    int rc = gn_relax_calc(s->calc, a, &fo, &fr, NULL, err);
    s->calls += fr.evals;
    *ok = rc == GN_OK && fr.converged;
    return rc;
}

/* A start midway between two hollows lies on symmetry planes, where the forces keep a relaxing
 * adatom (a saddle of the plane stays a stationary point): the adatom is kicked off them by
 * KICK Å first, in NKICK directions, and each minimum found is kicked again and relaxed once
 * more, and kept only if it comes back within `same` (a saddle would roll away). */
#define KICK 0.15
#define NKICK 3

static int try_kick(search *s, const double pos[3], unsigned long long id, gn_error *err)
{
    gn_atoms *a = NULL;
    double u[3], first[3];
    int rc = gn_atoms_copy(s->relaxed, &a, err), ok = 0;
    kick_direction(2 * id, u);
    const double start[3] = {pos[0] + KICK * u[0], pos[1] + KICK * u[1], pos[2] + KICK * u[2]};
    if (!rc)
        rc = gn_atoms_push(a, s->o->z, start, 0, err);
    if (!rc)
        rc = relax(s, a, &ok, err);
    double *r = a ? a->pos + 3 * (a->n - 1) : NULL;
    if (!rc && ok) {
        memcpy(first, r, sizeof first);
        kick_direction(2 * id + 1, u);
        for (int x = 0; x < 3; x++)
            r[x] += KICK * u[x];
        rc = relax(s, a, &ok, err);
    }
    if (!rc && ok && gn_model_mi_dist(&a->cell, first, r) < s->go->same)
        rc = keep(s, a, err);
    gn_atoms_free(a);
    return rc;
}

/* 1 if p is a lattice translate of q (to 1e-6 Å). */
static int translate_of(const gn_model_opts *o, const double p[3], const double q[3])
{
    const double sp = gn_model_spacing(o);
    for (int x = 0; x < 3; x++) {
        double d = p[x] - q[x];
        if (x == 0 || (x == 1 && o->kind != GN_MODEL_E2E))
            d -= sp * floor(d / sp + 0.5);
        if (fabs(d) > 1e-6)
            return 0;
    }
    return 1;
}

/* The starts: midway between every hollow of A and each hollow of B nearest to it, closer
 * than reach, one per class of lattice translates (the minima found are translated instead). */
typedef struct starts {
    double (*p)[3];
    size_t n;
} starts;

static int add_start(const gn_model_opts *o, starts *st, const double mid[3], gn_error *err)
{
    for (size_t k = 0; k < st->n; k++)
        if (translate_of(o, mid, st->p[k]))
            return GN_OK;
    double (*np)[3] = realloc(st->p, (st->n + 1) * sizeof *np);
    if (!np)
        return gn_error_set(err, GN_ENOMEM, "out of memory for mid-gap starts");
    st->p = np;
    memcpy(st->p[st->n++], mid, sizeof *np);
    return GN_OK;
}

static int collect_starts(const search *s, starts *st, gn_error *err)
{
    const gn_site *v = s->m.sites;
    const gn_cell *c = &s->m.atoms->cell;
    const double reach = 2.0 * s->go->bond * gn_model_spacing(s->o);
    int rc = GN_OK;
    for (size_t i = 0; i < s->m.nsites && !rc; i++) {
        if (v[i].crystal != 'A')
            continue;
        double best = INFINITY;
        for (size_t j = 0; j < s->m.nsites; j++)
            if (v[j].crystal == 'B')
                best = fmin(best, gn_model_mi_dist(c, v[i].pos, v[j].pos));
        for (size_t j = 0; j < s->m.nsites && !rc && best <= reach; j++) {
            if (v[j].crystal != 'B' ||
                gn_model_mi_dist(c, v[i].pos, v[j].pos) > best + GN_MODEL_TIE_TOL)
                continue;
            double d[3];
            for (int k = 0; k < 3; k++)
                d[k] = v[j].pos[k] - v[i].pos[k];
            gn_cell_min_image(c, d);
            const double mid[3] = {v[i].pos[0] + 0.5 * d[0], v[i].pos[1] + 0.5 * d[1],
                                   v[i].pos[2] + 0.5 * d[2]};
            rc = add_start(s->o, st, mid, err);
        }
    }
    return rc;
}

static int search_all(search *s, gn_error *err)
{
    starts st = {0};
    int rc = collect_starts(s, &st, err);
    unsigned long long id = 0;
    for (size_t k = 0; k < st.n && !rc; k++) {
        gn_error e;
        if (gn_model_check_room(s->o, s->relaxed, -1, st.p[k], "a mid-gap start", &e) != GN_OK)
            continue;
        for (int j = 0; j < NKICK && !rc; j++)
            rc = try_kick(s, st.p[k], id++, err);
    }
    free(st.p);
    return rc;
}

static int relax_bare(search *s, gn_error *err)
{
    int rc = gn_atoms_copy(s->m.atoms, &s->relaxed, err);
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = s->go->fmax;
    fo.max_steps = s->go->max_steps;
    gn_fire_result fr = {0};
    if (!rc)
        rc = gn_relax_calc(s->calc, s->relaxed, &fo, &fr, NULL, err);
    s->calls += fr.evals;
    if (!rc && !fr.converged)
        rc = gn_error_set(err, GN_ENOCONV, "mid-gap sites: the model without adatom did not "
                          "relax to %g eV/Å in %d steps", fo.fmax, fo.max_steps);
    return rc;
}

int gn_model_gap_sites(const gn_model_opts *o, const gn_potential *pot,
                       const gn_gap_site_opts *go, gn_site **sites, size_t *nsites,
                       unsigned long *calls, gn_error *err)
{
    gn_gap_site_opts def;
    if (!go) {
        gn_gap_site_opts_default(&def);
        go = &def;
    }
    *sites = NULL;
    *nsites = 0;
    if (calls)
        *calls = 0;
    int rc = check_opts(go, err);
    if (rc)
        return rc;
    search s = {.o = o, .go = go};
    if ((rc = gn_model_make(o, 1, &s.m, err)))
        return rc;
    /* nc: none (the search starts from the hollows of a periodic facing layer) */
    if (!gn_model_is_single(o) && o->kind != GN_MODEL_NC) {
        rc = gn_calc_alloc(pot, &s.calc, err);
        if (!rc)
            rc = relax_bare(&s, err);
        if (!rc)
            rc = search_all(&s, err);
        if (!rc)
            rc = gn_model_order_sites(&s.m.atoms->cell, s.found, s.nfound, 0.5 * go->same, err);
    }
    if (calls)
        *calls = s.calls;
    gn_calc_free(s.calc);
    gn_atoms_free(s.relaxed);
    gn_model_built_clear(&s.m);
    if (rc) {
        free(s.found);
        return rc;
    }
    *sites = s.found;
    *nsites = s.nfound;
    return GN_OK;
}

int gn_model_all_sites(const gn_model_opts *o, const gn_potential *pot,
                       const gn_gap_site_opts *go, gn_site **sites, size_t *nsites,
                       gn_error *err)
{
    gn_site *h = NULL, *g = NULL;
    size_t nh = 0, ng = 0;
    *sites = NULL;
    *nsites = 0;
    int rc = gn_model_sites(o, &h, &nh, err);
    if (!rc)
        rc = gn_model_gap_sites(o, pot, go, &g, &ng, NULL, err);
    gn_site *v = NULL;
    if (!rc && !(v = realloc(h, (nh + ng + 1) * sizeof *v)))
        rc = gn_error_set(err, GN_ENOMEM, "out of memory for sites");
    if (rc) {
        free(h);
        free(g);
        return rc;
    }
    if (ng)
        memcpy(v + nh, g, ng * sizeof *g);
    free(g);
    *sites = v;
    *nsites = nh + ng;
    return GN_OK;
}

int gn_model_find_any_site(const gn_model_opts *o, const gn_potential *pot,
                           const gn_gap_site_opts *go, const char *name, gn_site *site,
                           gn_error *err)
{
    if (!name || strncmp(name, "G:", 2) != 0)
        return gn_model_find_site(o, name, site, err);
    gn_site *v = NULL;
    size_t n = 0;
    int rc = gn_model_gap_sites(o, pot, go, &v, &n, NULL, err);
    if (rc)
        return rc;
    if (n == 0)
        rc = gn_error_set(err, GN_EINVAL, "%s model has no mid-gap site at gap d = %g Å (no "
                          "relaxed adatom is bonded to both crystals)",
                          gn_model_kind_name(o->kind), o->gap);
    else
        rc = gn_model_lookup(o, v, n, name, site, err);
    free(v);
    return rc;
}
