/* gapneb: the gap of a model after relaxation (see model.h, gn_model_relaxed_gap). Lengths in Å.
 * The facing layer (s2s) and the edge row (e2e) of crystal A are found on the unrelaxed model,
 * B's as their mirror images (doc/design.md, "Models": B's atom i mirrors A's atom i). */
#include "gapneb/model.h"

#include <math.h>
#include <stdlib.h>

/* Atoms of A within tol of A's highest z: the facing layer (s2s, layers a0/2 apart) or the edge
 * row (e2e, the apex of the wedge along the bisector z). */
static int top_atoms(const gn_atoms *bare, size_t na, double tol, unsigned char *sel)
{
    double zmax = -INFINITY;
    for (size_t i = 0; i < na; i++)
        zmax = fmax(zmax, bare->pos[3 * i + 2]);
    int n = 0;
    for (size_t i = 0; i < na; i++) {
        sel[i] = bare->pos[3 * i + 2] > zmax - tol;
        n += sel[i];
    }
    return n;
}

/* Mean of component k over the selected atoms of A (offset 0) or their mirrors in B (na). */
static double mean_of(const gn_atoms *a, const unsigned char *sel, size_t na, size_t off, int k)
{
    double s = 0.0;
    int n = 0;
    for (size_t i = 0; i < na; i++)
        if (sel[i]) {
            s += a->pos[3 * (i + off) + k];
            n++;
        }
    return s / n;
}

int gn_model_relaxed_gap(const gn_model_opts *o, const gn_atoms *relaxed, double *gap,
                         gn_error *err)
{
    *gap = NAN;
    if (o->single || isinf(o->gap))
        return gn_error_set(err, GN_EINVAL, "relaxed gap: the model has one crystal");
    gn_atoms *bare = NULL;
    int rc = gn_model_build(o, &bare, err);
    if (rc != GN_OK)
        return rc;
    size_t na = bare->n / 2;
    unsigned char *sel = malloc(na + 1);
    if (!sel) {
        gn_atoms_free(bare);
        return gn_error_set(err, GN_ENOMEM, "relaxed gap: out of memory");
    }
    if (relaxed->n < bare->n) {
        rc = gn_error_set(err, GN_EINVAL, "relaxed gap: %zu atoms, the model without adatom has "
                          "%zu", relaxed->n, bare->n);
    } else {
        /* s2s: the next layer lies a0/2 lower; e2e: the next rows at least a0/(2 sqrt3) lower */
        double tol = o->kind == GN_MODEL_S2S ? o->a0 / 4 : 0.1 * o->a0;
        top_atoms(bare, na, tol, sel);
        double dz = mean_of(relaxed, sel, na, na, 2) - mean_of(relaxed, sel, na, 0, 2);
        double dy = o->kind == GN_MODEL_E2E
                        ? mean_of(relaxed, sel, na, na, 1) - mean_of(relaxed, sel, na, 0, 1)
                        : 0.0;
        *gap = sqrt(dy * dy + dz * dz);
    }
    free(sel);
    gn_atoms_free(bare);
    return rc;
}
