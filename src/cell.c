/* gapneb: simulation cell, fractional coordinates and the minimum-image convention (Å). */
#include "gapneb/cell.h"

#include <math.h>
#include <string.h>

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static double norm(const double a[3]) { return sqrt(dot(a, a)); }

static double det3(const double m[3][3])
{
    double c[3];
    cross(m[1], m[2], c);
    return dot(m[0], c);
}

/* A zero vector along a free direction gets a unit vector orthogonal to the other two, so that
 * fractional coordinates exist for clusters and slabs written without a vacuum vector. */
static void complete(gn_cell *c)
{
    memcpy(c->hf, c->h, sizeof c->hf);
    for (int pass = 0; pass < 3; pass++) {
        for (int k = 0; k < 3; k++) {
            if (norm(c->hf[k]) > 1e-12)
                continue;
            const double *u = c->hf[(k + 1) % 3], *v = c->hf[(k + 2) % 3];
            double w[3];
            cross(u, v, w);
            double nw = norm(w);
            if (nw > 1e-12) {
                for (int d = 0; d < 3; d++)
                    c->hf[k][d] = w[d] / nw;
                continue;
            }
            /* Fewer than two vectors known: take the first Cartesian axis that is not parallel
             * to a known vector; later passes fill the rest. */
            const double *known = norm(u) > 1e-12 ? u : (norm(v) > 1e-12 ? v : NULL);
            if (!known) {
                memset(c->hf[k], 0, sizeof c->hf[k]);
                c->hf[k][k] = 1.0;
                continue;
            }
            for (int ax = 0; ax < 3; ax++) {
                double e[3] = {0, 0, 0};
                e[ax] = 1.0;
                cross(known, e, w);
                if (norm(w) > 1e-6 * norm(known)) {
                    nw = norm(w);
                    for (int d = 0; d < 3; d++)
                        c->hf[k][d] = w[d] / nw;
                    break;
                }
            }
        }
    }
}

int gn_cell_init(gn_cell *c, const double h[3][3], const int pbc[3], gn_error *err)
{
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            if (!isfinite(h[k][d]))
                return gn_error_set(err, GN_EINVAL, "cell vector %d has a non-finite component", k + 1);
    memcpy(c->h, h, sizeof c->h);
    for (int k = 0; k < 3; k++) {
        c->pbc[k] = pbc[k] ? 1 : 0;
        if (c->pbc[k] && norm(h[k]) < 1e-9)
            return gn_error_set(err, GN_EINVAL, "cell vector %d is zero but the cell is periodic along it", k + 1);
    }
    complete(c);
    double det = det3(c->hf);
    if (fabs(det) < 1e-6)
        return gn_error_set(err, GN_EINVAL, "cell is singular (volume %.3g Å^3)", fabs(det));
    /* inv such that s = r . inv, i.e. inv = hf^-1 with rows of hf the cell vectors. */
    double cof[3][3];
    cross(c->hf[1], c->hf[2], cof[0]);
    cross(c->hf[2], c->hf[0], cof[1]);
    cross(c->hf[0], c->hf[1], cof[2]);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c->inv[i][j] = cof[j][i] / det;
    return GN_OK;
}

void gn_cell_free_space(gn_cell *c)
{
    static const double zero[3][3] = {{0}};
    static const int nopbc[3] = {0, 0, 0};
    (void)gn_cell_init(c, zero, nopbc, NULL);
}

void gn_cell_to_frac(const gn_cell *c, const double r[3], double s[3])
{
    for (int j = 0; j < 3; j++)
        s[j] = r[0] * c->inv[0][j] + r[1] * c->inv[1][j] + r[2] * c->inv[2][j];
}

void gn_cell_to_cart(const gn_cell *c, const double s[3], double r[3])
{
    for (int j = 0; j < 3; j++)
        r[j] = s[0] * c->hf[0][j] + s[1] * c->hf[1][j] + s[2] * c->hf[2][j];
}

void gn_cell_min_image(const gn_cell *c, double d[3])
{
    if (!c->pbc[0] && !c->pbc[1] && !c->pbc[2])
        return;
    double s[3];
    gn_cell_to_frac(c, d, s);
    for (int k = 0; k < 3; k++)
        if (c->pbc[k])
            s[k] -= floor(s[k] + 0.5);
    double w[3];
    gn_cell_to_cart(c, s, w);
    /* Any shorter image r = w + n.h has |n_k| <= |w| |b_k| where b_k is the k-th reciprocal
     * vector (column k of inv), because the fractional coordinate k of r is s_k + n_k and
     * |s_k + n_k| = |r . b_k| <= |r| |b_k| <= |w| |b_k|. Searching that box is exact for any
     * triclinic cell, however skewed. */
    double len = norm(w);
    int lo[3], hi[3];
    for (int k = 0; k < 3; k++) {
        lo[k] = hi[k] = 0;
        if (!c->pbc[k])
            continue;
        double bk = sqrt(c->inv[0][k] * c->inv[0][k] + c->inv[1][k] * c->inv[1][k] +
                         c->inv[2][k] * c->inv[2][k]);
        double reach = len * bk;
        lo[k] = (int)floor(-s[k] - reach);
        hi[k] = (int)ceil(-s[k] + reach);
    }
    double best[3] = {w[0], w[1], w[2]};
    double best2 = dot(w, w);
    for (int i = lo[0]; i <= hi[0]; i++)
        for (int j = lo[1]; j <= hi[1]; j++)
            for (int k = lo[2]; k <= hi[2]; k++) {
                double r[3];
                for (int x = 0; x < 3; x++)
                    r[x] = w[x] + i * c->hf[0][x] + j * c->hf[1][x] + k * c->hf[2][x];
                double r2 = dot(r, r);
                if (r2 < best2 - 1e-14) {
                    best2 = r2;
                    memcpy(best, r, sizeof best);
                }
            }
    memcpy(d, best, sizeof best);
}

double gn_cell_volume(const gn_cell *c) { return fabs(det3(c->hf)); }

double gn_cell_plane_spacing(const gn_cell *c, int k)
{
    double w[3];
    cross(c->hf[(k + 1) % 3], c->hf[(k + 2) % 3], w);
    return gn_cell_volume(c) / norm(w);
}

int gn_cell_equal(const gn_cell *a, const gn_cell *b, double tol)
{
    for (int k = 0; k < 3; k++) {
        if (a->pbc[k] != b->pbc[k])
            return 0;
        for (int d = 0; d < 3; d++)
            if (fabs(a->h[k][d] - b->h[k][d]) > tol)
                return 0;
    }
    return 1;
}
