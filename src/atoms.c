/* gapneb: a set of atoms (positions Å, masses amu) and frames (energy eV, forces eV/Å). */
#include "gapneb/atoms.h"
#include "gapneb/neighbor.h"
#include "gapneb/element.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int reserve(gn_atoms *a, size_t cap, gn_error *err)
{
    if (cap <= a->cap)
        return GN_OK;
    size_t ncap = a->cap ? a->cap : 16;
    while (ncap < cap)
        ncap *= 2;
    double *pos = realloc(a->pos, 3 * ncap * sizeof *pos);
    if (pos)
        a->pos = pos;
    int *z = realloc(a->z, ncap * sizeof *z);
    if (z)
        a->z = z;
    double *mass = realloc(a->mass, ncap * sizeof *mass);
    if (mass)
        a->mass = mass;
    unsigned char *fixed = realloc(a->fixed, ncap);
    if (fixed)
        a->fixed = fixed;
    if (!pos || !z || !mass || !fixed)
        return gn_error_set(err, GN_ENOMEM, "out of memory for %zu atoms", cap);
    a->cap = ncap;
    return GN_OK;
}

int gn_atoms_alloc(gn_atoms **out, size_t n, gn_error *err)
{
    *out = NULL;
    gn_atoms *a = calloc(1, sizeof *a);
    if (!a)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    gn_cell_free_space(&a->cell);
    int rc = reserve(a, n ? n : 1, err);
    if (rc) {
        gn_atoms_free(a);
        return rc;
    }
    a->n = n;
    memset(a->pos, 0, 3 * n * sizeof *a->pos);
    memset(a->z, 0, n * sizeof *a->z);
    memset(a->mass, 0, n * sizeof *a->mass);
    memset(a->fixed, 0, n);
    *out = a;
    return GN_OK;
}

void gn_atoms_free(gn_atoms *a)
{
    if (!a)
        return;
    free(a->pos);
    free(a->z);
    free(a->mass);
    free(a->fixed);
    free(a);
}

int gn_atoms_copy(const gn_atoms *src, gn_atoms **out, gn_error *err)
{
    int rc = gn_atoms_alloc(out, src->n, err);
    if (rc)
        return rc;
    gn_atoms *a = *out;
    memcpy(a->pos, src->pos, 3 * src->n * sizeof *a->pos);
    memcpy(a->z, src->z, src->n * sizeof *a->z);
    memcpy(a->mass, src->mass, src->n * sizeof *a->mass);
    memcpy(a->fixed, src->fixed, src->n);
    a->cell = src->cell;
    return GN_OK;
}

int gn_atoms_push(gn_atoms *a, int z, const double r[3], int fixed, gn_error *err)
{
    int rc = reserve(a, a->n + 1, err);
    if (rc)
        return rc;
    size_t i = a->n++;
    memcpy(a->pos + 3 * i, r, 3 * sizeof *r);
    a->z[i] = z;
    a->mass[i] = gn_element_mass(z);
    a->fixed[i] = fixed ? 1 : 0;
    return GN_OK;
}

size_t gn_atoms_nmovable(const gn_atoms *a)
{
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        m += !a->fixed[i];
    return m;
}

void gn_atoms_displacement(const gn_atoms *a, size_t i, size_t j, double d[3])
{
    for (int k = 0; k < 3; k++)
        d[k] = a->pos[3 * j + k] - a->pos[3 * i + k];
    gn_cell_min_image(&a->cell, d);
}

/* Through a neighbour list with cutoff min_dist, so O(N): validation runs on every structure read
 * and every model built, nanocrystal models included. Of the pairs closer than min_dist, the one
 * first in (i, j) order is reported, as a scan of all pairs would. */
int gn_atoms_close_pair(const gn_atoms *a, double min_dist, size_t *pi, size_t *pj, double *dist)
{
    gn_nlist *nl = NULL;
    gn_error e;
    if (!(min_dist > 0.0) || gn_nlist_alloc(&nl, min_dist, 0.0, &e) != GN_OK)
        return 0;
    int found = 0;
    if (gn_nlist_update(nl, a, &e) == GN_OK) {
        const double lim2 = min_dist * min_dist;
        for (size_t i = 0; i < a->n; i++)
            for (size_t p = nl->first[i]; p < nl->first[i + 1]; p++) {
                size_t j = (size_t)nl->j[p];
                if (j == i)
                    continue;
                double r2 = 0.0;
                for (int k = 0; k < 3; k++) {
                    double d = a->pos[3 * j + k] + nl->shift[3 * p + k] - a->pos[3 * i + k];
                    r2 += d * d;
                }
                size_t lo = i < j ? i : j, hi = i < j ? j : i;
                if (r2 < lim2 && (!found || lo < *pi || (lo == *pi && hi < *pj))) {
                    *pi = lo;
                    *pj = hi;
                    *dist = sqrt(r2);
                    found = 1;
                }
            }
    }
    gn_nlist_free(nl);
    return found;
}

static int closest_pair_check(const gn_atoms *a, const char *name, double min_dist, gn_error *err)
{
    size_t i, j;
    double r;
    if (gn_atoms_close_pair(a, min_dist, &i, &j, &r))
        return gn_error_set(err, GN_EINVAL,
                            "%s: atoms %zu and %zu are %.3f Å apart (closer than %.2f Å)", name,
                            i + 1, j + 1, r, min_dist);
    return GN_OK;
}

/* Diagonal of the atoms' bounding box, Å. */
static double extent(const gn_atoms *a)
{
    double lo[3], hi[3], d2 = 0.0;
    for (int k = 0; k < 3; k++) {
        lo[k] = hi[k] = a->pos[k];
        for (size_t i = 1; i < a->n; i++) {
            lo[k] = fmin(lo[k], a->pos[3 * i + k]);
            hi[k] = fmax(hi[k], a->pos[3 * i + k]);
        }
        d2 += (hi[k] - lo[k]) * (hi[k] - lo[k]);
    }
    return sqrt(d2);
}

/* A periodic vector far longer than the structure is a corrupt or mistyped cell (1e200 for 200),
 * not a model; refusing it here keeps absurd numbers out of the neighbour lists. */
static int cell_size_check(const gn_atoms *a, const char *name, gn_error *err)
{
    double ext = extent(a), limit = GN_ATOMS_CELL_RATIO * (ext + GN_ATOMS_CELL_PAD);
    for (int k = 0; k < 3; k++) {
        const double *h = a->cell.h[k];
        double len = sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
        if (a->cell.pbc[k] && !(len <= limit))
            return gn_error_set(err, GN_EINVAL,
                                "%s: periodic cell vector %d is %.4g Å long, absurd for atoms "
                                "spanning %.4g Å (at most %g x (extent + %g Å) = %.4g Å)",
                                name, k + 1, len, ext, GN_ATOMS_CELL_RATIO, GN_ATOMS_CELL_PAD,
                                limit);
    }
    return GN_OK;
}

int gn_atoms_validate(const gn_atoms *a, const char *name, double min_dist, gn_error *err)
{
    if (!name)
        name = "structure";
    if (a->n == 0)
        return gn_error_set(err, GN_EINVAL, "%s: no atoms", name);
    for (size_t i = 0; i < a->n; i++) {
        for (int k = 0; k < 3; k++)
            if (!isfinite(a->pos[3 * i + k]))
                return gn_error_set(err, GN_EINVAL, "%s: atom %zu has a non-finite coordinate",
                                    name, i + 1);
        if (!gn_element_symbol(a->z[i]))
            return gn_error_set(err, GN_EINVAL, "%s: atom %zu has unknown species %d", name,
                                i + 1, a->z[i]);
        if (!(a->mass[i] > 0.0) || !isfinite(a->mass[i]))
            return gn_error_set(err, GN_EINVAL, "%s: atom %zu has invalid mass %g amu", name,
                                i + 1, a->mass[i]);
    }
    int rc = cell_size_check(a, name, err);
    if (rc)
        return rc;
    if (min_dist > 0.0)
        return closest_pair_check(a, name, min_dist, err);
    return GN_OK;
}

/* Atoms listed in another order (or a fixed atom that moved) make a band between two unrelated
 * set-ups, and a barrier that means nothing: say where, and what. */
static int fixed_atoms_match(const gn_atoms *a, const gn_atoms *b, gn_error *err)
{
    for (size_t i = 0; i < a->n; i++) {
        if (!a->fixed[i] != !b->fixed[i])
            return gn_error_set(err, GN_EINVAL,
                                "endpoints: order/species differs at atom %zu: it is %s in the "
                                "initial and %s in the final structure (both must list the same "
                                "atoms in the same order, with the same atoms fixed)",
                                i + 1, a->fixed[i] ? "fixed" : "free",
                                b->fixed[i] ? "fixed" : "free");
        if (!a->fixed[i])
            continue;
        double d[3];
        for (int k = 0; k < 3; k++)
            d[k] = b->pos[3 * i + k] - a->pos[3 * i + k];
        gn_cell_min_image(&a->cell, d);
        double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (!(r <= GN_ATOMS_FIXED_TOL))
            return gn_error_set(err, GN_EINVAL,
                                "endpoints: fixed atom %zu moves %.4g Å between the initial and "
                                "the final structure (fixed atoms must stay within %g Å)%s",
                                i + 1, r, GN_ATOMS_FIXED_TOL,
                                r > 1.0 ? ": order/species differs? both must list the same "
                                          "atoms in the same order"
                                        : "");
    }
    return GN_OK;
}

int gn_atoms_compatible(const gn_atoms *a, const gn_atoms *b, gn_error *err)
{
    if (a->n != b->n)
        return gn_error_set(err, GN_EINVAL, "endpoints have different atom counts (%zu and %zu)",
                            a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (a->z[i] != b->z[i])
            return gn_error_set(err, GN_EINVAL,
                                "endpoints: order/species differs at atom %zu (%s in the initial, "
                                "%s in the final structure): both must list the same atoms in "
                                "the same order",
                                i + 1, gn_element_symbol(a->z[i]), gn_element_symbol(b->z[i]));
    if (!gn_cell_equal(&a->cell, &b->cell, 1e-6))
        return gn_error_set(err, GN_EINVAL, "endpoints have different cells or periodicity");
    return fixed_atoms_match(a, b, err);
}

void gn_frames_free(gn_frame *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++) {
        gn_atoms_free(f[i].atoms);
        free(f[i].forces);
    }
    free(f);
}
