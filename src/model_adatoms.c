/* gapneb: models with several adatoms and the endpoints of custom processes (doc/design.md,
 * "Sites", "Processes"). Å.
 *
 * An adatom needs room: one closer than GN_MODEL_ADATOM_ROOM nearest-neighbour distances to any
 * atom (or to another adatom) is refused, the same rule as for a single adatom in model.c. Two
 * adatoms on one site, or on a site and a neighbouring mid-gap point a bond length away from
 * it, would otherwise start a relaxation with forces of hundreds of eV/Å.
 */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double gn_model_nn_distance(const gn_model_opts *o) { return gn_model_spacing(o); }

static double mi_distance(const gn_cell *c, const double a[3], const double b[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    gn_cell_min_image(c, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* The room rule for adatom k (at sites[k]) against base and the adatoms before it. */
static int check_room(const gn_atoms *base, double nn, const gn_site *sites, size_t k,
                      gn_error *err)
{
    const double lim = GN_MODEL_ADATOM_ROOM * nn;
    for (size_t j = 0; j < k; j++) {
        double r = mi_distance(&base->cell, sites[j].pos, sites[k].pos);
        if (r < lim)
            return gn_error_set(err, GN_EINVAL,
                                "no room for adatoms on both %s and %s: they are %.3f Å apart "
                                "(less than %.1f x the nearest-neighbour distance %.3f Å)",
                                sites[j].name, sites[k].name, r, GN_MODEL_ADATOM_ROOM, nn);
    }
    for (size_t i = 0; i < base->n; i++) {
        double r = mi_distance(&base->cell, base->pos + 3 * i, sites[k].pos);
        if (r < lim)
            return gn_error_set(err, GN_EINVAL,
                                "no room for an adatom at %s: atom %zu is %.3f Å from it (less "
                                "than %.1f x the nearest-neighbour distance %.3f Å)",
                                sites[k].name, i + 1, r, GN_MODEL_ADATOM_ROOM, nn);
    }
    return GN_OK;
}

int gn_model_add_adatoms(const gn_atoms *base, int z, double nn, const gn_site *sites,
                         size_t nsites, gn_atoms **out, gn_error *err)
{
    *out = NULL;
    if (!(nn > 0.0))
        return gn_error_set(err, GN_EINVAL, "nearest-neighbour distance %g Å: must be > 0", nn);
    for (size_t k = 0; k < nsites; k++) {
        int rc = check_room(base, nn, sites, k, err);
        if (rc)
            return rc;
    }
    gn_atoms *a = NULL;
    int rc = gn_atoms_copy(base, &a, err);
    for (size_t k = 0; k < nsites && !rc; k++)
        rc = gn_atoms_push(a, z, sites[k].pos, 0, err);
    if (rc) {
        gn_atoms_free(a);
        return rc;
    }
    *out = a;
    return GN_OK;
}

/* Two sites of one list with the same name: two adatoms cannot share a site. */
static int repeated(const gn_site *s, size_t n, gn_error *err)
{
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < k; j++)
            if (!strcmp(s[j].name, s[k].name))
                return gn_error_set(err, GN_EINVAL, "site %s is given twice (two adatoms "
                                    "cannot share a site)", s[k].name);
    return GN_OK;
}

/* Looks the names up in the model's catalogue (one call for all of them). */
static int lookup_sites(const gn_model_opts *o, const char *const *names, size_t n,
                        gn_site *out, gn_error *err)
{
    gn_site *v = NULL;
    size_t nv = 0;
    int rc = gn_model_sites(o, &v, &nv, err);
    for (size_t k = 0; k < n && !rc; k++) {
        size_t i = 0;
        while (i < nv && strcmp(v[i].name, names[k]))
            i++;
        if (i < nv)
            out[k] = v[i];
        else /* the single-site lookup words the message (valid range, naming scheme) */
            rc = gn_model_find_site(o, names[k], &out[k], err);
    }
    free(v);
    return rc;
}

static int build_with(const gn_model_opts *o, const gn_atoms *base, const char *const *names,
                      size_t n, gn_atoms **out, gn_error *err)
{
    gn_site *s = calloc(n ? n : 1, sizeof *s);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    int rc = lookup_sites(o, names, n, s, err);
    if (!rc)
        rc = repeated(s, n, err);
    if (!rc)
        rc = gn_model_add_adatoms(base, o->z, gn_model_spacing(o), s, n, out, err);
    free(s);
    return rc;
}

int gn_model_with_adatoms(const gn_model_opts *o, const char *const *sites, size_t nsites,
                          gn_atoms **out, gn_error *err)
{
    *out = NULL;
    gn_atoms *base = NULL;
    int rc = gn_model_build(o, &base, err);
    if (!rc)
        rc = build_with(o, base, sites, nsites, out, err);
    gn_atoms_free(base);
    return rc;
}

int gn_model_custom_process(const gn_model_opts *o, const gn_site *initial,
                            const gn_site *final, size_t nadatoms, gn_atoms **ini,
                            gn_atoms **fin, gn_error *err)
{
    *ini = *fin = NULL;
    if (nadatoms == 0)
        return gn_error_set(err, GN_EINVAL, "a process needs at least one adatom");
    gn_atoms *base = NULL;
    const double nn = gn_model_spacing(o);
    int rc = gn_model_build(o, &base, err);
    if (!rc && (rc = repeated(initial, nadatoms, err)) == GN_OK &&
        (rc = gn_model_add_adatoms(base, o->z, nn, initial, nadatoms, ini, err)))
        gn_error_prefix(err, "initial state: ");
    if (!rc && (rc = repeated(final, nadatoms, err)) == GN_OK &&
        (rc = gn_model_add_adatoms(base, o->z, nn, final, nadatoms, fin, err)))
        gn_error_prefix(err, "final state: ");
    if (rc) {
        gn_atoms_free(*ini);
        *ini = NULL;
    }
    gn_atoms_free(base);
    return rc;
}
