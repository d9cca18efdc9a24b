/* gapneb: crystal A of the pt111 terrace, an fcc(111) slab (doc/design.md, "Terraces"). Å.
 *
 * Frame: x along [1-10], y along [11-2], z along [111] out of the slab; surface cell vectors
 * a1 = (s, 0, 0) and a2 = (s/2, s sqrt3/2, 0) with s = a0/sqrt2, the model cell n a1, n a2.
 * Layer k (k = 0 the surface, going down) lies at z = -k a0/sqrt3 with its atoms at
 * i a1 + j a2 + ((k + 1) mod 3) delta, delta = (a1 + a2)/3: ABC stacking. The fcc hollows of the
 * surface lie above the third layer's atoms (offset 3 delta = 0, the lattice points i a1 + j a2,
 * so that an even cell has one at its centre), the hcp hollows above the second layer's
 * (offset 2 delta); both a0/sqrt3 above the surface, the next layer's height.
 */
#include "model_internal.h"

#include <math.h>

static void surface_vectors(const gn_model_opts *o, double a1[2], double a2[2], double delta[2])
{
    const double s = gn_model_spacing(o);
    a1[0] = s;
    a1[1] = 0.0;
    a2[0] = 0.5 * s;
    a2[1] = 0.5 * sqrt(3.0) * s;
    delta[0] = (a1[0] + a2[0]) / 3.0;
    delta[1] = (a1[1] + a2[1]) / 3.0;
}

int gn_model_pt111_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    double a1[2], a2[2], delta[2];
    surface_vectors(o, a1, a2, delta);
    const double h[3][3] = {{o->n * a1[0], 0, 0}, {o->n * a2[0], o->n * a2[1], 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    const double d111 = o->a0 / sqrt(3.0);
    int rc = gn_cell_init(&a->cell, h, pbc, err);
    for (int k = 0; k < o->layers && !rc; k++) {
        const int shift = (k + 1) % 3, fixed = k >= o->layers - 2;
        for (int i = 0; i < o->n && !rc; i++)
            for (int j = 0; j < o->n && !rc; j++) {
                const double r[3] = {i * a1[0] + j * a2[0] + shift * delta[0],
                                     i * a1[1] + j * a2[1] + shift * delta[1], -k * d111};
                rc = gn_atoms_push(a, o->z, r, fixed, err);
            }
    }
    return rc;
}

int gn_model_pt111_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err)
{
    double a1[2], a2[2], delta[2];
    surface_vectors(o, a1, a2, delta);
    const double d111 = o->a0 / sqrt(3.0);
    int rc = GN_OK;
    for (int i = 0; i < o->n && !rc; i++)
        for (int j = 0; j < o->n && !rc; j++) {
            const double x = i * a1[0] + j * a2[0], y = i * a1[1] + j * a2[1];
            const double fcc[3] = {x, y, d111};
            const double hcp[3] = {x + 2.0 * delta[0], y + 2.0 * delta[1], d111};
            rc = gn_model_cands_push(c, fcc, 111, GN_SITE_FCC111, err);
            if (!rc)
                rc = gn_model_cands_push(c, hcp, 111, GN_SITE_HCP111, err);
        }
    return rc;
}
