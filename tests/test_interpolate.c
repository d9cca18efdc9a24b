/* Tests of the initial bands: linear interpolation with the minimum image across a periodic
 * boundary, and IDPP keeping atoms apart where linear interpolation pushes them together.
 * Lengths in Å. */
#include "gn_test.h"

static gn_atoms *make(size_t n, const double *pos, const unsigned char *fixed, double L)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    for (size_t i = 0; i < n; i++)
        gn_assert_ok(gn_atoms_push(a, 78, pos + 3 * i, fixed ? fixed[i] : 0, &err), &err);
    if (L > 0) {
        const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
        const int pbc[3] = {1, 1, 0};
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    }
    return a;
}

static void test_linear_min_image(void **state)
{
    (void)state;
    /* one atom hops from x = 9.8 to x = 0.2 across the boundary of a 10 Å cell: 0.4 Å, not 9.6 */
    const double p0[6] = {9.8, 5.0, 0.0, 3.0, 3.0, 1.0}, p1[6] = {0.2, 5.0, 0.0, 3.0, 3.0, 1.0};
    gn_atoms *a = make(2, p0, NULL, 10.0), *b = make(2, p1, NULL, 10.0);
    double path[5 * 6];
    gn_error err;
    gn_assert_ok(gn_interp_linear(a, b, 3, path, &err), &err);
    for (int i = 0; i < 5; i++) {
        gn_assert_near(path[i * 6 + 0], 9.8 + 0.1 * i, 1e-12);
        gn_assert_near(path[i * 6 + 3], 3.0, 0);
    }
    gn_atoms_free(a);
    gn_atoms_free(b);
}

static void test_mismatch(void **state)
{
    (void)state;
    const double p[6] = {0, 0, 0, 2.5, 0, 0};
    gn_atoms *a = make(2, p, NULL, 0), *b = make(2, p, NULL, 0);
    b->z[1] = 79;
    double path[5 * 6];
    gn_error err;
    assert_int_equal(gn_interp_linear(a, b, 3, path, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "atom 2"));
    b->z[1] = 78;
    assert_int_equal(gn_interp_linear(a, b, 0, path, &err), GN_EINVAL);
    gn_atoms_free(a);
    gn_atoms_free(b);
}

static double dist(const double *p, int i, int j)
{
    double s = 0;
    for (int k = 0; k < 3; k++)
        s += (p[3 * j + k] - p[3 * i + k]) * (p[3 * j + k] - p[3 * i + k]);
    return sqrt(s);
}

/* Smallest distance between movable atoms 0 and 1 over the band's images. */
static double min_dimer(const double *path, int m, int n)
{
    double best = INFINITY;
    for (int i = 0; i < m; i++)
        best = fmin(best, dist(path + i * 3 * n, 0, 1));
    return best;
}

static void test_idpp_dimer_rotation(void **state)
{
    (void)state;
    /* A Pt dimer (2.5 Å) rotates by 120 degrees about its centre, with a fixed spectator atom.
     * Linear interpolation shrinks the bond to 2.5 cos(60) = 1.25 Å half way; IDPP keeps it. */
    const double d = 2.5, th = 2.0 * M_PI / 3.0;
    const double p0[9] = {-d / 2, 0, 0, d / 2, 0, 0, 0.3, 4.5, 0.2};
    const double p1[9] = {-d / 2 * cos(th), -d / 2 * sin(th), 0, d / 2 * cos(th), d / 2 * sin(th),
                          0, 0.3, 4.5, 0.2};
    const unsigned char fixed[3] = {0, 0, 1};
    gn_atoms *a = make(3, p0, fixed, 0), *b = make(3, p1, fixed, 0);
    enum { M = 9 };
    double lin[M * 9], idpp[M * 9];
    gn_error err;
    gn_assert_ok(gn_interp_linear(a, b, M - 2, lin, &err), &err);
    gn_assert_near(min_dimer(lin, M, 3), 1.25, 1e-12);
    gn_idpp_opts o;
    unsigned long evals = 0;
    gn_idpp_opts_default(&o);
    gn_assert_ok(gn_interp_idpp(a, b, M - 2, idpp, &o, &evals, &err), &err);
    double md = min_dimer(idpp, M, 3);
    print_message("IDPP dimer: min bond %.4f Å (linear 1.25 Å), %lu evaluations\n", md, evals);
    assert_true(md > 1.5);
    assert_true(md > 2.3); /* IDPP targets 2.5 Å throughout */
    for (int k = 0; k < 9; k++) {
        gn_assert_near(idpp[k], p0[k], 0);                 /* endpoints untouched */
        gn_assert_near(idpp[(M - 1) * 9 + k], p1[k], 1e-15);
    }
    for (int i = 0; i < M; i++)
        for (int k = 6; k < 9; k++)
            gn_assert_near(idpp[i * 9 + k], p0[k], 0); /* the fixed atom never moves */
    /* the rotation angle grows monotonically from 0 to 120 degrees */
    double prev = -1.0;
    for (int i = 0; i < M; i++) {
        const double *q = idpp + i * 9;
        double ang = atan2(q[4] - q[1], q[3] - q[0]);
        assert_true(ang > prev - 1e-9);
        prev = ang;
    }
    gn_assert_near(prev, th, 1e-12);
    gn_atoms_free(a);
    gn_atoms_free(b);
}

static void test_idpp_exchange(void **state)
{
    (void)state;
    /* Two atoms of a triangle exchange places while the third stays: linear interpolation makes
     * them pass within 0.6 Å of each other; IDPP walks them around each other. A small offset
     * out of the line breaks the symmetry. */
    const double p0[9] = {-1.4, 0, 0, 1.4, 0, 0, 0, 2.6, 0};
    const double p1[9] = {1.4, 0.3, 0, -1.4, -0.3, 0, 0, 2.6, 0};
    gn_atoms *a = make(3, p0, NULL, 0), *b = make(3, p1, NULL, 0);
    enum { M = 11 };
    double lin[M * 9], idpp[M * 9];
    gn_error err;
    gn_assert_ok(gn_interp_linear(a, b, M - 2, lin, &err), &err);
    assert_true(min_dimer(lin, M, 3) < 0.7);
    gn_assert_ok(gn_interp_idpp(a, b, M - 2, idpp, NULL, NULL, &err), &err);
    double worst = INFINITY;
    for (int i = 0; i < M; i++)
        for (int x = 0; x < 3; x++)
            for (int y = x + 1; y < 3; y++)
                worst = fmin(worst, dist(idpp + i * 9, x, y));
    print_message("IDPP exchange: closest pair %.4f Å\n", worst);
    assert_true(worst > 1.5);
    gn_atoms_free(a);
    gn_atoms_free(b);
}

static void test_idpp_forces_fd(void **state)
{
    (void)state;
    /* the IDPP force is -dS/dx: central differences of S, in a periodic cell with a fixed atom */
    const double p0[12] = {0.2, 0.1, 0.0, 2.6, 0.3, 0.1, 1.2, 2.4, 0.2, 5.1, 5.0, 1.9};
    const double p1[12] = {9.7, 0.4, 0.3, 2.2, 2.6, 0.0, 1.5, 2.0, 1.4, 5.1, 5.0, 1.9};
    const unsigned char fixed[4] = {0, 0, 0, 1};
    gn_atoms *a = make(4, p0, fixed, 10.0), *b = make(4, p1, fixed, 10.0);
    double x[12], f[12], s0, sp, sm, fd[12];
    gn_rng r = {11};
    for (int k = 0; k < 12; k++)
        x[k] = 0.5 * (p0[k] + p1[k]) + 0.2 * (gn_rng_uniform(&r) - 0.5);
    gn_error err;
    gn_assert_ok(gn_idpp_objective(a, b, 0.0, 0.37, x, &s0, f, &err), &err);
    assert_true(s0 > 0);
    const double h = 1e-5;
    for (int k = 0; k < 12; k++) {
        double xp[12], xm[12], g[12];
        memcpy(xp, x, sizeof x);
        memcpy(xm, x, sizeof x);
        xp[k] += h;
        xm[k] -= h;
        gn_assert_ok(gn_idpp_objective(a, b, 0.0, 0.37, xp, &sp, g, &err), &err);
        gn_assert_ok(gn_idpp_objective(a, b, 0.0, 0.37, xm, &sm, g, &err), &err);
        fd[k] = -(sp - sm) / (2 * h);
        gn_assert_near(f[k], fd[k], 1e-6 * (1 + fabs(fd[k])));
    }
    /* at t = 0 the initial endpoint is the exact minimum (S = 0, no force) */
    gn_assert_ok(gn_idpp_objective(a, b, 0.0, 0.0, p0, &s0, f, &err), &err);
    gn_assert_near(s0, 0.0, 1e-20);
    gn_atoms_free(a);
    gn_atoms_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_min_image),
        cmocka_unit_test(test_mismatch),
        cmocka_unit_test(test_idpp_dimer_rotation),
        cmocka_unit_test(test_idpp_exchange),
        cmocka_unit_test(test_idpp_forces_fd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
