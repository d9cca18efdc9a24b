/* gapneb: crystal A of the edge-to-edge model, the fcc wedge between (001) and (111)
 * (doc/design.md, "Edge-to-edge"). Å.
 *
 * Lattice points are a0/2 (i, j, k) in the cubic frame with i + j + k even. The half-spaces are
 * k <= 0 (normal n1 = (0,0,1)) and i + j + k <= 0 (n2 = (1,1,1)/sqrt3); the edge is the line
 * k = 0, i = -j along [1-10]. Working in the integers p = i - j, t = i + j, k keeps every
 * membership test exact: the model x is p s/2 (s = a0/sqrt2) and the squared distance to the edge
 * line is (a0/2)^2 (t^2 + 2 k^2)/2, so the cut at R is an integer comparison of q = t^2 + 2k^2.
 * The (111) hcp hollows are the one kind of site off the lattice (fractional t, k).
 */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct lattice_pt {
    int p, t, k, q;
} lattice_pt;

static void model_pos(const gn_model_opts *o, int p, double t, double k, double r[3])
{
    r[0] = 0.5 * p * gn_model_spacing(o);
    gn_model_wedge_yz(o->a0, t, k, &r[1], &r[2]);
}

/* Largest q = t^2 + 2k^2 inside the radius R (with a relative margin for points exactly on it). */
static int qmax_of(const gn_model_opts *o)
{
    return (int)floor(8.0 * o->R * o->R / (o->a0 * o->a0) * (1.0 + 1e-12));
}

/* Edge row first, then outwards: atom 0..m-1 are the edge row. */
static int cmp_pt(const void *va, const void *vb)
{
    const lattice_pt *a = va, *b = vb;
    if (a->q != b->q)
        return a->q < b->q ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    return (a->p > b->p) - (a->p < b->p);
}

static int collect(const gn_model_opts *o, lattice_pt **out, size_t *np, gn_error *err)
{
    const int qmax = qmax_of(o);
    const int T = (int)ceil(sqrt((double)qmax)) + 1, K = (int)ceil(sqrt(0.5 * qmax)) + 1;
    size_t cap = (size_t)(2 * o->m) * (size_t)(2 * T + 1) * (size_t)(K + 1);
    lattice_pt *v = malloc(cap * sizeof *v);
    if (!v)
        return gn_error_set(err, GN_ENOMEM, "out of memory for the e2e lattice");
    size_t n = 0;
    for (int p = 0; p < 2 * o->m; p++)
        for (int t = -T; t <= T; t++)
            for (int k = -K; k <= 0; k++) {
                int q = t * t + 2 * k * k;
                /* (p+t) even: i integer; (t+k) even: fcc; t + k <= 0: below (111) */
                if (((p + t) & 1) || ((t + k) & 1) || t + k > 0 || q > qmax)
                    continue;
                v[n++] = (lattice_pt){p, t, k, q};
            }
    qsort(v, n, sizeof *v, cmp_pt);
    *out = v;
    *np = n;
    return GN_OK;
}

int gn_model_e2e_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    const double h[3][3] = {{o->m * gn_model_spacing(o), 0, 0}, {0, 0, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 0, 0};
    int rc = gn_cell_init(&a->cell, h, pbc, err);
    if (rc)
        return rc;
    lattice_pt *v = NULL;
    size_t n = 0;
    if ((rc = collect(o, &v, &n, err)))
        return rc;
    const double rfix = o->R - o->fix_depth;
    for (size_t i = 0; i < n && !rc; i++) {
        double r[3];
        model_pos(o, v[i].p, v[i].t, v[i].k, r);
        double dist = 0.5 * o->a0 * sqrt(0.5 * v[i].q);
        rc = gn_atoms_push(a, o->z, r, dist > rfix + 1e-9, err);
    }
    free(v);
    return rc;
}

int gn_model_e2e_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err)
{
    const int qmax = qmax_of(o);
    const int T = (int)ceil(sqrt((double)qmax)) + 2, K = (int)ceil(sqrt(0.5 * qmax)) + 2;
    int rc = GN_OK;
    for (int p = 0; p < 2 * o->m && !rc; p++) {
        /* (100): the next layer above k = 0 is k = 1 */
        for (int t = -T; t <= T && !rc; t++) {
            if (((p + t) & 1) || ((t + 1) & 1))
                continue;
            double r[3];
            model_pos(o, p, t, 1, r);
            rc = gn_model_cands_push(c, r, 100, GN_SITE_HOLLOW100, err);
        }
        /* (111): the next layer above i + j + k = 0 is i + j + k = 2 */
        for (int k = -K; k <= 1 && !rc; k++) {
            int t = 2 - k;
            if ((p + t) & 1)
                continue;
            double r[3];
            model_pos(o, p, t, k, r);
            rc = gn_model_cands_push(c, r, 111, GN_SITE_FCC111, err);
        }
        /* (111) hcp hollows lie straight above the atoms of the second layer, i + j + k = -2,
         * one (111) spacing above the fcc hollows' layer: (i, j, k) + 4/3 (1, 1, 1), which
         * keeps p and adds 8/3 to t, 4/3 to k */
        for (int k = -K; k <= 1 && !rc; k++) {
            int t = -2 - k;
            if ((p + t) & 1)
                continue;
            double r[3];
            model_pos(o, p, t + 8.0 / 3.0, k + 4.0 / 3.0, r);
            rc = gn_model_cands_push(c, r, 111, GN_SITE_HCP111, err);
        }
    }
    return rc;
}
