/* gapneb: a model in its final frame: crystal A, crystal B (A mirrored through z = d/2 and
 * shifted by the registry, atom by atom, so B's atom i is the image of A's atom i), the sites,
 * the vacuum; and a model with an adatom (doc/design.md, "Models", "Sites"). Å. */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- crystal B ------------------------------------------------------------------------- */

static void registry_shift(const gn_model_opts *o, double sh[2])
{
    const double s = gn_model_spacing(o);
    sh[0] = sh[1] = 0.0;
    switch (o->registry) {
    case GN_REG_HOLLOW: sh[0] = sh[1] = 0.5 * s; break;
    case GN_REG_BRIDGE:
    case GN_REG_STAGGERED: sh[0] = 0.5 * s; break;
    default: break;
    }
}

/* Wraps periodic coordinates into [0, L): positions stay tidy and comparable. The cell vectors
 * of both models lie along the Cartesian axes. */
static void b_image(const gn_model_opts *o, const gn_cell *c, const double ra[3], double rb[3])
{
    double sh[2];
    registry_shift(o, sh);
    rb[0] = ra[0] + sh[0];
    rb[1] = ra[1] + sh[1];
    rb[2] = o->gap - ra[2];
    gn_model_wrap(c, rb);
}

/* ---- the raw model (frame of model.h, no vacuum) --------------------------------------- */

static int crystal_a(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    switch (o->kind) {
    case GN_MODEL_E2E: return gn_model_e2e_crystal(o, a, err);
    case GN_MODEL_PT111: return gn_model_pt111_crystal(o, a, err);
    case GN_MODEL_NC: return gn_model_nc_crystal(o, a, err);
    default: return gn_model_s2s_crystal(o, a, err);
    }
}

static int add_crystal_b(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    const size_t na = a->n;
    int rc = GN_OK;
    for (size_t i = 0; i < na && !rc; i++) {
        double rb[3];
        b_image(o, &a->cell, a->pos + 3 * i, rb);
        rc = gn_atoms_push(a, o->z, rb, a->fixed[i], err);
    }
    return rc;
}

/* The crystals must not interpenetrate: no A-B pair closer than half the NN spacing. Only
 * atoms within lim of the other crystal's extent along z can form such a pair, which keeps
 * large models cheap. */
static int check_overlap(const gn_model_opts *o, const gn_atoms *a, size_t na, gn_error *err)
{
    const double lim = 0.5 * gn_model_spacing(o);
    double zAmax = -INFINITY, zBmin = INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        if (i < na)
            zAmax = fmax(zAmax, a->pos[3 * i + 2]);
        else
            zBmin = fmin(zBmin, a->pos[3 * i + 2]);
    }
    for (size_t i = 0; i < na; i++) {
        if (a->pos[3 * i + 2] < zBmin - lim)
            continue;
        for (size_t j = na; j < a->n; j++) {
            if (a->pos[3 * j + 2] > zAmax + lim)
                continue;
            double d[3];
            gn_atoms_displacement(a, i, j, d);
            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r < lim)
                return gn_error_set(err, GN_EINVAL,
                                    "%s gap d = %g Å: atoms of the two crystals %.3f Å apart "
                                    "(closer than %.3f Å); use a wider gap",
                                    gn_model_kind_name(o->kind), o->gap, r, lim);
        }
    }
    return GN_OK;
}

/* Atoms of a[lo, hi) at exactly the NN spacing from r, over the periodic images; -1 if some atom
 * is closer than that (the point is not a free lattice site). */
static int apply_vacuum(const gn_model_opts *o, gn_atoms *a, gn_site *sites, size_t ns,
                        gn_error *err)
{
    if (o->vacuum <= 0.0)
        return GN_OK;
    double h[3][3];
    int pbc[3];
    memcpy(h, a->cell.h, sizeof h);
    for (int k = 0; k < 3; k++)
        pbc[k] = a->cell.pbc[k];
    for (int k = 0; k < 3; k++) {
        if (pbc[k])
            continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < a->n; i++) {
            lo = fmin(lo, a->pos[3 * i + k]);
            hi = fmax(hi, a->pos[3 * i + k]);
        }
        double shift = 0.5 * o->vacuum - lo;
        for (size_t i = 0; i < a->n; i++)
            a->pos[3 * i + k] += shift;
        for (size_t i = 0; i < ns; i++)
            sites[i].pos[k] += shift;
        memset(h[k], 0, sizeof h[k]);
        h[k][k] = hi - lo + o->vacuum;
    }
    return gn_cell_init(&a->cell, h, pbc, err);
}

/* The model (atoms, and sites if wanted) in its final frame. */
void gn_model_built_clear(gn_model_built *m)
{
    gn_atoms_free(m->atoms);
    free(m->sites);
    memset(m, 0, sizeof *m);
}

int gn_model_make(const gn_model_opts *o, int want_sites, gn_model_built *m, gn_error *err)
{
    memset(m, 0, sizeof *m);
    int rc = gn_model_opts_check(o, err);
    if (rc)
        return rc;
    const int single = gn_model_is_single(o);
    if ((rc = gn_atoms_alloc(&m->atoms, 0, err)))
        return rc;
    gn_atoms *a = m->atoms;
    rc = crystal_a(o, a, err);
    m->na = a->n;
    if (!rc && !single) {
        rc = add_crystal_b(o, a, err);
        if (!rc)
            rc = check_overlap(o, a, m->na, err);
    }
    if (!rc && want_sites)
        rc = gn_model_find_sites(o, a, m->na, single ? NULL : b_image, &m->sites, &m->nsites,
                                 err);
    if (!rc)
        rc = apply_vacuum(o, a, m->sites, m->nsites, err);
    if (rc)
        gn_model_built_clear(m);
    return rc;
}

/* ---- public API ------------------------------------------------------------------------ */

int gn_model_build(const gn_model_opts *o, gn_atoms **out, gn_error *err)
{
    gn_model_built m;
    int rc = gn_model_make(o, 0, &m, err);
    *out = m.atoms;
    return rc;
}

int gn_model_sites(const gn_model_opts *o, gn_site **sites, size_t *nsites, gn_error *err)
{
    gn_model_built m;
    *sites = NULL;
    *nsites = 0;
    int rc = gn_model_make(o, 1, &m, err);
    if (rc)
        return rc;
    *sites = m.sites;
    *nsites = m.nsites;
    m.sites = NULL;
    gn_model_built_clear(&m);
    return GN_OK;
}

int gn_model_lookup(const gn_model_opts *o, const gn_site *v, size_t n, const char *name,
                    gn_site *out, gn_error *err)
{
    int count = 0;
    const char *fam = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            *out = v[i];
            return GN_OK;
        }
        /* count the sites of the named family for a helpful message */
        size_t lf = strcspn(v[i].name, ":");
        if (strncmp(v[i].name, name, lf) == 0 && name[lf] == ':') {
            count++;
            fam = v[i].name;
        }
    }
    if (count)
        return gn_error_set(err, GN_EINVAL, "%s model has no site '%s': valid are %.*s:0 .. %.*s:%d",
                            gn_model_kind_name(o->kind), name, (int)strcspn(fam, ":"), fam,
                            (int)strcspn(fam, ":"), fam, count - 1);
    return gn_error_set(err, GN_EINVAL,
                        "%s model has no site '%s': names are CRYSTAL FACET : INDEX, e.g. A100:0 "
                        "(see gapneb build --list-sites)",
                        gn_model_kind_name(o->kind), name);
}

int gn_model_find_site(const gn_model_opts *o, const char *name, gn_site *site, gn_error *err)
{
    gn_site *v = NULL;
    size_t n = 0;
    int rc = gn_model_sites(o, &v, &n, err);
    if (rc)
        return rc;
    rc = gn_model_lookup(o, v, n, name ? name : "", site, err);
    free(v);
    return rc;
}

/* An adatom closer than this fraction of the nearest-neighbour distance to some atom has no
 * room: at small gaps the site of one crystal can lie almost on an atom of the other (s2s at
 * d = 3 Å puts the A100 hollow 1.04 Å below a B atom), and relaxing or banding from there only
 * produces forces of hundreds of eV/Å. 0.7 NN (1.94 Å for Pt) still admits the compressed sites
 * of the narrowest physically meaningful gaps (s2s d = 4 Å: 2.04 Å). */
#define GN_ADATOM_ROOM 0.7

int gn_model_check_room(const gn_model_opts *o, const gn_atoms *base, long skip,
                        const double pos[3], const char *what, gn_error *err)
{
    const double nn = gn_model_spacing(o);
    double best = INFINITY;
    size_t at = 0;
    for (size_t i = 0; i < base->n; i++) {
        if ((long)i == skip)
            continue;
        double r = gn_model_mi_dist(&base->cell, base->pos + 3 * i, pos);
        if (r < best) {
            best = r;
            at = i;
        }
    }
    if (best >= GN_ADATOM_ROOM * nn)
        return GN_OK;
    char where[64] = "";
    if (!gn_model_is_single(o))
        snprintf(where, sizeof where, " gap d = %g Å", o->gap);
    return gn_error_set(err, GN_EINVAL,
                        "%s%s: no room for an adatom at %s: atom %zu is %.3f Å from it (less "
                        "than %.1f x the nearest-neighbour distance %.3f Å)",
                        gn_model_kind_name(o->kind), where, what, at + 1, best, GN_ADATOM_ROOM,
                        nn);
}

int gn_model_add_adatom(const gn_model_opts *o, const gn_atoms *base, const gn_site *s,
                        gn_atoms **out, gn_error *err)
{
    *out = NULL;
    char what[32];
    snprintf(what, sizeof what, "site %s", s->name);
    int rc = gn_model_check_room(o, base, -1, s->pos, what, err);
    if (rc)
        return rc;
    rc = gn_atoms_copy(base, out, err);
    if (!rc && (rc = gn_atoms_push(*out, o->z, s->pos, 0, err))) {
        gn_atoms_free(*out);
        *out = NULL;
    }
    return rc;
}

int gn_model_with_adatom(const gn_model_opts *o, const char *site, gn_atoms **out,
                         gn_error *err)
{
    *out = NULL;
    gn_model_built m;
    int rc = gn_model_make(o, 1, &m, err);
    if (rc)
        return rc;
    gn_site s;
    rc = gn_model_lookup(o, m.sites, m.nsites, site ? site : "", &s, err);
    if (!rc)
        rc = gn_model_add_adatom(o, m.atoms, &s, out, err);
    gn_model_built_clear(&m);
    return rc;
}
