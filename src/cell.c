/* gapneb: simulation cell, fractional coordinates and the minimum-image convention (Å). */
#include "gapneb/cell.h"
#include "cell_internal.h"

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

/* the periodic span (cell_internal.h) */
typedef gn_cell_span span;

static int periodic_span(const gn_cell *c, span *sp)
{
    sp->np = 0;
    for (int k = 0; k < 3; k++)
        if (c->pbc[k])
            sp->k[sp->np++] = k;
    memset(sp->gi, 0, sizeof sp->gi);
    if (sp->np == 1) {
        const double *a = c->hf[sp->k[0]];
        sp->gi[0][0] = 1.0 / dot(a, a);
    } else if (sp->np == 2) {
        const double *a = c->hf[sp->k[0]], *b = c->hf[sp->k[1]];
        double g00 = dot(a, a), g01 = dot(a, b), g11 = dot(b, b), det = g00 * g11 - g01 * g01;
        sp->gi[0][0] = g11 / det;
        sp->gi[1][1] = g00 / det;
        sp->gi[0][1] = sp->gi[1][0] = -g01 / det;
    } else if (sp->np == 3) {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                sp->gi[i][j] = c->inv[0][i] * c->inv[0][j] + c->inv[1][i] * c->inv[1][j] +
                               c->inv[2][i] * c->inv[2][j];
    }
    /* A nonzero lattice vector of the span is at least as long as the smallest plane spacing
     * s_min = min 1/|b'_i|, so no image is shorter than a wrapped vector w with |w| <= s_min/2. */
    sp->smin2 = INFINITY;
    for (int i = 0; i < sp->np; i++)
        sp->smin2 = fmin(sp->smin2, 1.0 / sp->gi[i][i]);
    return sp->np;
}

void gn_cell_span_init(const gn_cell *c, gn_cell_span *sp) { periodic_span(c, sp); }

static void span_coords(const gn_cell *c, const span *sp, const double d[3], double t[3])
{
    if (sp->np == 3) {
        gn_cell_to_frac(c, d, t);
        return;
    }
    double hd[3] = {0, 0, 0};
    for (int i = 0; i < sp->np; i++)
        hd[i] = dot(c->hf[sp->k[i]], d);
    for (int i = 0; i < 3; i++)
        t[i] = sp->gi[i][0] * hd[0] + sp->gi[i][1] * hd[1] + sp->gi[i][2] * hd[2];
}

/* Half-widths of the image search: any image shorter than a wrapped in-span vector of length len
 * has |u_i + n_i| <= len |b'_i| (see gn_cell_min_image). */
static void search_reach(const span *sp, double len, double reach[3])
{
    for (int i = 0; i < 3; i++)
        reach[i] = i < sp->np ? len * sqrt(sp->gi[i][i]) : 0.0;
}

/* Most images a minimum-image search may visit (gn_cell_init refuses cells that need more). */
#define CELL_MAX_SEARCH 100000.0

/* Images the search visits at most: the wrapped in-span vector is never longer than half the sum
 * of the periodic vectors. */
static double search_size(const gn_cell *c, const span *sp)
{
    double len = 0.0, reach[3], count = 1.0;
    for (int i = 0; i < sp->np; i++)
        len += 0.5 * norm(c->hf[sp->k[i]]);
    search_reach(sp, len, reach);
    for (int i = 0; i < sp->np; i++)
        count *= 2.0 * ceil(reach[i]) + 2.0;
    return count;
}

int gn_cell_init(gn_cell *c, const double h[3][3], const int pbc[3], gn_error *err)
{
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            if (!isfinite(h[k][d]))
                return gn_error_set(err, GN_EINVAL, "cell vector %d has a non-finite component", k + 1);
    for (int k = 0; k < 3; k++) {
        /* compared component-wise first so that the length itself cannot overflow */
        double big = fmax(fabs(h[k][0]), fmax(fabs(h[k][1]), fabs(h[k][2])));
        if (big > GN_CELL_MAX_LENGTH || norm(h[k]) > GN_CELL_MAX_LENGTH)
            return gn_error_set(err, GN_EINVAL, "cell vector %d is %.3g Å long (more than %g Å)",
                                k + 1, big > GN_CELL_MAX_LENGTH ? big : norm(h[k]),
                                GN_CELL_MAX_LENGTH);
    }
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
    span sp;
    periodic_span(c, &sp);
    double images = search_size(c, &sp);
    if (!(images <= CELL_MAX_SEARCH))
        return gn_error_set(err, GN_EINVAL,
                            "cell vectors are too nearly parallel, or too short against the "
                            "others, for a minimum-image search (%.3g images)",
                            images);
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

static void image_search(const gn_cell *c, const span *sp, const double t[3], const double w[3],
                         int bn[3]);

void gn_cell_min_image(const gn_cell *c, double d[3])
{
    span sp;
    if (periodic_span(c, &sp))
        gn_cell_min_image_span(c, &sp, d);
}

void gn_cell_min_image_span(const gn_cell *c, const gn_cell_span *spp, double d[3])
{
    const span sp = *spp;
    if (!sp.np)
        return;
    /* Only the component of d in the span of the periodic vectors can change: the free component
     * (an atom far out in a free direction) adds the same amount to every image's length, so the
     * search is bounded by the cell alone. */
    double t[3], shift[3] = {0, 0, 0}, w[3] = {0, 0, 0};
    span_coords(c, &sp, d, t);
    for (int i = 0; i < sp.np; i++) {
        if (!isfinite(t[i]))
            return;
        shift[i] = -floor(t[i] + 0.5);
        t[i] += shift[i];
        for (int x = 0; x < 3; x++)
            w[x] += t[i] * c->hf[sp.k[i]][x];
    }
    /* Any shorter image r = w + n.h has |t_i + n_i| = |r . b'_i| <= |r| |b'_i| <= |w| |b'_i|,
     * where b'_i is reciprocal vector i within the span: searching that box is exact for any
     * triclinic cell, however skewed (gn_cell_init bounds its size). */
    /* the common case, a short pair vector, needs no search (same result: the search keeps w on
     * ties) */
    int bn[3] = {0, 0, 0};
    if (4.0 * dot(w, w) > sp.smin2)
        image_search(c, &sp, t, w, bn);
    /* d plus a lattice vector, added to d itself so that its free component keeps its digits */
    for (int q = 0; q < sp.np; q++)
        for (int x = 0; x < 3; x++)
            d[x] += (shift[q] + bn[q]) * c->hf[sp.k[q]][x];
}

/* The lattice vector n (in the span's vectors) that makes w + n.h shortest, w the wrapped vector
 * of span coordinates t. */
static void image_search(const gn_cell *c, const span *sp, const double t[3], const double w[3],
                         int bn[3])
{
    double reach[3];
    search_reach(sp, norm(w), reach);
    int lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    for (int i = 0; i < sp->np; i++) {
        double r = fmin(reach[i], CELL_MAX_SEARCH);
        lo[i] = (int)floor(-t[i] - r);
        hi[i] = (int)ceil(-t[i] + r);
    }
    double best2 = dot(w, w);
    for (int i = lo[0]; i <= hi[0]; i++)
        for (int j = lo[1]; j <= hi[1]; j++)
            for (int k = lo[2]; k <= hi[2]; k++) {
                const int n[3] = {i, j, k};
                double r[3] = {w[0], w[1], w[2]};
                for (int q = 0; q < sp->np; q++)
                    for (int x = 0; x < 3; x++)
                        r[x] += n[q] * c->hf[sp->k[q]][x];
                double r2 = dot(r, r);
                if (r2 < best2 - 1e-14) {
                    best2 = r2;
                    memcpy(bn, n, 3 * sizeof *bn);
                }
            }
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
