/* Tests of the dimer saddle search (dimer.h) on analytic surfaces: it converges to the known
 * saddles of Muller-Brown and LEPS (found independently by Newton's method on the analytic
 * gradient) from nearby starts, and to first-order saddles only (the analytic Hessian at every
 * converged point has exactly one negative eigenvalue, also when the search starts next to a
 * maximum); on a quadratic form with one negative eigenvalue the final orientation is that
 * eigenvector and the curvature its eigenvalue. Units are the surfaces' own. */
#include "gn_test.h"
#include "gn_surfaces.h"

#include "gapneb/dimer.h"

/* ---- egg crate: V = cos(pi x) + cos(pi y): maxima at (0, 0) (V = 2), minima at (1, 1)
 * (V = -2), first-order saddles at (0, 1) and (1, 0) (V = 0) ---- */
static void egg(const double *x, double *e, double *g)
{
    *e = cos(M_PI * x[0]) + cos(M_PI * x[1]);
    g[0] = -M_PI * sin(M_PI * x[0]);
    g[1] = -M_PI * sin(M_PI * x[1]);
}

static int surf_eval(void *ctx, const double *x, double *e, double *force, gn_error *err)
{
    (void)err;
    grad_fn f = *(grad_fn *)ctx;
    double g[2];
    f(x, e, g);
    force[0] = -g[0];
    force[1] = -g[1];
    return GN_OK;
}

/* Options scaled to a 2D surface of unit-size features. */
static void surf_opts(gn_dimer_opts *o, double fmax, double step)
{
    gn_dimer_opts_default(o);
    o->sep = 1e-4;
    o->fmax = fmax;
    o->max_step = step;
    o->convex_step = step / 2;
    o->max_steps = 2000;
}

/* Runs the dimer from x0 with the initial orientation angle a (radians); returns the result and
 * the final point in x. */
static gn_dimer_result run2(grad_fn *f, const double *x0, double a, const gn_dimer_opts *o,
                            double *x)
{
    gn_objective obj = {.nparticles = 1, .dim = 2, .eval = surf_eval, .ctx = f};
    double mode[2] = {cos(a), sin(a)};
    x[0] = x0[0];
    x[1] = x0[1];
    gn_dimer_result r;
    gn_error err;
    gn_assert_ok(gn_dimer_search(&obj, x, mode, o, &r, &err), &err);
    gn_assert_near(mode[0] * mode[0] + mode[1] * mode[1], 1.0, 1e-12);
    return r;
}

/* Number of negative eigenvalues of the surface's Hessian at x (analytic, independent of the
 * dimer's finite differences). */
static int order2(grad_fn f, const double *x)
{
    double h[2][2];
    hess2(f, x, h);
    double tr = h[0][0] + h[1][1], det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    double disc = sqrt(fmax(0.0, tr * tr / 4 - det));
    return (tr / 2 - disc < 0) + (tr / 2 + disc < 0);
}

/* From 12 starts around the saddle S (radius r, orientations varied) the dimer reaches S. */
static void check_near(grad_fn f, const double *S, double es, double r, const gn_dimer_opts *o,
                       const char *name)
{
    int worst_evals = 0;
    for (int k = 0; k < 12; k++) {
        double ang = 2 * M_PI * k / 12, x0[2] = {S[0] + r * cos(ang), S[1] + r * sin(ang)};
        double x[2], e, g[2];
        gn_dimer_result res = run2(&f, x0, 0.7 * k, o, x);
        f(x, &e, g);
        if (!res.converged || fabs(x[0] - S[0]) > 1e-4 || fabs(x[1] - S[1]) > 1e-4)
            fail_msg("%s start %d (%.3f, %.3f): %s after %d steps at (%.6f, %.6f), saddle "
                     "(%.6f, %.6f)", name, k, x0[0], x0[1], gn_dimer_stop_name(res.stop),
                     res.steps, x[0], x[1], S[0], S[1]);
        gn_assert_near(e, es, 1e-6 * (1 + fabs(es)));
        gn_assert_near(res.energy, e, 1e-12 * (1 + fabs(es)));
        assert_true(hypot(g[0], g[1]) < o->fmax);
        assert_true(res.curvature < 0);
        assert_int_equal(order2(f, x), 1);
        if ((int)res.evals > worst_evals)
            worst_evals = (int)res.evals;
    }
    print_message("%s: 12 starts at %.2f from (%.4f, %.4f), at most %d evaluations\n", name, r,
                  S[0], S[1], worst_evals);
}

static void test_muller_brown(void **state)
{
    (void)state;
    /* the saddles between MA and MC, and between MC and MB (REFERENCE-DATA: S1 E = -40.665,
     * S2 (0.212487, 0.292988) E = -72.24894) */
    double S1[2] = {-0.82, 0.62}, S2[2] = {0.21, 0.29}, e1, e2, g[2];
    newton2(mb, S1);
    newton2(mb, S2);
    mb(S1, &e1, g);
    mb(S2, &e2, g);
    gn_assert_near(e1, -40.665, 1e-3);
    gn_assert_near(S2[0], 0.212487, 1e-5);
    gn_assert_near(e2, -72.24894, 1e-5);
    gn_dimer_opts o;
    surf_opts(&o, 1e-3, 0.02);
    check_near(mb, S1, e1, 0.05, &o, "Muller-Brown S1");
    check_near(mb, S2, e2, 0.05, &o, "Muller-Brown S2");
}

static void test_leps(void **state)
{
    (void)state;
    double S[2] = {1.0, 0.9}, es, g[2];
    newton2(leps, S);
    leps(S, &es, g);
    gn_assert_near(S[0], 1.1494, 1e-3);
    gn_assert_near(S[1], 0.8625, 1e-3);
    gn_dimer_opts o;
    surf_opts(&o, 1e-4, 0.05);
    check_near(leps, S, es, 0.1, &o, "LEPS");
    /* the Lanczos routine as the mode solver reaches the same saddle */
    o.mode_solver = GN_DIMER_LANCZOS;
    check_near(leps, S, es, 0.1, &o, "LEPS, Lanczos mode");
}

/* Starts over a grid of the Muller-Brown region (with orientations that vary from start to
 * start) and next to the egg crate's maximum: whatever converges is a first-order saddle, never a
 * minimum or a maximum. */
static void test_first_order_only(void **state)
{
    (void)state;
    gn_dimer_opts o;
    surf_opts(&o, 1e-3, 0.02);
    o.max_steps = 400;
    int conv = 0, total = 0;
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 7; j++) {
            double x0[2] = {-1.4 + 2.2 * i / 6, -0.3 + 2.2 * j / 6}, x[2], e, g[2];
            gn_dimer_result r = run2(&(grad_fn){mb}, x0, 1.3 * (i + 7 * j), &o, x);
            total++;
            if (!r.converged)
                continue;
            conv++;
            mb(x, &e, g);
            assert_true(hypot(g[0], g[1]) < o.fmax);
            if (order2(mb, x) != 1)
                fail_msg("Muller-Brown start (%.3f, %.3f) converged to (%.5f, %.5f) with %d "
                         "negative modes", x0[0], x0[1], x[0], x[1], order2(mb, x));
        }
    print_message("Muller-Brown grid: %d of %d starts converged, all first-order\n", conv, total);
    /* the others climb out of the region towards no saddle (Muller-Brown has its saddles in
     * the middle only) or stall in a convex region; 23 converge today */
    assert_true(conv >= 15);
    /* next to the maximum: both curvatures negative; F+ climbs only the lowest mode */
    surf_opts(&o, 1e-6, 0.1);
    int seen[2] = {0, 0};
    for (int k = 0; k < 8; k++) {
        double ang = 2 * M_PI * k / 8 + 0.3, x0[2] = {0.1 * cos(ang), 0.1 * sin(ang)}, x[2], e, g[2];
        gn_dimer_result r = run2(&(grad_fn){egg}, x0, 0.9 * k, &o, x);
        assert_true(r.converged);
        egg(x, &e, g);
        gn_assert_near(e, 0.0, 1e-9);
        assert_int_equal(order2(egg, x), 1);
        /* a saddle (0, +-1) or (+-1, 0) */
        int onx = fabs(fabs(x[0]) - 1) < 1e-5 && fabs(x[1]) < 1e-5;
        int ony = fabs(fabs(x[1]) - 1) < 1e-5 && fabs(x[0]) < 1e-5;
        assert_true(onx || ony);
        seen[onx]++;
    }
    assert_true(seen[0] > 0 && seen[1] > 0);
}

/* V = 1/2 x^T A x in 12 dimensions, A = Q diag(lambda) Q^T with one negative eigenvalue: the
 * saddle is the origin, the final orientation is the negative eigenvector and the curvature its
 * eigenvalue (one-sided differences are exact on a quadratic). */
enum { QD = 12 };
typedef struct quad { double A[QD][QD], q[QD][QD], lambda[QD]; } quad;

static int quad_eval(void *ctx, const double *x, double *e, double *force, gn_error *err)
{
    (void)err;
    const quad *Q = ctx;
    *e = 0;
    for (int i = 0; i < QD; i++) {
        double s = 0;
        for (int j = 0; j < QD; j++)
            s += Q->A[i][j] * x[j];
        force[i] = -s;
        *e += 0.5 * x[i] * s;
    }
    return GN_OK;
}

static void test_quadratic(void **state)
{
    (void)state;
    quad Q;
    gn_rng r = {77};
    for (int i = 0; i < QD; i++) { /* random orthonormal rows */
        for (int k = 0; k < QD; k++)
            Q.q[i][k] = gn_rng_uniform(&r) - 0.5;
        for (int p = 0; p < i; p++) {
            double d = 0;
            for (int k = 0; k < QD; k++)
                d += Q.q[i][k] * Q.q[p][k];
            for (int k = 0; k < QD; k++)
                Q.q[i][k] -= d * Q.q[p][k];
        }
        double nn = 0;
        for (int k = 0; k < QD; k++)
            nn += Q.q[i][k] * Q.q[i][k];
        for (int k = 0; k < QD; k++)
            Q.q[i][k] /= sqrt(nn);
        Q.lambda[i] = i == 0 ? -0.7 : 0.5 + 2.0 * i; /* 0.3 above zero at least */
    }
    for (int a = 0; a < QD; a++)
        for (int b = 0; b < QD; b++) {
            Q.A[a][b] = 0;
            for (int i = 0; i < QD; i++)
                Q.A[a][b] += Q.q[i][a] * Q.lambda[i] * Q.q[i][b];
        }
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &Q};
    for (int init = 0; init < 2; init++) {
        double x[QD], mode[QD] = {0};
        for (int k = 0; k < QD; k++)
            x[k] = 0.3 * (gn_rng_uniform(&r) - 0.5);
        gn_dimer_opts o;
        gn_dimer_opts_default(&o);
        o.fmax = 1e-6;
        o.rot_tol = 1e-3;
        o.init_lowmode = init;
        o.seed = 5;
        gn_dimer_result res;
        gn_error err;
        gn_assert_ok(gn_dimer_search(&obj, x, mode, &o, &res, &err), &err);
        print_message("quadratic, init_lowmode %d: %d steps, %d rotations, %lu evaluations\n",
                      init, res.steps, res.rotations, res.evals);
        assert_true(res.converged);
        for (int k = 0; k < QD; k++)
            gn_assert_near(x[k], 0.0, 1e-5);
        double d = 0;
        for (int k = 0; k < QD; k++)
            d += mode[k] * Q.q[0][k];
        gn_assert_near(fabs(d), 1.0, 1e-5);
        gn_assert_near(res.curvature, -0.7, 1e-4);
    }
}

/* Fixed components never move and carry no mode; bad options are refused. */
static void test_mask_and_args(void **state)
{
    (void)state;
    grad_fn f = leps;
    unsigned char mask[2] = {1, 0};
    gn_objective obj = {.nparticles = 2, .dim = 1, .mask = mask, .eval = surf_eval, .ctx = &f};
    double x[2] = {1.3, 0.8}, mode[2] = {0.3, 0.9};
    gn_dimer_opts o;
    surf_opts(&o, 1e-4, 0.05);
    gn_dimer_result res;
    gn_error err;
    gn_assert_ok(gn_dimer_search(&obj, x, mode, &o, &res, &err), &err);
    assert_true(x[1] == 0.8);
    assert_true(mode[1] == 0.0);
    gn_assert_near(fabs(mode[0]), 1.0, 1e-12);
    o.sep = -1;
    assert_int_equal(gn_dimer_search(&obj, x, mode, &o, &res, &err), GN_ERANGE);
    surf_opts(&o, 1e-4, 0.05);
    o.max_steps = 0;
    assert_int_equal(gn_dimer_search(&obj, x, mode, &o, &res, &err), GN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_muller_brown),
        cmocka_unit_test(test_leps),
        cmocka_unit_test(test_first_order_only),
        cmocka_unit_test(test_quadratic),
        cmocka_unit_test(test_mask_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
