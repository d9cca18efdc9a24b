/* gapneb: crystal A of the surface-to-surface model, an fcc(100) slab (doc/design.md,
 * "Surface-to-surface"); alone, it is the pt100 terrace. Å.
 *
 * Frame: x along [110], y along [1-10], z along [001] out of the slab; the facing layer at z = 0,
 * layer k at z = -k a0/2. The facing layer's atoms sit at ((i+1/2) s, (j+1/2) s) so that the
 * 4-fold hollows fall on (i s, j s) and the hollow at the centre of an even cell is a site.
 */
#include "model_internal.h"

int gn_model_s2s_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    const double s = gn_model_spacing(o), L = o->n * s;
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    int rc = gn_cell_init(&a->cell, h, pbc, err);
    for (int k = 0; k < o->layers && !rc; k++) {
        /* fcc(100) stacking ABAB: even layers in registry with the facing layer. */
        const double off = (k % 2 == 0) ? 0.5 * s : 0.0;
        const int fixed = k >= o->layers - 2;
        for (int i = 0; i < o->n && !rc; i++)
            for (int j = 0; j < o->n && !rc; j++) {
                const double r[3] = {i * s + off, j * s + off, -k * 0.5 * o->a0};
                rc = gn_atoms_push(a, o->z, r, fixed, err);
            }
    }
    return rc;
}

int gn_model_s2s_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err)
{
    const double s = gn_model_spacing(o);
    int rc = GN_OK;
    for (int i = 0; i < o->n && !rc; i++)
        for (int j = 0; j < o->n && !rc; j++) {
            /* The next (100) layer lies a0/2 above, over the second layer's atoms. */
            const double r[3] = {i * s, j * s, 0.5 * o->a0};
            rc = gn_model_cands_push(c, r, 100, GN_SITE_HOLLOW100, err);
        }
    return rc;
}
