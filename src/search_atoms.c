/* gapneb: the process search's geometry (search.h): the largest atom displacement between two
 * configurations, the nearest-neighbour distance, the least-coordinated atoms. Lengths Å. */
#include "gapneb/neighbor.h"
#include "gapneb/search.h"
#include "search_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double gn_search_max_disp(const gn_atoms *a, const double *pa, const double *pb)
{
    double big = 0.0;
    for (size_t i = 0; i < a->n; i++) {
        double d[3] = {pb[3 * i] - pa[3 * i], pb[3 * i + 1] - pa[3 * i + 1],
                       pb[3 * i + 2] - pa[3 * i + 2]};
        gn_cell_min_image(&a->cell, d);
        double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r > big)
            big = r;
    }
    return big;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Neighbour list of a with cutoff rc (no skin: built once). */
static int nlist_of(const gn_atoms *a, double rc, gn_nlist **nl, gn_error *err)
{
    int rc2 = gn_nlist_alloc(nl, rc, 0.0, err);
    if (rc2 == GN_OK)
        rc2 = gn_nlist_update(*nl, a, err);
    return rc2;
}

static double pair_r(const gn_atoms *a, const gn_nlist *nl, size_t i, size_t p)
{
    size_t j = (size_t)nl->j[p];
    double d[3];
    for (int c = 0; c < 3; c++)
        d[c] = a->pos[3 * j + c] + nl->shift[3 * p + c] - a->pos[3 * i + c];
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Nearest-neighbour distance of every atom into nearest (NAN if none within the cutoff); the
 * cutoff grows from 4 Å until every atom has a neighbour (or 32 Å). */
static int nearest_all(const gn_atoms *a, double *nearest, gn_error *err)
{
    for (double rc = 4.0; rc <= 32.0; rc *= 2.0) {
        gn_nlist *nl = NULL;
        int rc2 = nlist_of(a, rc, &nl, err);
        if (rc2) {
            gn_nlist_free(nl);
            return rc2;
        }
        for (size_t i = 0; i < a->n; i++)
            nearest[i] = INFINITY;
        for (size_t i = 0; i < a->n; i++)
            for (size_t p = nl->first[i]; p < nl->first[i + 1]; p++) {
                double r = pair_r(a, nl, i, p);
                size_t j = (size_t)nl->j[p];
                if (r > 1e-9 && r < nearest[i])
                    nearest[i] = r;
                if (r > 1e-9 && r < nearest[j])
                    nearest[j] = r;
            }
        gn_nlist_free(nl);
        int all = 1;
        for (size_t i = 0; i < a->n; i++)
            all &= isfinite(nearest[i]);
        if (all)
            return GN_OK;
    }
    for (size_t i = 0; i < a->n; i++)
        if (!isfinite(nearest[i]))
            nearest[i] = NAN;
    return GN_OK;
}

double gn_search_nn_distance(const gn_atoms *a)
{
    if (!a || a->n < 2)
        return NAN;
    double *nearest = malloc(a->n * sizeof *nearest);
    gn_error err;
    if (!nearest || nearest_all(a, nearest, &err)) {
        free(nearest);
        return NAN;
    }
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (isfinite(nearest[i]))
            nearest[m++] = nearest[i];
    double med = NAN;
    if (m > 0) {
        qsort(nearest, m, sizeof *nearest, cmp_double);
        med = m % 2 ? nearest[m / 2] : 0.5 * (nearest[m / 2 - 1] + nearest[m / 2]);
    }
    free(nearest);
    return med;
}

int gn_search_adatoms(const gn_atoms *a, size_t **idx, size_t *n, gn_error *err)
{
    *idx = NULL;
    *n = 0;
    if (!a || gn_atoms_nmovable(a) == 0)
        return gn_error_set(err, GN_EINVAL, "search: no movable atom to start from");
    double dnn = gn_search_nn_distance(a);
    if (!isfinite(dnn))
        return gn_error_set(err, GN_EINVAL, "search: no nearest-neighbour distance (a single "
                            "atom, or none within 32 Å of another)");
    gn_nlist *nl = NULL;
    int *cn = calloc(a->n + 1, sizeof *cn);
    size_t *out = malloc((a->n + 1) * sizeof *out);
    int rc = cn && out ? nlist_of(a, 1.2 * dnn, &nl, err)
                       : gn_error_set(err, GN_ENOMEM, "search: out of memory");
    if (rc == GN_OK) {
        for (size_t i = 0; i < a->n; i++)
            for (size_t p = nl->first[i]; p < nl->first[i + 1]; p++)
                if (pair_r(a, nl, i, p) < 1.2 * dnn) {
                    cn[i]++;
                    cn[nl->j[p]]++;
                }
        int low = -1;
        for (size_t i = 0; i < a->n; i++)
            if (!a->fixed[i] && (low < 0 || cn[i] < low))
                low = cn[i];
        for (size_t i = 0; i < a->n; i++)
            if (!a->fixed[i] && cn[i] == low)
                out[(*n)++] = i;
        *idx = out;
        out = NULL;
    }
    gn_nlist_free(nl);
    free(cn);
    free(out);
    return rc;
}

