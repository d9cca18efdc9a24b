/* gapneb: the vacuum-padded, restricted-triclinic box of an external engine (Å). See
 * include/gapneb/engine_box.h. */
#include "gapneb/engine_box.h"

#include <math.h>
#include <string.h>

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static int normalise3(double v[3])
{
    double n = sqrt(dot3(v, v));
    if (!(n > 0.0))
        return 0;
    for (int d = 0; d < 3; d++)
        v[d] /= n;
    return 1;
}

/* Unit vectors of the free directions, orthogonal to the periodic vectors and to each other,
 * ordered so that the full set is right-handed when the periodic vectors allow it. */
static void free_directions(const gn_cell *c, const int per[3], double u[3][3])
{
    memset(u, 0, 9 * sizeof(double));
    int np = per[0] + per[1] + per[2];
    if (np == 2) {
        for (int k = 0; k < 3; k++)
            if (!per[k]) {
                cross3(c->h[(k + 1) % 3], c->h[(k + 2) % 3], u[k]);
                normalise3(u[k]);
            }
    } else if (np == 1) {
        int p = per[0] ? 0 : (per[1] ? 1 : 2), j1 = (p + 1) % 3, j2 = (p + 2) % 3;
        double a[3] = {c->h[p][0], c->h[p][1], c->h[p][2]};
        normalise3(a);
        for (int ax = 0; ax < 3; ax++) {
            double e[3] = {0, 0, 0};
            e[ax] = 1.0;
            double ea = dot3(e, a);
            for (int d = 0; d < 3; d++)
                u[j1][d] = e[d] - ea * a[d];
            if (dot3(u[j1], u[j1]) > 0.25)
                break;
        }
        normalise3(u[j1]);
        cross3(a, u[j1], u[j2]);
        normalise3(u[j2]);
    } else if (np == 0) {
        for (int k = 0; k < 3; k++)
            u[k][k] = 1.0;
    }
}

/* rot: rows e1 = v0/|v0|, e2 = the part of v1 orthogonal to e1, e3 = e1 x e2, so that rot v_k
 * is LAMMPS's restricted triclinic form. */
static void canonical_rotation(const double v[3][3], double rot[3][3])
{
    double e1[3] = {v[0][0], v[0][1], v[0][2]};
    normalise3(e1);
    double p = dot3(v[1], e1), e2[3];
    for (int d = 0; d < 3; d++)
        e2[d] = v[1][d] - p * e1[d];
    normalise3(e2);
    double e3[3];
    cross3(e1, e2, e3);
    memcpy(rot[0], e1, sizeof e1);
    memcpy(rot[1], e2, sizeof e2);
    memcpy(rot[2], e3, sizeof e3);
}

static void mat_vec(const double m[3][3], const double x[3], double y[3])
{
    for (int i = 0; i < 3; i++)
        y[i] = m[i][0] * x[0] + m[i][1] * x[1] + m[i][2] * x[2];
}

int gn_engine_box_init(gn_engine_box *b, const gn_atoms *a, const double *pos, double vacuum,
                       gn_error *err)
{
    memset(b, 0, sizeof *b);
    if (!(vacuum > 0.0) || !isfinite(vacuum))
        return gn_error_set(err, GN_EINVAL, "engine box: vacuum %g Å is not a positive number",
                            vacuum);
    if (!pos)
        pos = a->pos;
    for (size_t i = 0; i < 3 * a->n; i++)
        if (!isfinite(pos[i]))
            return gn_error_set(err, GN_EINVAL, "engine box: atom %zu has a non-finite "
                                "coordinate", i / 3 + 1);
    const gn_cell *c = &a->cell;
    int per[3];
    b->given = 1;
    for (int k = 0; k < 3; k++) {
        per[k] = c->pbc[k] && dot3(c->h[k], c->h[k]) > 0.0;
        b->given &= dot3(c->h[k], c->h[k]) > 0.0;
    }
    if (b->given)
        for (int k = 0; k < 3; k++) {
            per[k] = 1; /* every vector is kept as it is */
            b->free_dir[k] = !c->pbc[k];
            b->spacing[k] = gn_cell_plane_spacing(c, k);
        }
    free_directions(c, per, b->u);
    double v[3][3];
    for (int k = 0; k < 3; k++) {
        if (!b->given)
            b->free_dir[k] = !per[k];
        if (per[k]) {
            memcpy(v[k], c->h[k], sizeof v[k]);
            b->len[k] = sqrt(dot3(v[k], v[k]));
            continue;
        }
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < a->n; i++) {
            double s = dot3(pos + 3 * i, b->u[k]);
            lo = fmin(lo, s);
            hi = fmax(hi, s);
        }
        if (a->n == 0)
            lo = hi = 0.0;
        b->len[k] = hi - lo + vacuum;
        double centre = 0.5 * b->len[k] - 0.5 * (hi + lo);
        for (int d = 0; d < 3; d++) {
            v[k][d] = b->len[k] * b->u[k][d];
            b->shift[d] += centre * b->u[k][d];
        }
    }
    double w[3];
    cross3(v[1], v[2], w);
    double det = dot3(v[0], w);
    if (!(det > 1e-6))
        return gn_error_set(err, GN_EINVAL, "engine box: the periodic cell vectors are %s; "
                            "external engines (LAMMPS) need a right-handed cell",
                            det < 0 ? "left-handed" : "degenerate");
    canonical_rotation(v, b->rot);
    double dev = 0.0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            dev = fmax(dev, fabs(b->rot[i][j] - (i == j)));
    b->identity = dev < 1e-14;
    for (int k = 0; k < 3; k++) {
        if (b->identity) {
            memcpy(b->box[k], v[k], sizeof v[k]);
            continue;
        }
        mat_vec(b->rot, v[k], b->box[k]);
        /* exact zeros where the form has them (rounding leaves ~1e-16) */
        for (int d = k + 1; d < 3; d++)
            b->box[k][d] = 0.0;
    }
    if (b->identity)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                b->rot[i][j] = i == j;
    b->vacuum = vacuum;
    return GN_OK;
}

/* A given box: every atom's fractional coordinate along each non-periodic vector keeps margin
 * Å to the faces. */
static int fits_given(const gn_engine_box *b, const double *pos, size_t n, double margin)
{
    double inv[3][3], det;
    const double (*h)[3] = b->box;
    /* the box in gapneb's frame: rot^T box */
    double g[3][3];
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            g[k][d] = b->rot[0][d] * h[k][0] + b->rot[1][d] * h[k][1] + b->rot[2][d] * h[k][2];
    double c0[3], c1[3], c2[3];
    cross3(g[1], g[2], c0);
    cross3(g[2], g[0], c1);
    cross3(g[0], g[1], c2);
    det = dot3(g[0], c0);
    for (int d = 0; d < 3; d++) {
        inv[d][0] = c0[d] / det;
        inv[d][1] = c1[d] / det;
        inv[d][2] = c2[d] / det;
    }
    for (int k = 0; k < 3; k++) {
        if (!b->free_dir[k])
            continue;
        double lo = margin / b->spacing[k], hi = 1.0 - lo;
        for (size_t i = 0; i < n; i++) {
            const double *r = pos + 3 * i;
            double s = r[0] * inv[0][k] + r[1] * inv[1][k] + r[2] * inv[2][k];
            if (!(s >= lo && s <= hi))
                return 0;
        }
    }
    return 1;
}

int gn_engine_box_fits(const gn_engine_box *b, const double *pos, size_t n, double margin)
{
    if (b->given)
        return fits_given(b, pos, n, margin);
    for (int k = 0; k < 3; k++) {
        if (!b->free_dir[k])
            continue;
        double off = dot3(b->shift, b->u[k]);
        for (size_t i = 0; i < n; i++) {
            double s = dot3(pos + 3 * i, b->u[k]) + off;
            if (!(s >= margin && s <= b->len[k] - margin))
                return 0;
        }
    }
    return 1;
}

void gn_engine_box_positions(const gn_engine_box *b, const double *pos, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) {
        double r[3];
        for (int d = 0; d < 3; d++)
            r[d] = pos[3 * i + d] + b->shift[d];
        if (b->identity)
            memcpy(out + 3 * i, r, sizeof r);
        else
            mat_vec(b->rot, r, out + 3 * i);
    }
}

void gn_engine_box_forces_back(const gn_engine_box *b, double *f, size_t n)
{
    if (b->identity)
        return;
    for (size_t i = 0; i < n; i++) {
        double g[3];
        for (int d = 0; d < 3; d++)
            g[d] = b->rot[0][d] * f[3 * i] + b->rot[1][d] * f[3 * i + 1] +
                   b->rot[2][d] * f[3 * i + 2];
        memcpy(f + 3 * i, g, sizeof g);
    }
}
