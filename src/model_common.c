/* gapneb: helpers shared by the model builders (model*.c), so that the builders depend on this
 * small module and not on each other. Lengths in Å. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double gn_model_spacing(const gn_model_opts *o) { return o->a0 / sqrt(2.0); }

int gn_model_cands_push(gn_model_cands *c, const double pos[3], int facet, int kind,
                        gn_error *err)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 64;
        gn_model_cand *v = realloc(c->v, ncap * sizeof *v);
        if (!v)
            return gn_error_set(err, GN_ENOMEM, "out of memory for candidate sites");
        c->v = v;
        c->cap = ncap;
    }
    gn_model_cand *e = &c->v[c->n++];
    memcpy(e->pos, pos, sizeof e->pos);
    e->facet = facet;
    e->kind = kind;
    return GN_OK;
}

int gn_model_site_push(gn_site **v, size_t *n, size_t *cap, const gn_site *s, gn_error *err)
{
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        gn_site *nv = realloc(*v, ncap * sizeof *nv);
        if (!nv)
            return gn_error_set(err, GN_ENOMEM, "out of memory for sites");
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = *s;
    return GN_OK;
}

double gn_model_mi_dist(const gn_cell *c, const double a[3], const double b[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    gn_cell_min_image(c, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* The s2s and e2e cells have their vectors along the Cartesian axes and wrap coordinate by
 * coordinate (which keeps their positions bit for bit what they always were); a sheared cell
 * (pt111) wraps in fractional coordinates. */
static int axis_aligned(const gn_cell *c)
{
    for (int k = 0; k < 3; k++)
        for (int x = 0; x < 3; x++)
            if (k != x && c->h[k][x] != 0.0)
                return 0;
    return 1;
}

void gn_model_wrap(const gn_cell *c, double r[3])
{
    if (axis_aligned(c)) {
        for (int k = 0; k < 3; k++)
            if (c->pbc[k]) {
                double L = c->h[k][k];
                r[k] -= L * floor(r[k] / L);
                if (r[k] >= L - 1e-12 * L)
                    r[k] = 0.0;
            }
        return;
    }
    double s[3];
    gn_cell_to_frac(c, r, s);
    for (int k = 0; k < 3; k++)
        if (c->pbc[k]) {
            s[k] -= floor(s[k]);
            if (s[k] >= 1.0 - 1e-12)
                s[k] = 0.0;
        }
    gn_cell_to_cart(c, s, r);
}

/* Model frame: ex along [1-10], ez the outward bisector of n1 = (0,0,1) and n2 = (1,1,1)/sqrt3,
 * ey = ez x ex. Because ey and ez have equal x and y components, y and z depend on t = i + j and
 * k only. */
void gn_model_wedge_yz(double a0, double t, double k, double *y, double *z)
{
    const double c = 1.0 / sqrt(3.0);
    const double nb = sqrt(2.0 * c * c + (1.0 + c) * (1.0 + c));
    const double ezx = c / nb, ezz = (1.0 + c) / nb;
    /* ey = ez x ex with ex = (1,-1,0)/sqrt2: (ezz, ezz, -2 ezx)/sqrt2 */
    const double eyx = ezz / sqrt(2.0), eyz = -2.0 * ezx / sqrt(2.0);
    *y = 0.5 * a0 * (eyx * t + eyz * k);
    *z = 0.5 * a0 * (ezx * t + ezz * k);
}
