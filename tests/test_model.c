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

/* ---- nc ---------------------------------------------------------------------------------- */

static gn_model_opts nc_opts(gn_nc_facing facing, double gap)
{
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_NC);
    o.facing = facing;
    o.registry = facing == GN_NC_EDGE ? GN_REG_ALIGNED : GN_REG_HOLLOW;
    o.gap = gap;
    o.a0 = A0;
    return o;
}

/* Atoms of [lo, hi) at the nearest-neighbour distance s from atom i (all-pairs). */
static int coordination(const gn_atoms *a, size_t lo, size_t hi, size_t i, double s)
{
    double dmin;
    return shell_count(a, lo, hi, a->pos + 3 * i, s, 1e-6, &dmin);
}

/* Truncated octahedra counted layer by layer: a regular octahedron of n atoms along an edge is
 * two square pyramids sharing the n x n middle layer, 2 (1 + 4 + ... + n^2) - n^2 atoms; cutting
 * c layers off each of its 6 vertices removes 6 (1 + 4 + ... + c^2). */
static size_t octahedron_count(int n, int c)
{
    size_t sq = 0, cut = 0;
    for (int m = 1; m <= n; m++)
        sq += (size_t)(m * m);
    for (int m = 1; m <= c; m++)
        cut += (size_t)(m * m);
    return 2 * sq - (size_t)(n * n) - 6 * cut;
}

static void test_nc_magic(void **state)
{
    (void)state;
    /* the truncated-octahedron magic numbers of the cluster literature (140 = n 6, c 1 is the
     * one member with a different truncation from the builder's family) */
    const size_t magic[] = {38, 79, 116, 201, 314, 405, 586};
    assert_int_equal(octahedron_count(6, 1), 140);
    for (int k = 0; k < 7; k++) {
        int n = k + 4, c = (int)lround((n - 1) / 3.0);
        assert_int_equal(octahedron_count(n, c), magic[k]);
        gn_model_opts o = nc_opts(GN_NC_FACET, 6.0);
        o.single = 1;
        o.natoms = (int)magic[k];
        gn_error err;
        gn_atoms *a;
        gn_assert_ok(gn_model_build(&o, &a, &err), &err);
        assert_int_equal(a->n, magic[k]);
        /* the top facet is the (c+1)-th layer from a vertex of the octahedron: (c+1)^2 atoms */
        double zmax = -INFINITY;
        for (size_t i = 0; i < a->n; i++)
            zmax = fmax(zmax, a->pos[3 * i + 2]);
        size_t top = 0;
        for (size_t i = 0; i < a->n; i++)
            top += fabs(a->pos[3 * i + 2] - zmax) < 1e-9;
        assert_int_equal(top, (size_t)((c + 1) * (c + 1)));
        gn_assert_near(zmax, 0.0, TOL);
        gn_nc_info info;
        gn_assert_ok(gn_nc_info_get(&o, &info, &err), &err);
        assert_int_equal(info.natoms, magic[k]);
        assert_int_equal(info.h111, n - 1);
        assert_int_equal(info.h100, n - 1 - c);
        /* a count between two members picks the nearer */
        o.natoms = (int)magic[k] + 1;
        gn_assert_ok(gn_nc_info_get(&o, &info, &err), &err);
        assert_int_equal(info.natoms, magic[k]);
        gn_atoms_free(a);
    }
    gn_model_opts o = nc_opts(GN_NC_FACET, 6.0);
    o.natoms = 140;
    gn_error err;
    gn_nc_info info;
    gn_assert_ok(gn_nc_info_get(&o, &info, &err), &err);
    assert_int_equal(info.natoms, 116);
    /* by diameter: 20 Å is nearest to 5 a0 = 19.6 Å between opposite (100) facets */
    o.natoms = 0;
    o.diameter = 20.0;
    gn_assert_ok(gn_nc_info_get(&o, &info, &err), &err);
    gn_assert_near(2.0 * info.d100, 5 * A0, TOL);
}

/* Geometry common to both facings, measured from the atoms: nearest neighbours, coordination
 * of the surface, mirror symmetry of B, the fixed shell and the gap between the outermost
 * atoms (the facing planes or rows). Returns A's outermost z. */
static double check_nc_common(const gn_model_opts *o, const gn_atoms *a)
{
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(a->cell.pbc[k], 0);
        for (int x = 0; x < 3; x++)
            gn_assert_near(a->cell.h[k][x], 0.0, 0.0);
    }
    double zA = -INFINITY, zB = INFINITY, zc = 0.0;
    for (size_t i = 0; i < per; i++) {
        zA = fmax(zA, a->pos[3 * i + 2]);
        zB = fmin(zB, a->pos[3 * (per + i) + 2]);
        zc += a->pos[3 * i + 2] / per; /* the centre: the crystal is centrosymmetric */
    }
    gn_assert_near(zB - zA, o->gap, TOL);
    /* no overlap: each crystal a perfect fcc fragment, the two more than half a spacing apart */
    size_t nfixed = 0;
    for (size_t i = 0; i < 2 * per; i++) {
        size_t lo = i < per ? 0 : per;
        double dmin, dother;
        int k = shell_count(a, lo, lo + per, a->pos + 3 * i, s, 1e-6, &dmin);
        (void)shell_count(a, per - lo, 2 * per - lo, a->pos + 3 * i, s, 1e-6, &dother);
        gn_assert_near(dmin, s, TOL);
        assert_true(dother > 0.5 * s);
        /* bulk 12; facets (100) 8, (111) 9; edges 7; vertices 6 */
        assert_true(k == 12 || (k >= 6 && k <= 9));
        /* fixed: the outer layer (coordination below 12) of the half away from the gap */
        if (i < per) {
            int want = o->fix_shell > 0.0 && k < 12 && a->pos[3 * i + 2] < zc - 1e-6;
            assert_int_equal(a->fixed[i], want);
        }
        nfixed += a->fixed[i];
    }
    if (o->fix_shell > 0.0)
        assert_true(nfixed > 0);
    /* B's atom i is A's atom i mirrored through z = d/2 and shifted by the registry */
    double sh[2] = {0, 0};
    if (o->registry == GN_REG_HOLLOW)
        sh[0] = sh[1] = 0.5 * s;
    else if (o->registry == GN_REG_BRIDGE || o->registry == GN_REG_STAGGERED)
        sh[0] = 0.5 * s;
    for (size_t i = 0; i < per; i++) {
        const double *ra = a->pos + 3 * i, *rb = a->pos + 3 * (per + i);
        gn_assert_near(rb[0], ra[0] + sh[0], TOL);
        gn_assert_near(rb[1], ra[1] + sh[1], TOL);
        gn_assert_near(rb[2], o->gap - ra[2], TOL);
        assert_int_equal(a->fixed[per + i], a->fixed[i]);
    }
    return zA;
}

/* Checks the sites of one facet family of A against the atoms: neighbour count, name order by
 * the measured distance, and that index 0 is nearest. */
static void check_nc_sites(const gn_model_opts *o, const gn_atoms *a, const gn_site *v, size_t n)
{
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    for (size_t i = 0; i < n; i++) {
        int c = v[i].crystal == 'B', full = v[i].facet == 100 ? 4 : 3;
        double dmin;
        assert_int_equal(shell_count(a, c * per, (c + 1) * per, v[i].pos, s, 1e-9, &dmin), full);
        gn_assert_near(dmin, s, TOL);
        assert_int_equal(v[i].nneigh, full);
        /* an adatom there would touch no atom of the other crystal */
        (void)shell_count(a, (1 - c) * per, (2 - c) * per, v[i].pos, s, 1e-9, &dmin);
        assert_true(dmin > 0.5 * s);
        if (i > 0 && v[i].crystal == v[i - 1].crystal && v[i].facet == v[i - 1].facet) {
            assert_int_equal(v[i].index, v[i - 1].index + 1);
            assert_true(v[i].dist >= v[i - 1].dist - 1e-6);
        }
    }
}

/* The model of o, checked by check_nc_common; *zA receives A's outermost z. */
static gn_atoms *nc_built(const gn_model_opts *o, double *zA)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    *zA = check_nc_common(o, a);
    return a;
}

static void check_nc_facet(const gn_model_opts *o)
{
    gn_error err;
    double zA;
    gn_atoms *a = nc_built(o, &zA);
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    /* the facing facet: A's top layer, a plane normal to z, a square net centred on the axis */
    double *top = malloc(3 * per * sizeof *top), c[2] = {0, 0};
    size_t nt = 0;
    for (size_t i = 0; i < per; i++)
        if (fabs(a->pos[3 * i + 2] - zA) < 1e-6) {
            memcpy(top + 3 * nt++, a->pos + 3 * i, 3 * sizeof *top);
            c[0] += a->pos[3 * i];
            c[1] += a->pos[3 * i + 1];
        }
    assert_true(nt >= 4);
    double nrm[3];
    gn_assert_near(plane_normal(top, nt, nrm), 0.0, 1e-9);
    gn_assert_near(fabs(nrm[2]), 1.0, 1e-12);
    gn_assert_near(c[0] / nt, 0.0, 1e-9);
    gn_assert_near(c[1] / nt, 0.0, 1e-9);
    int inplane = 0;
    for (size_t i = 0; i < nt; i++) {
        int k = 0;
        for (size_t j = 0; j < nt; j++)
            k += fabs(dist3(top + 3 * i, top + 3 * j) - s) < 1e-6;
        inplane = k > inplane ? k : inplane;
    }
    assert_int_equal(inplane, 4);
    free(top);
    /* sites: every A site is on the facing facet (a0/2 above it), index 0 nearest the axis */
    gn_site *v;
    size_t n;
    gn_assert_ok(gn_model_sites(o, &v, &n, &err), &err);
    check_nc_sites(o, a, v, n);
    double best = INFINITY;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(v[i].facet, 100);
        if (v[i].crystal == 'A') {
            gn_assert_near(v[i].pos[2], zA + 0.5 * o->a0, TOL);
            gn_assert_near(v[i].dist, hypot(v[i].pos[0], v[i].pos[1]), TOL);
            best = fmin(best, v[i].dist);
        }
    }
    gn_site from, to;
    gn_assert_ok(gn_model_find_site(o, "A100:0", &from, &err), &err);
    gn_assert_near(from.dist, best, TOL);
    /* a facet centre without an atom is a hollow: then A100:0 lies on the axis */
    int centre_atom = 0;
    for (size_t i = 0; i < per; i++)
        centre_atom += fabs(a->pos[3 * i + 2] - zA) < 1e-6 &&
                       hypot(a->pos[3 * i], a->pos[3 * i + 1]) < 1e-6;
    gn_assert_near(from.dist, centre_atom ? 0.5 * o->a0 : 0.0, TOL);
    /* hop: to the neighbouring hollow one spacing along +x; transfer: to the nearest B100 */
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_HOP, &from, &to, &err), &err);
    assert_int_equal(to.crystal, 'A');
    gn_assert_near(to.pos[0] - from.pos[0], s, TOL);
    gn_assert_near(to.pos[1] - from.pos[1], 0.0, TOL);
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_TRANSFER, &from, &to, &err), &err);
    assert_int_equal(to.crystal, 'B');
    for (size_t i = 0; i < n; i++)
        if (v[i].crystal == 'B')
            assert_true(dist3(from.pos, v[i].pos) >= dist3(from.pos, to.pos) - 1e-9);
    /* exchange: a facing-layer neighbour of A100:0 goes to the A100 hollow a0 across it */
    gn_model_move mv;
    gn_assert_ok(gn_model_process_move(o, GN_PROCESS_EXCHANGE, &mv, &err), &err);
    assert_true(mv.displaced >= 0 && (size_t)mv.displaced < per);
    gn_assert_near(mv.vacated[2], zA, TOL);
    gn_assert_near(dist3(mv.vacated, mv.from.pos), s, TOL);
    assert_int_equal(mv.to.kind, GN_SITE_HOLLOW100);
    gn_assert_near(dist3(mv.from.pos, mv.to.pos), o->a0, TOL);
    free(v);
    gn_atoms_free(a);
}

static void test_nc_facet(void **state)
{
    (void)state;
    gn_model_opts o = nc_opts(GN_NC_FACET, 6.0);
    check_nc_facet(&o);
    o.registry = GN_REG_TOP;
    o.natoms = 201; /* c = 2 as the default 314: an atom at the facet centre */
    o.gap = 8.0;
    check_nc_facet(&o);
    o.registry = GN_REG_BRIDGE;
    o.fix_shell = 0.0;
    o.natoms = 586; /* c = 3: a hollow at the facet centre, A100:0 on the axis */
    check_nc_facet(&o);
}

static void check_nc_edge(const gn_model_opts *o)
{
    gn_error err;
    double zA;
    gn_atoms *a = nc_built(o, &zA);
    const size_t per = a->n / 2;
    const double s = o->a0 / sqrt(2.0);
    gn_nc_info info;
    gn_assert_ok(gn_nc_info_get(o, &info, &err), &err);
    /* the facing edge row: A's outermost atoms, on the x axis, centred, one spacing apart */
    int row = 0;
    double xmin = INFINITY, xmax = -INFINITY;
    for (size_t i = 0; i < per; i++)
        if (fabs(a->pos[3 * i + 2] - zA) < 1e-6) {
            row++;
            gn_assert_near(a->pos[3 * i + 1], 0.0, TOL);
            xmin = fmin(xmin, a->pos[3 * i]);
            xmax = fmax(xmax, a->pos[3 * i]);
        }
    gn_assert_near(zA, 0.0, TOL);
    assert_true(row >= 2);
    assert_int_equal(row, info.edge_atoms);
    gn_assert_near(xmax - xmin, (row - 1) * s, TOL);
    gn_assert_near(xmax + xmin, 0.0, TOL);
    /* the two facets at the edge: surface atoms within 3 Å of the edge line and along the
     * edge's length, split by the side of y; plane fits, in-plane neighbours */
    double *side[2];
    size_t ns[2] = {0, 0};
    side[0] = malloc(3 * per * sizeof(double));
    side[1] = malloc(3 * per * sizeof(double));
    for (size_t i = 0; i < per; i++) {
        const double *r = a->pos + 3 * i;
        if (hypot(r[1], r[2]) > 3.0 || fabs(r[0]) > xmax + 1e-6 ||
            coordination(a, 0, per, i, s) == 12)
            continue;
        for (int g = 0; g < 2; g++)
            if (fabs(r[1]) < 1e-6 || (r[1] > 0) == g)
                memcpy(side[g] + 3 * ns[g]++, r, 3 * sizeof(double));
    }
    double nrm[2][3];
    int inplane_max[2] = {0, 0};
    for (int g = 0; g < 2; g++) {
        assert_true(ns[g] >= 4);
        gn_assert_near(plane_normal(side[g], ns[g], nrm[g]), 0.0, 1e-9);
        for (size_t i = 0; i < ns[g]; i++) {
            int k = 0;
            for (size_t j = 0; j < ns[g]; j++)
                k += fabs(dist3(side[g] + 3 * i, side[g] + 3 * j) - s) < 1e-6;
            inplane_max[g] = k > inplane_max[g] ? k : inplane_max[g];
        }
    }
    /* rows of the facets inside 3 Å: (100) 3 rows, a square net; (111) 2 rows, hexagonal */
    assert_int_equal(inplane_max[0], 3);
    assert_int_equal(inplane_max[1], 4);
    double cosang = fabs(nrm[0][0] * nrm[1][0] + nrm[0][1] * nrm[1][1] + nrm[0][2] * nrm[1][2]);
    gn_assert_near(acos(cosang) * 180.0 / M_PI, acos(1.0 / sqrt(3.0)) * 180.0 / M_PI, 1e-6);
    /* the facing direction z bisects the outward normals */
    for (int g = 0; g < 2; g++)
        if (nrm[g][2] < 0)
            for (int k = 0; k < 3; k++)
                nrm[g][k] = -nrm[g][k];
    gn_assert_near(nrm[0][2], nrm[1][2], 1e-9);
    gn_assert_near(nrm[0][0], 0.0, 1e-9);
    gn_assert_near(nrm[1][0], 0.0, 1e-9);
    free(side[0]);
    free(side[1]);
    /* sites: as e2e, (100) at a0/2 sqrt(3/2) and (111) at a0/sqrt2 from the edge line, the
     * hop over the edge sqrt6 a0/2 long; index 0 nearest the axis of those */
    gn_site *v;
    size_t n;
    gn_assert_ok(gn_model_sites(o, &v, &n, &err), &err);
    check_nc_sites(o, a, v, n);
    for (size_t i = 0; i < n; i++) {
        double z0 = v[i].crystal == 'B' ? o->gap : 0.0;
        gn_assert_near(v[i].dist, hypot(v[i].pos[1], v[i].pos[2] - z0), TOL);
        assert_true(v[i].facet == 100 ? v[i].pos[1] < 0 : v[i].pos[1] > 0);
    }
    gn_site from, to;
    gn_assert_ok(gn_model_find_site(o, "A100:0", &from, &err), &err);
    gn_assert_near(from.dist, 0.5 * o->a0 * sqrt(1.5), TOL);
    gn_assert_near(fabs(from.pos[0]), (row % 2) ? 0.5 * s : 0.0, TOL);
    gn_assert_ok(gn_model_find_site(o, "A111:0", &to, &err), &err);
    gn_assert_near(to.dist, o->a0 / sqrt(2.0), TOL);
    gn_assert_near(fabs(to.pos[0]), (row % 2) ? 0.0 : 0.5 * s, TOL);
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_HOP, &from, &to, &err), &err);
    assert_string_equal(to.name, "A111:0");
    gn_assert_near(dist3(from.pos, to.pos), sqrt(6.0) * 0.5 * o->a0, TOL);
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_TRANSFER, &from, &to, &err), &err);
    assert_int_equal(to.crystal, 'B');
    if (o->registry == GN_REG_ALIGNED)
        gn_assert_near(dist3(from.pos, to.pos), o->gap - 2.0 * from.pos[2], TOL);
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(o, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    assert_int_equal(ini->n, a->n + 1);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    /* exchange: an edge-row atom (A's outermost) next to A100:0 goes into the (111) fcc hollow
     * it borders, a0/sqrt2 away */
    gn_model_move mv;
    gn_assert_ok(gn_model_process_move(o, GN_PROCESS_EXCHANGE, &mv, &err), &err);
    assert_true(mv.displaced >= 0 && (size_t)mv.displaced < per);
    gn_assert_near(mv.vacated[2], zA, TOL);
    gn_assert_near(mv.vacated[1], 0.0, TOL);
    assert_int_equal(mv.to.kind, GN_SITE_FCC111);
    gn_assert_near(dist3(mv.vacated, mv.to.pos), s, TOL);
    free(v);
    gn_atoms_free(a);
}

static void test_nc_edge(void **state)
{
    (void)state;
    gn_model_opts o = nc_opts(GN_NC_EDGE, 6.0);
    o.diameter = 30.0; /* 1289 atoms, an edge row of 5 */
    check_nc_edge(&o);
    o.registry = GN_REG_STAGGERED;
    o.natoms = 405; /* an edge row of 4: the axis between two edge atoms */
    o.gap = 7.0;
    check_nc_edge(&o);
}

/* Wulff: the facets' distances from the centre, measured from the atoms, in the ratio of the
 * surface energies up to the lattice's rounding (half a (111) layer spacing). */
static void test_nc_wulff(void **state)
{
    (void)state;
    const double ratios[] = {1.0457, 1.155, 1.3, 0.8, 2.0};
    for (int k = 0; k < 5; k++) {
        gn_model_opts o = nc_opts(GN_NC_FACET, 6.0);
        o.single = 1;
        o.shape = GN_NC_WULFF;
        o.gamma111 = 2.0;
        o.gamma100 = 2.0 * ratios[k];
        o.diameter = 35.0;
        gn_error err;
        gn_atoms *a;
        gn_assert_ok(gn_model_build(&o, &a, &err), &err);
        double c[3] = {0, 0, 0}, zmax = -INFINITY, d111 = -INFINITY;
        for (size_t i = 0; i < a->n; i++)
            for (int x = 0; x < 3; x++)
                c[x] += a->pos[3 * i + x] / a->n;
        /* cubic (111) in the frame x along [110], y along [-110], z along [001] */
        const double n111[3] = {sqrt(2.0 / 3.0), 0.0, 1.0 / sqrt(3.0)};
        for (size_t i = 0; i < a->n; i++) {
            const double *r = a->pos + 3 * i;
            zmax = fmax(zmax, r[2]);
            d111 = fmax(d111, (r[0] - c[0]) * n111[0] + (r[1] - c[1]) * n111[1] +
                                  (r[2] - c[2]) * n111[2]);
        }
        double d100 = zmax - c[2];
        gn_assert_near(2.0 * d100, 9 * A0, TOL); /* 35 Å: nearest is 9 a0 = 35.3 Å */
        double want = d100 / ratios[k];
        /* ratios outside (sqrt3/2, sqrt3) are held at the limits that keep both facets */
        want = fmin(fmax(want, d100 / sqrt(3.0) * (1.0 + 1.0 / 9)),
                    d100 / sqrt(3.0) * (2.0 - 1.0 / 9));
        print_message("nc wulff gamma100/gamma111 %.4f: d100 %.4f Å, d111 %.4f Å (Wulff %.4f)\n",
                      ratios[k], d100, d111, d100 / ratios[k]);
        assert_true(fabs(d111 - want) <= 0.5 * A0 / (2.0 * sqrt(3.0)) + 1e-9);
        gn_atoms_free(a);
    }
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

    /* nc: names, registry against facing, Wulff needs surface energies, sizes */
    assert_int_equal(gn_model_kind_parse("nc", &k, &err), GN_OK);
    assert_int_equal(k, GN_MODEL_NC);
    assert_string_equal(gn_model_kind_name(GN_MODEL_NC), "nc");
    gn_nc_facing f;
    gn_nc_shape sh;
    assert_int_equal(gn_nc_facing_parse("edge", &f, &err), GN_OK);
    assert_int_equal(f, GN_NC_EDGE);
    assert_int_equal(gn_nc_facing_parse("corner", &f, &err), GN_EINVAL);
    assert_int_equal(gn_nc_shape_parse("wulff", &sh, &err), GN_OK);
    assert_int_equal(sh, GN_NC_WULFF);
    assert_int_equal(gn_nc_shape_parse("cube", &sh, &err), GN_EINVAL);
    assert_string_equal(gn_nc_shape_name(GN_NC_OCTAHEDRON), "octahedron");
    assert_int_equal(gn_model_registry_parse(GN_MODEL_NC, "staggered", &r, &err), GN_OK);
    gn_model_opts_default(&o, GN_MODEL_NC);
    o.a0 = A0;
    o.gap = 6.0;
    o.registry = GN_REG_STAGGERED;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "registry"));
    o.registry = GN_REG_HOLLOW;
    o.facing = GN_NC_EDGE;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o.facing = GN_NC_FACET;
    o.shape = GN_NC_WULFF;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "surface energies"));
    o.shape = GN_NC_OCTAHEDRON;
    o.diameter = 3.0;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "diameter"));
    o.diameter = 20.0;
    o.natoms = -1;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o.natoms = 0;
    o.fix_shell = -1.0;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    o.fix_shell = 1.0;
    o.gap = 0.5;
    o.registry = GN_REG_TOP;
    assert_int_equal(gn_model_build(&o, &a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "apart"));
    assert_null(a);
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
        cmocka_unit_test(test_nc_magic),
        cmocka_unit_test(test_nc_facet),
        cmocka_unit_test(test_nc_edge),
        cmocka_unit_test(test_nc_wulff),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_vacuum_and_adatom),
        cmocka_unit_test(test_no_room_for_adatom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
