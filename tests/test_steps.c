/* Tests of the steps module (steps.h) on analytic surfaces and of the chain rate:
 * - Muller-Brown: the band from MA to MB passes the intermediate minimum MC; the split returns
 *   the two saddles and MC, checked against Newton's method on the analytic gradient (and those
 *   against the published coordinates and energies, REFERENCE-DATA);
 * - a flat-topped barrier with a dip in its middle, a little shallower and a little deeper than
 *   the split tolerance: split only when deeper (the dip's depth found by Newton);
 * - a climbing image that sits in a minimum is never reported as a barrier;
 * - the rate of a chain: one step gives its own rates; a symmetric two-step chain gives the
 *   first-passage result 1 / (2/a + 1/b); a three-step chain agrees with a direct solution of the
 *   first-passage equations.
 * Units are the surfaces' own. */
#include "gn_test.h"
#include "gn_surfaces.h"

typedef struct surf2 {
    grad_fn f;
} surf2;

static int surf_energy(void *ctx, int image, const double *x, double *e, double *force,
                       gn_error *err)
{
    (void)image;
    (void)err;
    const surf2 *s = ctx;
    double g[2];
    s->f(x, e, g);
    force[0] = -g[0];
    force[1] = -g[1];
    return GN_OK;
}

static void linear_band(const double *a, const double *b, int m, double *path)
{
    for (int i = 0; i < m; i++)
        for (int k = 0; k < 2; k++)
            path[2 * i + k] = a[k] + (b[k] - a[k]) * i / (m - 1.0);
}

/* Hessian determinant of a 2D stationary point (gn_surfaces.h): negative at a first-order
 * saddle, positive at a minimum. */
static double hessian_det(grad_fn f, const double *x)
{
    double h[2][2];
    hess2(f, x, h);
    return h[0][0] * h[1][1] - h[0][1] * h[1][0];
}

/* Splits the band from A to B (a linear start) on surface f with o and the default split
 * settings (so may be NULL). */
static void run_split(grad_fn f, const double *A, const double *B, const gn_neb_opts *o,
                      const gn_steps_opts *so, gn_steps_result *r)
{
    surf2 s = {f};
    gn_band_system sys = {.nparticles = 1, .dim = 2, .energy = surf_energy, .ctx = &s};
    gn_steps_opts def;
    gn_steps_opts_default(&def);
    int m = o->nimages + 2;
    double *path = malloc(2 * (size_t)m * sizeof *path);
    linear_band(A, B, m, path);
    gn_error err;
    gn_assert_ok(gn_steps_band_run(&sys, (size_t)m, path, o, so ? so : &def, r, &err), &err);
    free(path);
}

static void mb_opts(gn_neb_opts *o)
{
    gn_neb_opts_default(o);
    o->nimages = 11;
    o->k = 50.0;
    o->fmax = 1e-3;
    o->climb_fmax = 5.0;
    o->max_move = 0.02;
    o->dt = 0.005;
    o->max_steps = 5000;
    o->endpoint_fmax = 1e-4;
    o->endpoint_max_steps = 20000;
}

static void test_muller_brown_split(void **state)
{
    (void)state;
    /* stationary points by Newton from rough guesses, then the published values as a check */
    double A[2] = {-0.55, 1.44}, B[2] = {0.62, 0.03}, C[2] = {-0.05, 0.47};
    double S1[2] = {-0.82, 0.62}, S2[2] = {0.21, 0.29}, ea, ec, e1, e2, g[2];
    newton2(mb, A);
    newton2(mb, B);
    newton2(mb, C);
    newton2(mb, S1);
    newton2(mb, S2);
    mb(A, &ea, g);
    mb(C, &ec, g);
    mb(S1, &e1, g);
    mb(S2, &e2, g);
    gn_assert_near(C[0], -0.050011, 1e-5);
    gn_assert_near(C[1], 0.466694, 1e-5);
    gn_assert_near(ec, -80.76781, 1e-4);
    gn_assert_near(S1[0], -0.822002, 1e-5);
    gn_assert_near(S1[1], 0.624313, 1e-5);
    gn_assert_near(e1, -40.66484, 1e-4);
    gn_assert_near(S2[0], 0.212487, 1e-5);
    gn_assert_near(S2[1], 0.292988, 1e-5);
    gn_assert_near(e2, -72.24894, 1e-4);
    assert_true(hessian_det(mb, S1) < 0 && hessian_det(mb, S2) < 0 && hessian_det(mb, C) > 0);

    gn_neb_opts o;
    mb_opts(&o);
    gn_steps_opts so;
    gn_steps_opts_default(&so);
    gn_steps_result r;
    run_split(mb, A, B, &o, &so, &r);
    print_message("Muller-Brown: %zu steps, %d candidates, %lu evaluations\n", r.nsteps,
                  r.candidates, r.force_calls);
    assert_int_equal(r.nsteps, 2);
    assert_true(r.converged && r.first_order);
    const double *sad[2] = {S1, S2}, esad[2] = {e1, e2};
    for (int k = 0; k < 2; k++) {
        const gn_step *st = &r.step[k];
        const double *x = st->path + 2 * st->climb_index;
        print_message("step %d: CI (%.6f, %.6f) E %.5f, order %d, Ea %.5f / %.5f\n", k + 1, x[0],
                      x[1], st->e_saddle + r.e_initial, st->saddle_order, st->barrier_fwd,
                      st->barrier_rev);
        gn_assert_near(x[0], sad[k][0], 1e-3);
        gn_assert_near(x[1], sad[k][1], 1e-3);
        gn_assert_near(st->e_saddle + r.e_initial, esad[k], 1e-3);
        assert_int_equal(st->saddle_order, 1);
    }
    /* the intermediate minimum, and the barriers from the minima each step connects */
    gn_assert_near(r.min_pos[2], C[0], 1e-3);
    gn_assert_near(r.min_pos[3], C[1], 1e-3);
    gn_assert_near(r.min_energy[1] + r.e_initial, ec, 1e-3);
    gn_assert_near(r.step[0].barrier_fwd, e1 - ea, 1e-3);
    gn_assert_near(r.step[0].barrier_rev, e1 - ec, 1e-3);
    gn_assert_near(r.step[1].barrier_fwd, e2 - ec, 1e-3);
    /* effective barrier: the highest saddle (S1) minus the initial state; step 1 limits */
    gn_assert_near(r.ea_eff, e1 - ea, 1e-3);
    assert_int_equal(r.rate_step, 0);
    /* the joined reaction coordinate is continuous */
    gn_assert_near(r.step[1].s_offset, r.step[0].s[r.step[0].nimages - 1], 1e-12);
    gn_steps_result_clear(&r);

    /* without splitting: one band, one step, its climbing image at S1 */
    so.split = 0;
    run_split(mb, A, B, &o, &so, &r);
    assert_int_equal(r.nsteps, 1);
    gn_assert_near(r.ea_eff, e1 - ea, 1e-3);
    gn_steps_result_clear(&r);
}

/* ---- a flat-topped barrier with a dip of adjustable depth in its middle ----
 * V = exp(-(x/0.9)^8) - delta exp(-(x/0.3)^2) + 0.01 x^8 + 2 (y - 0.3 x^2)^2: minima near
 * x = +-1.15, a barrier about 1 high whose top is flat to order x^8, so a dip of width 0.3
 * carved into it keeps about its own depth (found exactly by Newton below); the valley in y
 * curves with x. */
static double dip_delta;

static void dip(const double *p, double *e, double *g)
{
    double x = p[0], y = p[1], x7 = pow(x, 7);
    double b = exp(-pow(x / 0.9, 8)), w = exp(-(x / 0.3) * (x / 0.3)), v = y - 0.3 * x * x;
    *e = b - dip_delta * w + 0.01 * x7 * x + 2.0 * v * v;
    g[0] = -8.0 * x7 / pow(0.9, 8) * b + dip_delta * 2.0 * x / 0.09 * w + 0.08 * x7 -
           2.4 * v * x;
    g[1] = 4.0 * v;
}

/* The dip's depth: the lower of the two maxima beside it minus its minimum, by Newton. */
static double dip_depth(void)
{
    double m0[2] = {0.0, 0.0}, s[2] = {0.33, 0.033}, em, es, g[2];
    newton2(dip, m0);
    newton2(dip, s);
    dip(m0, &em, g);
    dip(s, &es, g);
    assert_true(fabs(m0[0]) < 1e-9 && s[0] > 0.05); /* two distinct points, the dip in the middle */
    assert_true(hessian_det(dip, s) < 0 && hessian_det(dip, m0) > 0);
    return es - em;
}

static size_t dip_steps(double delta, gn_steps_result *r)
{
    dip_delta = delta;
    double A[2] = {-1.15, 0.4}, B[2] = {1.15, 0.4};
    newton2(dip, A);
    newton2(dip, B);
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.nimages = 13;
    o.fmax = 1e-4;
    o.max_steps = 20000;
    o.max_move = 0.05;
    o.endpoint_fmax = 1e-5;
    o.endpoint_max_steps = 20000;
    run_split(dip, A, B, &o, NULL, r);
    assert_true(r->converged);
    return r->nsteps;
}

static void test_shallow_minimum(void **state)
{
    (void)state;
    gn_steps_opts so;
    gn_steps_opts_default(&so);
    gn_steps_result r;
    /* below the tolerance: one step */
    dip_delta = 0.0006;
    double d_lo = dip_depth();
    dip_delta = 0.006;
    double d_hi = dip_depth();
    print_message("dip depths %.5f and %.5f (tolerance %g)\n", d_lo, d_hi, so.tol);
    assert_true(d_lo < so.tol && d_hi > 2 * so.tol);
    size_t n_lo = dip_steps(0.0006, &r);
    print_message("shallow dip: %zu step(s), saddle order %d\n", n_lo, r.step[0].saddle_order);
    assert_int_equal(n_lo, 1);
    assert_int_equal(r.step[0].saddle_order, 1);
    gn_steps_result_clear(&r);
    size_t n_hi = dip_steps(0.006, &r);
    print_message("deeper dip: %zu steps, minimum at (%.6f, %.6f)\n", n_hi, r.min_pos[2],
                  r.min_pos[3]);
    assert_int_equal(n_hi, 2);
    gn_assert_near(r.min_pos[2], 0.0, 1e-3);
    assert_true(r.first_order);
    /* the two saddles are mirror images: the same barrier from the middle both ways */
    gn_assert_near(r.step[0].barrier_rev, r.step[1].barrier_fwd, 1e-4);
    gn_assert_near(r.step[0].barrier_rev, d_hi, 1e-4);
    gn_steps_result_clear(&r);
}

/* ---- chain rates ---- */

/* Mean first-passage time 0 -> n by solving T_i = (1 + kf_i T_{i+1} + kr_{i-1} T_{i-1}) /
 * (kf_i + kr_{i-1}), T_n = 0, state 0 reflecting, by Gauss-Seidel sweeps to convergence. */
static double mfpt_direct(int n, const double *kf, const double *kr)
{
    double T[8] = {0};
    for (int sweep = 0; sweep < 200000; sweep++) {
        double change = 0;
        for (int i = n - 1; i >= 0; i--) {
            double out = kf[i] + (i ? kr[i - 1] : 0.0);
            double t = (1.0 + kf[i] * T[i + 1] + (i ? kr[i - 1] * T[i - 1] : 0.0)) / out;
            change = fmax(change, fabs(t - T[i]) / t);
            T[i] = t;
        }
        if (change < 1e-15)
            break;
    }
    return T[0];
}

static void test_chain_rate(void **state)
{
    (void)state;
    gn_error err;
    double f, r;
    double k1f = 3.7e6, k1r = 2.2e-3;
    gn_assert_ok(gn_steps_chain_rate(1, &k1f, &k1r, &f, &r, &err), &err);
    gn_assert_near(f / k1f, 1.0, 1e-12);
    gn_assert_near(r / k1r, 1.0, 1e-12);
    /* symmetric two-step chain 0 <-> 1 <-> 2: out of 0 at a, out of 1 at b each way; from 0 the
     * walker waits 1/a, then from 1 waits 1/(2b) and goes on or back with equal odds:
     * T0 = 1/a + T1, T1 = 1/(2b) + T0/2, so T0 = 2/a + 1/b */
    double a = 5.0e2, b = 7.0e9, kf[2] = {a, b}, kr[2] = {b, a};
    gn_assert_ok(gn_steps_chain_rate(2, kf, kr, &f, &r, &err), &err);
    gn_assert_near(f * (2 / a + 1 / b), 1.0, 1e-12);
    gn_assert_near(r * (2 / a + 1 / b), 1.0, 1e-12);
    /* an asymmetric three-step chain against the first-passage equations solved directly */
    double gf[3] = {2.0, 50.0, 0.7}, gr[3] = {30.0, 4.0, 9.0}, rf[3], rr[3];
    gn_assert_ok(gn_steps_chain_rate(3, gf, gr, &f, &r, &err), &err);
    gn_assert_near(f * mfpt_direct(3, gf, gr), 1.0, 1e-9);
    for (int i = 0; i < 3; i++) { /* the reversed chain */
        rf[i] = gr[2 - i];
        rr[i] = gf[2 - i];
    }
    gn_assert_near(r * mfpt_direct(3, rf, rr), 1.0, 1e-9);
    /* a missing rate is refused */
    double bad[2] = {a, NAN};
    assert_int_equal(gn_steps_chain_rate(2, bad, kr, &f, &r, &err), GN_EINVAL);
    assert_true(isnan(f) && isnan(r));
}

/* A band that does not converge within its iterations is still searched for the minima it
 * passes: Muller-Brown from A to B with an iteration cap the whole band cannot meet (it needs a
 * few hundred) but each of its two steps can; without the search the row would be reported as
 * not converged. */
static void test_unconverged_split(void **state)
{
    (void)state;
    double A[2] = {-0.55, 1.44}, B[2] = {0.62, 0.03};
    newton2(mb, A);
    newton2(mb, B);
    gn_neb_opts o;
    mb_opts(&o);
    o.max_steps = 200;
    gn_steps_opts so;
    gn_steps_opts_default(&so);
    so.split = 0;
    gn_steps_result r0, r;
    run_split(mb, A, B, &o, &so, &r0);
    run_split(mb, A, B, &o, NULL, &r);
    print_message("cap %d: the whole band %s after %d iterations; split: %zu steps, converged %d, "
                  "first-order %d, %d candidates\n", o.max_steps,
                  r0.converged ? "converged" : "not converged", r0.step[0].iterations, r.nsteps,
                  r.converged, r.first_order, r.candidates);
    assert_false(r0.converged);
    assert_int_equal(r0.step[0].iterations, o.max_steps);
    assert_int_equal(r.nsteps, 2);
    assert_true(r.converged && r.first_order);
    /* the same steps as from a band given all the iterations it needs */
    gn_steps_result full;
    mb_opts(&o);
    run_split(mb, A, B, &o, NULL, &full);
    assert_int_equal(full.nsteps, 2);
    for (int k = 0; k < 2; k++)
        gn_assert_near(r.step[k].e_saddle, full.step[k].e_saddle, 1e-3);
    gn_assert_near(r.ea_eff, full.ea_eff, 1e-3);
    gn_steps_result_clear(&full);
    gn_steps_result_clear(&r0);
    gn_steps_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_muller_brown_split),
        cmocka_unit_test(test_unconverged_split),
        cmocka_unit_test(test_shallow_minimum),
        cmocka_unit_test(test_chain_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
