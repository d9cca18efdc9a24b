/* gapneb: the hollow sites of a model: candidates kept when they have the full nearest-neighbour
 * count in their crystal, named and ordered (doc/design.md, "Sites"). Å. */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gn_model_count_neighbours(const gn_model_opts *o, const gn_atoms *a, size_t lo, size_t hi,
                              const double r[3])
{
    const double nn = gn_model_spacing(o);
    int range[3];
    for (int k = 0; k < 3; k++)
        range[k] = a->cell.pbc[k] ? 1 : 0;
    int count = 0;
    for (size_t i = lo; i < hi; i++) {
        /* z is free in every model: most atoms are rejected here without the image loop */
        if (fabs(a->pos[3 * i + 2] - r[2]) > nn + GN_MODEL_NN_TOL)
            continue;
        for (int u = -range[0]; u <= range[0]; u++)
            for (int v = -range[1]; v <= range[1]; v++) {
                double d2 = 0.0;
                for (int x = 0; x < 3; x++) {
                    double d = a->pos[3 * i + x] + u * a->cell.h[0][x] + v * a->cell.h[1][x] - r[x];
                    d2 += d * d;
                }
                double d = sqrt(d2);
                if (d < nn - GN_MODEL_NN_TOL)
                    return -1;
                if (d < nn + GN_MODEL_NN_TOL)
                    count++;
            }
    }
    return count;
}

/* Slabs: lateral distance to the centre of the cell's parallelogram (nc facing a facet: to the
 * z axis, the cell being zero); e2e and nc facing an edge: distance to the crystal's edge line. */
static double site_dist(const gn_model_opts *o, const gn_cell *c, char crystal, const double r[3])
{
    if (o->kind != GN_MODEL_E2E && !(o->kind == GN_MODEL_NC && o->facing == GN_NC_EDGE)) {
        double dx = r[0] - 0.5 * (c->h[0][0] + c->h[1][0]);
        double dy = r[1] - 0.5 * (c->h[0][1] + c->h[1][1]);
        return sqrt(dx * dx + dy * dy);
    }
    double z0 = crystal == 'A' ? 0.0 : o->gap;
    return sqrt(r[1] * r[1] + (r[2] - z0) * (r[2] - z0));
}

static int candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err)
{
    switch (o->kind) {
    case GN_MODEL_E2E: return gn_model_e2e_candidates(o, c, err);
    case GN_MODEL_PT111: return gn_model_pt111_candidates(o, c, err);
    case GN_MODEL_NC: return gn_model_nc_candidates(o, c, err);
    default: return gn_model_s2s_candidates(o, c, err);
    }
}

int gn_model_find_sites(const gn_model_opts *o, const gn_atoms *a, size_t na,
                        gn_model_image_fn image, gn_site **out, size_t *nout, gn_error *err)
{
    gn_model_cands c = {0};
    int rc = candidates(o, &c, err);
    gn_site *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < c.n && !rc; i++) {
        int full = c.v[i].facet == 100 ? 4 : 3;
        if (gn_model_count_neighbours(o, a, 0, na, c.v[i].pos) != full)
            continue;
        gn_site s = {.crystal = 'A', .facet = c.v[i].facet, .kind = c.v[i].kind, .nneigh = full};
        memcpy(s.pos, c.v[i].pos, sizeof s.pos);
        gn_model_wrap(&a->cell, s.pos);
        rc = gn_model_site_push(&v, &n, &cap, &s, err);
    }
    free(c.v);
    const size_t nA = n;
    for (size_t i = 0; i < nA && !rc && image; i++) {
        gn_site s = v[i];
        s.crystal = 'B';
        image(o, &a->cell, v[i].pos, s.pos);
        rc = gn_model_site_push(&v, &n, &cap, &s, err);
    }
    for (size_t i = 0; i < n; i++)
        v[i].dist = site_dist(o, &a->cell, v[i].crystal, v[i].pos);
    if (!rc)
        rc = gn_model_order_sites(&a->cell, v, n, GN_MODEL_TIE_TOL, err);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return GN_OK;
}

/* Order: crystal, facet, kind, then distance, |x - Lx/2|, x, y, z with ties within the
 * tolerance. qsort passes no context, so each key carries its own |x - Lx/2|. */
typedef struct site_key {
    gn_site s;
    double xmid; /* |x - Lx/2| */
    double tol;  /* Å, ties */
} site_key;

static int cmp_tol(double a, double b, double tol)
{
    if (a < b - tol)
        return -1;
    if (a > b + tol)
        return 1;
    return 0;
}

static int cmp_int(int a, int b) { return (a > b) - (a < b); }

static int cmp_site(const void *va, const void *vb)
{
    const site_key *a = va, *b = vb;
    int c;
    if ((c = cmp_int(a->s.crystal, b->s.crystal)) || (c = cmp_int(a->s.facet, b->s.facet)) ||
        (c = cmp_int(a->s.kind, b->s.kind)))
        return c;
    const double t = a->tol;
    if ((c = cmp_tol(a->s.dist, b->s.dist, t)) || (c = cmp_tol(a->xmid, b->xmid, t)))
        return c;
    for (int k = 0; k < 3; k++)
        if ((c = cmp_tol(a->s.pos[k], b->s.pos[k], t)))
            return c;
    return 0;
}

static int same_family(const gn_site *a, const gn_site *b)
{
    return a->crystal == b->crystal && a->facet == b->facet && a->kind == b->kind;
}

/* "A100:0", "B111:2", "A111h:0", "G:3". */
static void site_name(gn_site *s)
{
    if (s->kind == GN_SITE_GAP)
        snprintf(s->name, sizeof s->name, "G:%d", s->index);
    else
        snprintf(s->name, sizeof s->name, "%c%d%s:%d", s->crystal, s->facet,
                 s->kind == GN_SITE_HCP111 ? "h" : "", s->index);
}

int gn_model_order_sites(const gn_cell *cell, gn_site *v, size_t n, double tol, gn_error *err)
{
    if (n == 0)
        return GN_OK;
    site_key *keys = malloc(n * sizeof *keys);
    if (!keys)
        return gn_error_set(err, GN_ENOMEM, "out of memory for sites");
    for (size_t i = 0; i < n; i++) {
        keys[i].s = v[i];
        keys[i].xmid = fabs(v[i].pos[0] - 0.5 * cell->h[0][0]);
        keys[i].tol = tol;
    }
    qsort(keys, n, sizeof *keys, cmp_site);
    int index = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = keys[i].s;
        if (i > 0 && !same_family(&v[i], &v[i - 1]))
            index = 0;
        v[i].index = index++;
        site_name(&v[i]);
    }
    free(keys);
    return GN_OK;
}
