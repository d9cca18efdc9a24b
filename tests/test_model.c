/* Tests of the gap-model builders (s2s, e2e), their sites and processes. Lengths in Å.
 *
 * Every check measures the built structure from its atoms, independently of the builder's own
 * construction: gaps from coordinates, atom counts from a brute-force enumeration of the fcc
 * lattice in the cubic frame, nearest-neighbour shells by all-pairs distances, facet normals by a
 * principal-component plane fit (LAPACKE), sites by counting the atoms around them.
 */
#include "gn_test.h"
#include "gapneb/model.h"

#include <lapacke.h>

#define A0 3.92
#define TOL 1e-9

static double dist3(const double a[3], const double b[3])
{
    double d[3] = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Minimum-image distance between a point and atom i. */
static double mi_dist(const gn_atoms *a, const double r[3], size_t i)
{
    double d[3] = {a->pos[3 * i] - r[0], a->pos[3 * i + 1] - r[1], a->pos[3 * i + 2] - r[2]};
    gn_cell_min_image(&a->cell, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Atoms of [lo, hi) within tol of distance nn from r, and the smallest distance seen. */
static int shell_count(const gn_atoms *a, size_t lo, size_t hi, const double r[3], double nn,
                       double tol, double *dmin)
{
    int c = 0;
    *dmin = INFINITY;
    for (size_t i = lo; i < hi; i++) {
        double d = mi_dist(a, r, i);
        if (d < 1e-12)
            continue; /* r is this atom itself */
        if (d < *dmin)
            *dmin = d;
        if (fabs(d - nn) < tol)
            c++;
    }
    return c;
}

static gn_model_opts s2s_opts(double gap)
{
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_S2S);
    o.gap = gap;
    o.a0 = A0;
    return o;
}

static gn_model_opts e2e_opts(double gap)
{
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_E2E);
    o.gap = gap;
    o.a0 = A0;
    return o;
}

/* ---- s2s -------------------------------------------------------------------------------- */

/* Like shell_count over the atoms of A's facing layer (z = zface) only. */
static int facing_count(const gn_atoms *a, size_t per, double zface, const double r[3], double nn,
                        double *dmin)
{
    int c = 0;
    *dmin = INFINITY;
    for (size_t i = 0; i < per; i++) {
        if (fabs(a->pos[3 * i + 2] - zface) > 1e-6)
            continue;
        double d = mi_dist(a, r, i);
        *dmin = fmin(*dmin, d);
        c += fabs(d - nn) < 1e-9;
    }
    return c;
}

static void check_s2s(const gn_model_opts *o)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    const size_t per = (size_t)(o->n * o->n * o->layers);
    assert_int_equal(a->n, 2 * per);
    const double s = o->a0 / sqrt(2.0), nn = s;
    gn_assert_near(a->cell.h[0][0], o->n * s, TOL);
    gn_assert_near(a->cell.h[1][1], o->n * s, TOL);
    assert_int_equal(a->cell.pbc[0], 1);
    assert_int_equal(a->cell.pbc[1], 1);
    assert_int_equal(a->cell.pbc[2], 0);

    /* the gap: facing nuclei planes */
    double zAmax = -INFINITY, zAmin = INFINITY, zBmin = INFINITY;
    for (size_t i = 0; i < per; i++) {
        zAmax = fmax(zAmax, a->pos[3 * i + 2]);
        zAmin = fmin(zAmin, a->pos[3 * i + 2]);
        zBmin = fmin(zBmin, a->pos[3 * (per + i) + 2]);
    }
    gn_assert_near(zBmin - zAmax, o->gap, TOL);
    gn_assert_near(zAmax - zAmin, (o->layers - 1) * 0.5 * o->a0, TOL);

    /* nearest neighbours in each crystal: exactly a0/sqrt2 for every atom; 8 in the two outer
     * layers of a (100) slab, 12 inside */
    for (int c = 0; c < 2; c++)
        for (size_t i = c * per; i < (c + 1) * per; i++) {
            double dmin;
            int k = shell_count(a, c * per, (c + 1) * per, a->pos + 3 * i, nn, 1e-9, &dmin);
            gn_assert_near(dmin, nn, TOL);
            double z = a->pos[3 * i + 2];
            int outer = c == 0 ? (fabs(z - zAmax) < 1e-6 || fabs(z - zAmin) < 1e-6)
                               : (fabs(z - zBmin) < 1e-6 ||
                                  fabs(z - (zBmin + (o->layers - 1) * 0.5 * o->a0)) < 1e-6);
            assert_int_equal(k, outer ? 8 : 12);
        }

    /* fixed: the 2 layers farthest from the gap, nothing else */
    size_t nfixed = 0;
    for (size_t i = 0; i < 2 * per; i++) {
        double depth = i < per ? zAmax - a->pos[3 * i + 2] : a->pos[3 * i + 2] - zBmin;
        int want = depth > (o->layers - 2) * 0.5 * o->a0 - 1e-6;
        assert_int_equal(a->fixed[i], want);
        nfixed += a->fixed[i];
    }
    assert_int_equal(nfixed, 2 * 2 * (size_t)(o->n * o->n));

    /* mirror: B reflected through z = d/2 and moved back by one lateral translation is A */
    double t[2] = {0, 0};
    {
        double r0[3] = {a->pos[3 * per], a->pos[3 * per + 1], o->gap - a->pos[3 * per + 2]};
        double best = INFINITY;
        for (size_t j = 0; j < per; j++)
            if (fabs(a->pos[3 * j + 2] - r0[2]) < 1e-6) {
                double d[3] = {a->pos[3 * j] - r0[0], a->pos[3 * j + 1] - r0[1], 0};
                gn_cell_min_image(&a->cell, d);
                if (hypot(d[0], d[1]) < best) {
                    best = hypot(d[0], d[1]);
                    t[0] = d[0];
                    t[1] = d[1];
                }
            }
    }
    for (size_t i = per; i < 2 * per; i++) {
        double r[3] = {a->pos[3 * i] + t[0], a->pos[3 * i + 1] + t[1], o->gap - a->pos[3 * i + 2]};
        int found = 0;
        for (size_t j = 0; j < per; j++)
            found += mi_dist(a, r, j) < TOL;
        assert_int_equal(found, 1);
    }

    /* registry: lateral distance from each facing B atom to the facing A atoms (the first
     * n^2 atoms of A are not assumed to be the facing layer: count them) */
    size_t nface = 0;
    for (size_t i = 0; i < per; i++)
        nface += fabs(a->pos[3 * i + 2] - zAmax) < 1e-6;
    assert_int_equal(nface, (size_t)(o->n * o->n));
    for (size_t i = per; i < 2 * per; i++) {
        if (fabs(a->pos[3 * i + 2] - zBmin) > 1e-6)
            continue;
        double r[3] = {a->pos[3 * i], a->pos[3 * i + 1], zAmax};
        double dmin;
        int k;
        switch (o->registry) {
        case GN_REG_HOLLOW: /* above a 4-fold hollow: 4 facing A atoms at a0/2 laterally */
            k = facing_count(a, per, zAmax, r, 0.5 * o->a0, &dmin);
            assert_int_equal(k, 4);
            gn_assert_near(dmin, 0.5 * o->a0, TOL);
            break;
        case GN_REG_TOP: /* straight above one A atom */
            k = 0;
            for (size_t j = 0; j < per; j++)
                k += mi_dist(a, r, j) < TOL;
            assert_int_equal(k, 1);
            break;
        default: /* bridge: 2 facing A atoms at s/2 */
            k = facing_count(a, per, zAmax, r, 0.5 * s, &dmin);
            assert_int_equal(k, 2);
            gn_assert_near(dmin, 0.5 * s, TOL);
        }
    }
    gn_atoms_free(a);
}

static void test_s2s_geometry(void **state)
{
    (void)state;
    gn_model_opts o = s2s_opts(5.8);
    check_s2s(&o);
    o.registry = GN_REG_TOP;
    o.gap = 5.0;
    check_s2s(&o);
    o.registry = GN_REG_BRIDGE;
    o.gap = 8.0;
    o.n = 3;
    o.layers = 5;
    o.a0 = 4.08;
    check_s2s(&o);
}

static void check_sites_s2s(const gn_model_opts *o)
{
    gn_error err;
    gn_atoms *a;
    gn_site *v;
    size_t n;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    gn_assert_ok(gn_model_sites(o, &v, &n, &err), &err);
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    assert_int_equal(n, 2 * (size_t)(o->n * o->n));
    double zAmax = -INFINITY, zBmin = INFINITY;
    for (size_t i = 0; i < per; i++) {
        zAmax = fmax(zAmax, a->pos[3 * i + 2]);
        zBmin = fmin(zBmin, a->pos[3 * (per + i) + 2]);
    }
    double lastdist[2] = {-1, -1};
    int lastidx[2] = {-1, -1};
    for (size_t i = 0; i < n; i++) {
        int c = v[i].crystal == 'B';
        assert_int_equal(v[i].facet, 100);
        /* 4 neighbours at a0/sqrt2 in its own crystal, none closer */
        double dmin;
        int k = shell_count(a, c * per, (c + 1) * per, v[i].pos, s, 1e-9, &dmin);
        assert_int_equal(k, 4);
        assert_int_equal(v[i].nneigh, 4);
        gn_assert_near(dmin, s, TOL);
        /* a0/2 outside the facing layer */
        gn_assert_near(v[i].pos[2], c ? zBmin - 0.5 * o->a0 : zAmax + 0.5 * o->a0, TOL);
        /* in order of lateral distance to the cell centre */
        double dc = hypot(v[i].pos[0] - 0.5 * a->cell.h[0][0], v[i].pos[1] - 0.5 * a->cell.h[1][1]);
        gn_assert_near(v[i].dist, dc, TOL);
        assert_true(dc >= lastdist[c] - 1e-9);
        assert_int_equal(v[i].index, lastidx[c] + 1);
        lastdist[c] = dc;
        lastidx[c] = v[i].index;
        char name[16];
        snprintf(name, sizeof name, "%c100:%d", v[i].crystal, v[i].index);
        assert_string_equal(v[i].name, name);
    }
    /* an even cell has a hollow exactly at its centre */
    if (o->n % 2 == 0)
        gn_assert_near(v[0].dist, 0.0, TOL);

    /* hop: the adjacent hollow along +x, a0/sqrt2 away */
    gn_site from, to;
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_HOP, &from, &to, &err), &err);
    assert_string_equal(from.name, "A100:0");
    assert_int_equal(to.crystal, 'A');
    double d[3] = {to.pos[0] - from.pos[0], to.pos[1] - from.pos[1], to.pos[2] - from.pos[2]};
    gn_cell_min_image(&a->cell, d);
    gn_assert_near(d[0], s, TOL);
    gn_assert_near(d[1], 0.0, TOL);
    gn_assert_near(d[2], 0.0, TOL);

    /* transfer: the nearest B100 site */
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_TRANSFER, &from, &to, &err), &err);
    assert_int_equal(to.crystal, 'B');
    double best = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (v[i].crystal == 'B') {
            double e[3] = {v[i].pos[0] - from.pos[0], v[i].pos[1] - from.pos[1],
                           v[i].pos[2] - from.pos[2]};
            gn_cell_min_image(&a->cell, e);
            best = fmin(best, sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]));
        }
    double e[3] = {to.pos[0] - from.pos[0], to.pos[1] - from.pos[1], to.pos[2] - from.pos[2]};
    gn_cell_min_image(&a->cell, e);
    gn_assert_near(sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]), best, TOL);

    /* endpoints: the same atoms in the same order, only the adatom (last) moved */
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(o, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    gn_assert_ok(gn_atoms_compatible(ini, fin, &err), &err);
    assert_int_equal(ini->n, a->n + 1);
    for (size_t i = 0; i < a->n; i++)
        for (int x = 0; x < 3; x++) {
            gn_assert_near(ini->pos[3 * i + x], a->pos[3 * i + x], 0.0);
            gn_assert_near(fin->pos[3 * i + x], a->pos[3 * i + x], 0.0);
        }
    assert_int_equal(ini->z[a->n], o->z);
    assert_int_equal(ini->fixed[a->n], 0);
    double hopd[3];
    gn_atoms_displacement(ini, a->n, a->n, hopd); /* zero: same atom */
    gn_assert_near(hopd[0], 0.0, 0.0);
    double dd[3] = {fin->pos[3 * a->n] - ini->pos[3 * a->n], fin->pos[3 * a->n + 1] - ini->pos[3 * a->n + 1],
                    fin->pos[3 * a->n + 2] - ini->pos[3 * a->n + 2]};
    gn_cell_min_image(&ini->cell, dd);
    gn_assert_near(sqrt(dd[0] * dd[0] + dd[1] * dd[1] + dd[2] * dd[2]), s, TOL);
    gn_assert_ok(gn_atoms_validate(ini, "initial", 0.9 * s, &err), &err);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_atoms_free(a);
    free(v);
}

static void test_s2s_sites_processes(void **state)
{
    (void)state;
    gn_model_opts o = s2s_opts(5.8);
    check_sites_s2s(&o);
    o.registry = GN_REG_TOP;
    check_sites_s2s(&o);
    o.registry = GN_REG_BRIDGE;
    o.n = 5;
    check_sites_s2s(&o);
}

static void test_s2s_single(void **state)
{
    (void)state;
    gn_error err;
    gn_model_opts o = s2s_opts(INFINITY);
    gn_atoms *a;
    gn_assert_ok(gn_model_build(&o, &a, &err), &err);
    assert_int_equal(a->n, 64);
    gn_atoms_free(a);
    gn_site *v;
    size_t n;
    gn_assert_ok(gn_model_sites(&o, &v, &n, &err), &err);
    assert_int_equal(n, 16);
    free(v);
    gn_atoms *ini, *fin;
    assert_int_equal(gn_model_process(&o, GN_PROCESS_TRANSFER, &ini, &fin, &err), GN_EINVAL);
    assert_null(ini);
    o.gap = 5.0;
    o.single = 1;
    gn_assert_ok(gn_model_process(&o, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    assert_int_equal(ini->n, 65);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
}

/* ---- e2e -------------------------------------------------------------------------------- */

/* The model frame from its definition: x along [1-10], z the outward bisector of the facet
 * normals, y = z x x. Rows of f. */
static void e2e_frame(double f[3][3])
{
    const double n1[3] = {0, 0, 1}, n2[3] = {1 / sqrt(3.0), 1 / sqrt(3.0), 1 / sqrt(3.0)};
    double b[3] = {n1[0] + n2[0], n1[1] + n2[1], n1[2] + n2[2]};
    double nb = sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    f[0][0] = 1 / sqrt(2.0);
    f[0][1] = -1 / sqrt(2.0);
    f[0][2] = 0;
    for (int k = 0; k < 3; k++)
        f[2][k] = b[k] / nb;
    f[1][0] = f[2][1] * f[0][2] - f[2][2] * f[0][1];
    f[1][1] = f[2][2] * f[0][0] - f[2][0] * f[0][2];
    f[1][2] = f[2][0] * f[0][1] - f[2][1] * f[0][0];
}

static void to_model(const double f[3][3], const double r[3], double out[3])
{
    for (int k = 0; k < 3; k++)
        out[k] = f[k][0] * r[0] + f[k][1] * r[1] + f[k][2] * r[2];
}

/* Brute force: every fcc lattice point of a big cube in the cubic frame, kept if in both
 * half-spaces, inside one period along x and within R of the edge line. */
static size_t brute_e2e(const gn_model_opts *o, double **out)
{
    double f[3][3];
    e2e_frame(f);
    const double n2[3] = {1 / sqrt(3.0), 1 / sqrt(3.0), 1 / sqrt(3.0)};
    const double Lx = o->m * o->a0 / sqrt(2.0);
    const int K = 40;
    size_t n = 0, cap = 1024;
    double *v = malloc(3 * cap * sizeof *v);
    for (int i = -K; i <= K; i++)
        for (int j = -K; j <= K; j++)
            for (int k = -K; k <= K; k++) {
                if ((i + j + k) % 2)
                    continue;
                double r[3] = {0.5 * o->a0 * i, 0.5 * o->a0 * j, 0.5 * o->a0 * k}, m[3];
                if (r[2] > 1e-9 || r[0] * n2[0] + r[1] * n2[1] + r[2] * n2[2] > 1e-9)
                    continue;
                to_model(f, r, m);
                if (m[0] < -1e-9 || m[0] > Lx - 1e-9 || hypot(m[1], m[2]) > o->R + 1e-9)
                    continue;
                if (n == cap)
                    v = realloc(v, 3 * (cap *= 2) * sizeof *v);
                memcpy(v + 3 * n++, m, sizeof m);
            }
    *out = v;
    return n;
}

static void check_e2e_lattice(const gn_model_opts *o)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    double *ref;
    size_t nref = brute_e2e(o, &ref);
    print_message("e2e a0 %.3f m %d R %.1f: %zu atoms per crystal (brute force %zu)\n", o->a0,
                  o->m, o->R, a->n / 2, nref);
    assert_int_equal(a->n, 2 * nref);
    for (size_t i = 0; i < nref; i++) {
        int found = 0;
        for (size_t j = 0; j < nref; j++)
            found += mi_dist(a, ref + 3 * i, j) < TOL;
        assert_int_equal(found, 1);
    }
    free(ref);
    gn_atoms_free(a);
}

static void test_e2e_count(void **state)
{
    (void)state;
    gn_model_opts o = e2e_opts(5.8);
    check_e2e_lattice(&o);
    o.a0 = 4.08;
    o.R = 9.0;
    o.m = 3;
    check_e2e_lattice(&o);
}

/* Normal of the best plane through pts (unit, sign arbitrary); returns the largest distance of
 * a point from that plane. */
static double plane_normal(const double *pts, size_t n, double nrm[3])
{
    double c[3] = {0, 0, 0}, cov[9] = {0}, w[3];
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            c[k] += pts[3 * i + k] / n;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < 3; p++)
            for (int q = 0; q < 3; q++)
                cov[3 * p + q] += (pts[3 * i + p] - c[p]) * (pts[3 * i + q] - c[q]) / n;
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', 3, cov, 3, w), 0);
    for (int k = 0; k < 3; k++)
        nrm[k] = cov[3 * k]; /* column 0: smallest eigenvalue */
    double off = 0.0;
    for (size_t i = 0; i < n; i++) {
        double h = 0.0;
        for (int k = 0; k < 3; k++)
            h += (pts[3 * i + k] - c[k]) * nrm[k];
        off = fmax(off, fabs(h));
    }
    return off;
}

static void check_e2e(const gn_model_opts *o)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    assert_int_equal(a->cell.pbc[0], 1);
    assert_int_equal(a->cell.pbc[1], 0);
    assert_int_equal(a->cell.pbc[2], 0);
    gn_assert_near(a->cell.h[0][0], o->m * s, TOL);

    /* the edge rows: A's outermost atoms along z and B's innermost; their distance is d */
    double zA = -INFINITY, zB = INFINITY;
    for (size_t i = 0; i < per; i++) {
        zA = fmax(zA, a->pos[3 * i + 2]);
        zB = fmin(zB, a->pos[3 * (per + i) + 2]);
    }
    gn_assert_near(zB - zA, o->gap, TOL);
    int rowA = 0, rowB = 0;
    double rowdist = INFINITY;
    for (size_t i = 0; i < per; i++)
        if (fabs(a->pos[3 * i + 2] - zA) < 1e-6) {
            rowA++;
            gn_assert_near(a->pos[3 * i + 1], 0.0, TOL);
            for (size_t j = per; j < 2 * per; j++)
                if (fabs(a->pos[3 * j + 2] - zB) < 1e-6)
                    rowdist = fmin(rowdist, mi_dist(a, a->pos + 3 * i, j));
        }
    for (size_t j = per; j < 2 * per; j++)
        rowB += fabs(a->pos[3 * j + 2] - zB) < 1e-6;
    assert_int_equal(rowA, o->m);
    assert_int_equal(rowB, o->m);
    gn_assert_near(rowdist, o->registry == GN_REG_ALIGNED ? o->gap : hypot(o->gap, 0.5 * s), TOL);

    /* nearest neighbours: exactly a0/sqrt2 for every atom of each crystal */
    for (int c = 0; c < 2; c++)
        for (size_t i = c * per; i < (c + 1) * per; i++) {
            double dmin;
            (void)shell_count(a, c * per, (c + 1) * per, a->pos + 3 * i, s, 1e-9, &dmin);
            gn_assert_near(dmin, s, TOL);
        }

    /* mirror image through z = d/2, atom by atom (B's atom i is A's atom i reflected, shifted
     * along x by the registry) */
    const double xs = o->registry == GN_REG_STAGGERED ? 0.5 * s : 0.0;
    for (size_t i = 0; i < per; i++) {
        double r[3] = {a->pos[3 * (per + i)] - xs, a->pos[3 * (per + i) + 1],
                       o->gap - a->pos[3 * (per + i) + 2]};
        gn_assert_near(mi_dist(a, r, i), 0.0, TOL);
    }

    /* fixed: exactly the atoms farther than R - 4 Å from their edge line */
    for (size_t i = 0; i < 2 * per; i++) {
        double z0 = i < per ? zA : zB;
        double dist = hypot(a->pos[3 * i + 1], a->pos[3 * i + 2] - z0);
        assert_int_equal(a->fixed[i], dist > o->R - o->fix_depth + 1e-9);
    }

    /* facets: surface atoms of A (fewer than 12 neighbours, at least a0/sqrt2 inside the cut
     * radius) split by the side of the bisector; fit a plane to each; count in-plane
     * neighbours */
    double *side[2];
    size_t ns[2] = {0, 0};
    side[0] = malloc(3 * per * sizeof(double));
    side[1] = malloc(3 * per * sizeof(double));
    for (size_t i = 0; i < per; i++) {
        double dmin, y = a->pos[3 * i + 1];
        int k = shell_count(a, 0, per, a->pos + 3 * i, s, 1e-6, &dmin);
        if (k == 12 || hypot(y, a->pos[3 * i + 2] - zA) > o->R - s - 1e-6)
            continue;
        /* the edge row (y = 0) lies in both facets */
        for (int g = 0; g < 2; g++)
            if (fabs(y) < 1e-6 || (y > 0) == g)
                memcpy(side[g] + 3 * ns[g]++, a->pos + 3 * i, 3 * sizeof(double));
    }
    double nrm[2][3], f[3][3];
    e2e_frame(f);
    const double n1c[3] = {0, 0, 1}, n2c[3] = {1 / sqrt(3.0), 1 / sqrt(3.0), 1 / sqrt(3.0)};
    double want[2][3];
    to_model(f, n1c, want[0]);
    to_model(f, n2c, want[1]);
    int inplane_max[2] = {0, 0};
    for (int g = 0; g < 2; g++) {
        assert_true(ns[g] >= 6);
        double off = plane_normal(side[g], ns[g], nrm[g]);
        gn_assert_near(off, 0.0, 1e-9);
        double c = fabs(nrm[g][0] * want[g][0] + nrm[g][1] * want[g][1] + nrm[g][2] * want[g][2]);
        gn_assert_near(c, 1.0, 1e-9);
        for (size_t i = 0; i < ns[g]; i++) {
            int k = 0;
            for (size_t j = 0; j < ns[g]; j++) {
                double d[3] = {side[g][3 * j] - side[g][3 * i], side[g][3 * j + 1] - side[g][3 * i + 1],
                               side[g][3 * j + 2] - side[g][3 * i + 2]};
                gn_cell_min_image(&a->cell, d);
                k += fabs(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) - s) < 1e-6;
            }
            if (k > inplane_max[g])
                inplane_max[g] = k;
        }
    }
    /* the (100) facet (square net, 4 in-plane neighbours) on the y < 0 side, (111) (hexagonal,
     * 6) on y > 0; the normals meet at 54.74 degrees, the interior angle 125.26 */
    assert_int_equal(inplane_max[0], 4);
    assert_int_equal(inplane_max[1], 6);
    double cosang = fabs(nrm[0][0] * nrm[1][0] + nrm[0][1] * nrm[1][1] + nrm[0][2] * nrm[1][2]);
    gn_assert_near(180.0 - acos(cosang) * 180.0 / M_PI, 125.26, 0.005);
    free(side[0]);
    free(side[1]);
    gn_atoms_free(a);
}

static void test_e2e_geometry(void **state)
{
    (void)state;
    gn_model_opts o = e2e_opts(5.8);
    check_e2e(&o);
    o.registry = GN_REG_STAGGERED;
    o.gap = 5.0;
    check_e2e(&o);
    o.registry = GN_REG_ALIGNED;
    o.gap = 8.0;
    o.m = 3;
    o.R = 10.0;
    o.fix_depth = 3.0;
    check_e2e(&o);
}

static void check_e2e_sites(const gn_model_opts *o, double d100, double d111)
{
    gn_error err;
    gn_atoms *a;
    gn_site *v;
    size_t n;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    gn_assert_ok(gn_model_sites(o, &v, &n, &err), &err);
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    int nearest[2][3] = {{0, 0, 0}, {0, 0, 0}};
    for (size_t i = 0; i < n; i++) {
        int c = v[i].crystal == 'B';
        const int fam = v[i].kind; /* 0 (100), 1 (111) fcc, 2 (111) hcp */
        int full = v[i].facet == 100 ? 4 : 3;
        double dmin;
        int k = shell_count(a, c * per, (c + 1) * per, v[i].pos, s, 1e-9, &dmin);
        assert_int_equal(k, full);
        assert_int_equal(v[i].nneigh, full);
        gn_assert_near(dmin, s, TOL);
        double dist = hypot(v[i].pos[1], v[i].pos[2] - (c ? o->gap : 0.0));
        gn_assert_near(v[i].dist, dist, TOL);
        /* facet side: (100) sites on y < 0, (111) on y > 0; none hangs over the edge */
        assert_true(v[i].facet == 100 ? v[i].pos[1] < 0 : v[i].pos[1] > 0);
        /* the hcp hollows nearest the edge lie where the (100) ones do, a0/2 sqrt(3/2) away:
         * two edge atoms and one of the (111) second row */
        double dn = fam == GN_SITE_FCC111 ? d111 : d100;
        if (fabs(dist - dn) < 1e-6)
            nearest[c][fam]++;
        assert_true(dist > dn - 1e-6);
        if (v[i].index == 0)
            gn_assert_near(dist, dn, 1e-9);
    }
    /* one site per edge spacing in the row nearest the edge, for each kind of each crystal */
    for (int c = 0; c < 2; c++)
        for (int f = 0; f < 3; f++)
            assert_int_equal(nearest[c][f], o->m);
    gn_site a100, a111, b100;
    gn_assert_ok(gn_model_find_site(o, "A100:0", &a100, &err), &err);
    gn_assert_ok(gn_model_find_site(o, "A111:0", &a111, &err), &err);
    gn_assert_ok(gn_model_find_site(o, "B100:0", &b100, &err), &err);
    print_message("e2e a0 %.3f: A100:0 %.4f Å and A111:0 %.4f Å from the edge line\n", o->a0,
                  a100.dist, a111.dist);
    /* hop over the edge: (100) hollow to the adjacent (111) fcc hollow, sqrt6 a0/2 apart,
     * half an edge spacing along x */
    gn_site from, to;
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_HOP, &from, &to, &err), &err);
    assert_string_equal(from.name, "A100:0");
    assert_string_equal(to.name, "A111:0");
    double d[3] = {to.pos[0] - from.pos[0], to.pos[1] - from.pos[1], to.pos[2] - from.pos[2]};
    gn_cell_min_image(&a->cell, d);
    gn_assert_near(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]), sqrt(6.0) * 0.5 * o->a0, TOL);
    gn_assert_near(fabs(d[0]), 0.5 * s, TOL);
    /* transfer aligned: B100:0 is the mirror image of A100:0 */
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_TRANSFER, &from, &to, &err), &err);
    assert_string_equal(to.name, "B100:0");
    if (o->registry == GN_REG_ALIGNED) {
        gn_assert_near(to.pos[0], from.pos[0], TOL);
        gn_assert_near(to.pos[1], from.pos[1], TOL);
        gn_assert_near(to.pos[2], o->gap - from.pos[2], TOL);
    }
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(o, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    gn_assert_ok(gn_atoms_compatible(ini, fin, &err), &err);
    assert_int_equal(ini->n, a->n + 1);
    gn_assert_ok(gn_atoms_validate(fin, "final", 0.9 * s, &err), &err);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_atoms_free(a);
    free(v);
}

static void test_e2e_sites(void **state)
{
    (void)state;
    gn_model_opts o = e2e_opts(5.8);
    /* exact values: (100) hollow at a0/2 sqrt(3/2), (111) hollow at a0/sqrt2 from the edge */
    check_e2e_sites(&o, 0.5 * A0 * sqrt(1.5), A0 / sqrt(2.0));
    /* doc/design.md ("Sites") quotes them to 2 decimals: 2.40 Å and 2.77 Å for a0 = 3.92 Å */
    gn_error err;
    gn_site s100, s111;
    gn_assert_ok(gn_model_find_site(&o, "A100:0", &s100, &err), &err);
    gn_assert_ok(gn_model_find_site(&o, "A111:0", &s111, &err), &err);
    gn_assert_near(hypot(s100.pos[1], s100.pos[2]), 2.40, 0.005);
    gn_assert_near(hypot(s111.pos[1], s111.pos[2]), 2.77, 0.005);
    o.registry = GN_REG_STAGGERED;
    check_e2e_sites(&o, 0.5 * A0 * sqrt(1.5), A0 / sqrt(2.0));
}

/* ---- options, errors, vacuum ------------------------------------------------------------ */

static void test_errors(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a = NULL;
    gn_model_opts o = s2s_opts(0.0);
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "gap"));
    assert_null(a);
    o = s2s_opts(NAN);
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    /* a mistyped 1e5 for 5 is refused, not built as a box of vacuum */
    o = s2s_opts(1e5);
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "at most 1000 Å"));
    o = s2s_opts(GN_MODEL_GAP_LIMIT);
    gn_assert_ok(gn_model_opts_check(&o, &err), &err);
    o = s2s_opts(5.0);
    o.a0 = NAN;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "a0"));
    o = s2s_opts(5.0);
    o.n = 1;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o = s2s_opts(5.0);
    o.layers = 2;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o = s2s_opts(5.0);
    o.registry = GN_REG_ALIGNED;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    /* crystals that would interpenetrate */
    o = s2s_opts(0.5);
    o.registry = GN_REG_TOP;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "apart"));
    o = e2e_opts(1.0);
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o = e2e_opts(5.0);
    o.R = 1.0;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    gn_site s;
    o = e2e_opts(5.0);
    assert_int_equal(gn_model_find_site(&o, "A100:999", &s, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "A100:0 .. A100:"));
    assert_int_equal(gn_model_find_site(&o, "C7", &s, &err), GN_EINVAL);
    assert_int_equal(gn_model_with_adatom(&o, "B111:-1", &a, &err), GN_EINVAL);
    assert_null(a);
    gn_atoms *ini, *fin;
    gn_process proc;
    assert_int_equal(gn_process_parse("jump", &proc, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "jump"));
    assert_int_equal(gn_model_process(&o, GN_PROCESS_COUNT, &ini, &fin, &err), GN_EINVAL);
    gn_assert_ok(gn_process_parse("transfer", &proc, &err), &err);
    assert_int_equal(proc, GN_PROCESS_TRANSFER);
    assert_string_equal(gn_process_name(GN_PROCESS_HOP), "hop");

    gn_model_kind k;
    assert_int_equal(gn_model_kind_parse("e2e", &k, &err), GN_OK);
    assert_int_equal(k, GN_MODEL_E2E);
    assert_string_equal(gn_model_kind_name(GN_MODEL_S2S), "s2s");
    assert_int_equal(gn_model_kind_parse("s2x", &k, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "s2x"));
    int r;
    assert_int_equal(gn_model_registry_parse(GN_MODEL_S2S, "bridge", &r, &err), GN_OK);
    assert_int_equal(r, GN_REG_BRIDGE);
    assert_int_equal(gn_model_registry_parse(GN_MODEL_S2S, "staggered", &r, &err), GN_EINVAL);
    assert_string_equal(gn_model_registry_name(GN_REG_STAGGERED), "staggered");
}

static void test_vacuum_and_adatom(void **state)
{
    (void)state;
    gn_error err;
    for (int kind = 0; kind < 2; kind++) {
        gn_model_opts o = kind ? e2e_opts(5.8) : s2s_opts(5.8);
        gn_atoms *a0, *a1;
        gn_assert_ok(gn_model_with_adatom(&o, "B100:1", &a0, &err), &err);
        o.vacuum = 10.0;
        gn_assert_ok(gn_model_with_adatom(&o, "B100:1", &a1, &err), &err);
        assert_int_equal(a0->n, a1->n);
        /* a rigid translation along the free directions only */
        double t[3];
        for (int x = 0; x < 3; x++)
            t[x] = a1->pos[x] - a0->pos[x];
        gn_assert_near(t[0], 0.0, 0.0);
        for (size_t i = 0; i < a0->n; i++)
            for (int x = 0; x < 3; x++)
                gn_assert_near(a1->pos[3 * i + x] - a0->pos[3 * i + x], t[x], 1e-9);
        /* the box spans the atoms (adatom excluded) plus 10 Å, centred */
        for (int x = 0; x < 3; x++) {
            if (a1->cell.pbc[x])
                continue;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i + 1 < a1->n; i++) {
                lo = fmin(lo, a1->pos[3 * i + x]);
                hi = fmax(hi, a1->pos[3 * i + x]);
            }
            gn_assert_near(lo, 5.0, 1e-9);
            gn_assert_near(a1->cell.h[x][x], hi - lo + 10.0, 1e-9);
        }
        /* the adatom is last and sits on B's site */
        gn_site s;
        gn_assert_ok(gn_model_find_site(&o, "B100:1", &s, &err), &err);
        size_t last = a1->n - 1;
        assert_true(dist3(a1->pos + 3 * last, s.pos) < 1e-12);
        gn_atoms_free(a0);
        gn_atoms_free(a1);
    }
}

/* s2s hollow registry: B's facing atom is straight above A's hollow, so the A100 site (a0/2 above
 * A) is d - a0/2 from it. The builder must refuse the adatom exactly when that is below
 * 0.7 x a0/sqrt2, i.e. for d < a0/2 + 0.7 a0/sqrt2 = 3.9004 Å at a0 = 3.92 Å. */
static void test_no_room_for_adatom(void **state)
{
    (void)state;
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_S2S);
    o.a0 = 3.92;
    const double dcrit = o.a0 / 2 + 0.7 * o.a0 / sqrt(2.0);
    const double gaps[] = {3.0, 3.5, dcrit - 0.01, dcrit + 0.01, 4.0, 5.0};
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++) {
        o.gap = gaps[k];
        gn_atoms *ini = NULL, *fin = NULL;
        gn_error err;
        int rc = gn_model_process(&o, GN_PROCESS_HOP, &ini, &fin, &err);
        if (gaps[k] < dcrit) {
            assert_int_equal(rc, GN_EINVAL);
            assert_non_null(strstr(err.msg, "no room for an adatom"));
            assert_null(ini);
            assert_null(fin);
        } else {
            gn_assert_ok(rc, &err);
            /* nearest atom to the adatom is at least 0.7 NN away, measured here */
            double best = INFINITY;
            size_t ad = ini->n - 1;
            for (size_t i = 0; i < ad; i++) {
                double d[3];
                gn_atoms_displacement(ini, ad, i, d);
                best = fmin(best, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
            }
            assert_true(best >= 0.7 * o.a0 / sqrt(2.0));
        }
        gn_atoms_free(ini);
        gn_atoms_free(fin);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s2s_geometry),
        cmocka_unit_test(test_s2s_sites_processes),
        cmocka_unit_test(test_s2s_single),
        cmocka_unit_test(test_e2e_count),
        cmocka_unit_test(test_e2e_geometry),
        cmocka_unit_test(test_e2e_sites),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_vacuum_and_adatom),
        cmocka_unit_test(test_no_room_for_adatom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
