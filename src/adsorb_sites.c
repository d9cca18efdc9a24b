/* gapneb: candidate sites of the adsorb module (see adsorb.h): the model's catalogue, mid-gap
 * sites included (model_gap.h), within a radius. Units: Å. */
#include "gapneb/adsorb.h"
#include "gapneb/model_gap.h"
#include "strbuf_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIE 1e-6          /* Å */

double gn_adsorb_default_radius(const gn_model_opts *o)
{
    return o->kind == GN_MODEL_E2E ? 3.0 : 1.05 * gn_model_nn_distance(o);
}

/* Where the radius is measured from: s2s and the terraces the axis through the cell centre
 * along z (lateral distance), e2e the strip between the two edge rows (the topmost atoms of A and the lowest of
 * B, along x): in the (y, z) plane, the segment joining them. */
typedef struct centre {
    gn_model_kind kind;
    double cx, cy;            /* s2s */
    double edge[2][2];        /* e2e: (y, z) of A's and B's edge rows */
    int nedges;
} centre;

static void find_centre(const gn_model_opts *o, const gn_atoms *m, centre *c)
{
    c->kind = o->kind;
    c->cx = 0.5 * m->cell.h[0][0];
    c->cy = 0.5 * m->cell.h[1][1];
    int single = o->single || isinf(o->gap);
    size_t na = single ? m->n : m->n / 2;
    c->nedges = single ? 1 : 2;
    for (int e = 0; e < c->nedges; e++) {
        double best = e ? INFINITY : -INFINITY;
        for (size_t i = e ? na : 0; i < (e ? m->n : na); i++) {
            double z = m->pos[3 * i + 2];
            if (e ? z < best : z > best) {
                best = z;
                c->edge[e][0] = m->pos[3 * i + 1];
                c->edge[e][1] = z;
            }
        }
    }
}

static double centre_distance(const centre *c, const gn_cell *cell, const double r[3])
{
    if (c->kind != GN_MODEL_E2E) {
        double d[3] = {r[0] - c->cx, r[1] - c->cy, 0.0};
        gn_cell_min_image(cell, d);
        return hypot(d[0], d[1]);
    }
    const double *a = c->edge[0], *b = c->edge[c->nedges - 1];
    double u[2] = {b[0] - a[0], b[1] - a[1]}, w[2] = {r[1] - a[0], r[2] - a[1]};
    double len2 = u[0] * u[0] + u[1] * u[1];
    double t = len2 > 0 ? (w[0] * u[0] + w[1] * u[1]) / len2 : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(w[0] - t * u[0], w[1] - t * u[1]);
}

/* Distance from r to the nearest atom of m[lo, hi). */
static double nearest_atom(const gn_atoms *m, size_t lo, size_t hi, const double r[3])
{
    double best = INFINITY;
    for (size_t i = lo; i < hi; i++) {
        double d[3] = {m->pos[3 * i] - r[0], m->pos[3 * i + 1] - r[1], m->pos[3 * i + 2] - r[2]};
        if (fabs(d[2]) > best) /* z is free in both models: no image is nearer */
            continue;
        gn_cell_min_image(&m->cell, d);
        best = fmin(best, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    return best;
}

/* ---- site lists ------------------------------------------------------------------------ */

typedef struct site_list {
    gn_site *v;
    size_t n, cap;
} site_list;

static int push(site_list *l, const gn_site *s, gn_error *err)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        gn_site *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return gn_error_set(err, GN_ENOMEM, "out of memory for candidate sites");
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = *s;
    return GN_OK;
}

/* ---- the set ------------------------------------------------------------------------------ */

static size_t family_len(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? (size_t)(colon - name) : strlen(name);
}

/* Marks the sites an item selects; 0 if it selects nothing. */
static int select_item(const char *item, const site_list *all, const double *dist,
                       double radius, unsigned char *sel)
{
    int any = 0;
    int is_default = !strcmp(item, "default"), is_all = !strcmp(item, "all");
    int family = !strchr(item, ':');
    for (size_t i = 0; i < all->n; i++) {
        const char *nm = all->v[i].name;
        int hit;
        if (is_all)
            hit = 1;
        else if (is_default)
            hit = dist[i] <= radius + TIE;
        else if (family)
            hit = family_len(nm) == strlen(item) && !strncmp(nm, item, strlen(item)) &&
                  dist[i] <= radius + TIE;
        else
            hit = !strcmp(nm, item);
        if (hit) {
            sel[i] = 1;
            any = 1;
        }
    }
    return any;
}

static int parse_set(const char *set, const site_list *all, const double *dist, double radius,
                     unsigned char *sel, gn_error *err)
{
    const char *p = set && *set ? set : "default";
    char item[64];
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!gn_text_trim(p, len, item, sizeof item) || !item[0])
            return gn_error_set(err, GN_EINVAL, "--sites '%s': empty or too long item", set);
        if (!select_item(item, all, dist, radius, sel))
            return gn_error_set(err, GN_EINVAL,
                                "--sites: '%s' selects no site with room (items: default, all, "
                                "a family such as A100 or M within the radius %.3g Å, or a "
                                "site name such as A100:3; see gapneb build --list-sites)",
                                item, radius);
        p = end ? end + 1 : p + len;
    }
    return GN_OK;
}

/* The catalogue (with a potential, its mid-gap sites too), the sites with room. */
static int all_sites(const gn_model_opts *o, const gn_potential *pot, const gn_atoms *m,
                     site_list *all, gn_error *err)
{
    gn_site *cat = NULL;
    size_t ncat = 0;
    int rc = pot ? gn_model_all_sites(o, pot, NULL, &cat, &ncat, err)
                 : gn_model_sites(o, &cat, &ncat, err);
    const double nn = gn_model_nn_distance(o);
    for (size_t i = 0; i < ncat && !rc; i++)
        if (nearest_atom(m, 0, m->n, cat[i].pos) >= GN_MODEL_ADATOM_ROOM * nn)
            rc = push(all, &cat[i], err);
    free(cat);
    return rc;
}

int gn_adsorb_candidates(const gn_model_opts *o, const gn_potential *pot, const char *set,
                         double radius,
                         gn_site **sites, size_t *nsites, gn_error *err)
{
    *sites = NULL;
    *nsites = 0;
    if (isnan(radius))
        radius = gn_adsorb_default_radius(o);
    if (!(radius >= 0))
        return gn_error_set(err, GN_EINVAL, "candidate radius %g Å: must be >= 0", radius);
    gn_atoms *m = NULL;
    int rc = gn_model_build(o, &m, err);
    if (rc)
        return rc;
    centre c;
    find_centre(o, m, &c);
    site_list all = {0}, out = {0};
    double *dist = NULL;
    unsigned char *sel = NULL;
    rc = all_sites(o, pot, m, &all, err);
    if (!rc) {
        dist = malloc((all.n + 1) * sizeof *dist);
        sel = calloc(all.n + 1, 1);
        if (!dist || !sel)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory for candidate sites");
    }
    for (size_t i = 0; !rc && i < all.n; i++)
        dist[i] = centre_distance(&c, &m->cell, all.v[i].pos);
    if (!rc)
        rc = parse_set(set, &all, dist, radius, sel, err);
    for (size_t i = 0; !rc && i < all.n; i++)
        if (sel[i])
            rc = push(&out, &all.v[i], err);
    free(dist);
    free(sel);
    free(all.v);
    gn_atoms_free(m);
    if (rc) {
        free(out.v);
        return rc;
    }
    *sites = out.v;
    *nsites = out.n;
    return GN_OK;
}
