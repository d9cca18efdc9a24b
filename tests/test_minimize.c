/* Tests of the FIRE minimiser (both variants): known minima of a quadratic and of the Rosenbrock
 * function, fixed components that never move, the per-particle step limit, the iteration cap as a
 * reported state, failing objectives. Units are those of the objective (Å, eV, eV/Å). */
#include "gn_test.h"

/* E = 1/2 sum_k c_k (x_k - x0_k)^2: minimum at x0 exactly. */
typedef struct quad {
    size_t n;
    const double *c, *x0;
    double *trace;  /* positions at every evaluation (may be NULL) */
    size_t ntrace, cap;
    int fail_at;    /* evaluation number at which to fail (0 = never) */
    int calls;
} quad;

static int quad_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    quad *q = ctx;
    q->calls++;
    if (q->fail_at && q->calls == q->fail_at)
        return gn_error_set(err, GN_ERANGE, "synthetic failure");
    if (q->trace && q->ntrace < q->cap) {
        memcpy(q->trace + q->ntrace * q->n, x, q->n * sizeof *x);
        q->ntrace++;
    }
    *e = 0.0;
    for (size_t k = 0; k < q->n; k++) {
        double d = x[k] - q->x0[k];
        *e += 0.5 * q->c[k] * d * d;
        f[k] = -q->c[k] * d;
    }
    return GN_OK;
}

static const double qc[12] = {1, 2, 5, 10, 0.5, 3, 7, 1.5, 4, 8, 2.5, 6};
static const double qx0[12] = {0.3, -1.2, 2.0, 0.0, 1.1, -0.4, 0.9, 0.2, -2.2, 1.7, 0.6, -0.8};

static void check_quadratic(gn_fire_variant v)
{
    double x[12] = {0};
    quad q = {.n = 12, .c = qc, .x0 = qx0};
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &q};
    gn_fire_opts o;
    gn_fire_opts_default(&o, v);
    o.fmax = 1e-6;
    o.max_steps = 5000;
    gn_fire_result r;
    gn_error err;
    gn_assert_ok(gn_fire_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    assert_true(r.fmax < 1e-6);
    assert_int_equal((int)r.evals, r.steps + 1);
    /* |x - x0| <= |f| / c with c >= 0.5 */
    for (int k = 0; k < 12; k++)
        gn_assert_near(x[k], qx0[k], 2e-6 / 0.5);
    gn_assert_near(r.energy, 0.0, 1e-11);
    print_message("quadratic FIRE %d: %d steps\n", (int)v, r.steps);
}

static void test_quadratic_fire1(void **state) { (void)state; check_quadratic(GN_FIRE_1); }
static void test_quadratic_fire2(void **state) { (void)state; check_quadratic(GN_FIRE_2); }

/* Rosenbrock: E = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
static int rosen_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    (void)ctx;
    (void)err;
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    *e = a * a + 100.0 * b * b;
    f[0] = 2.0 * a + 400.0 * b * x[0];
    f[1] = -200.0 * b;
    return GN_OK;
}

static void check_rosenbrock(gn_fire_variant v)
{
    double x[2] = {-1.2, 1.0};
    gn_objective obj = {.nparticles = 1, .dim = 2, .eval = rosen_eval};
    gn_fire_opts o;
    gn_fire_opts_default(&o, v);
    o.fmax = 1e-7;
    o.max_steps = 100000;
    o.dt = 0.002;
    o.dt_max = 0.02;
    o.dt_min = 0.0;
    o.max_move = 0.1;
    gn_fire_result r;
    gn_error err;
    gn_assert_ok(gn_fire_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    /* near the minimum the Hessian's smallest eigenvalue is about 0.4: |dx| < fmax / 0.4 */
    gn_assert_near(x[0], 1.0, 1e-6);
    gn_assert_near(x[1], 1.0, 2e-6);
    print_message("Rosenbrock FIRE %d: %d steps\n", (int)v, r.steps);
}

static void test_rosenbrock_fire1(void **state) { (void)state; check_rosenbrock(GN_FIRE_1); }
static void test_rosenbrock_fire2(void **state) { (void)state; check_rosenbrock(GN_FIRE_2); }

/* Fixed components keep their exact value, the rest still reach the minimum. */
static void check_fixed(gn_fire_variant v)
{
    double x[12], start[12];
    for (int k = 0; k < 12; k++)
        x[k] = start[k] = 0.37 * k - 1.0;
    unsigned char mask[12] = {1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1};
    quad q = {.n = 12, .c = qc, .x0 = qx0};
    gn_objective obj = {.nparticles = 4, .dim = 3, .mask = mask, .eval = quad_eval, .ctx = &q};
    gn_fire_opts o;
    gn_fire_opts_default(&o, v);
    o.fmax = 1e-6;
    o.max_steps = 5000;
    gn_fire_result r;
    gn_error err;
    gn_assert_ok(gn_fire_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    for (int k = 0; k < 12; k++) {
        if (!mask[k])
            assert_true(x[k] == start[k]); /* bit for bit */
        else
            gn_assert_near(x[k], qx0[k], 4e-6);
    }
    /* the fixed components' forces are large, yet fmax ignores them */
    assert_true(r.fmax < 1e-6);
}

static void test_fixed_fire1(void **state) { (void)state; check_fixed(GN_FIRE_1); }
static void test_fixed_fire2(void **state) { (void)state; check_fixed(GN_FIRE_2); }

/* No particle moves more than max_move between two evaluations. A far-away start makes the
 * unlimited steps much longer than the limit. */
static void check_max_move(gn_fire_variant v)
{
    double x[12];
    for (int k = 0; k < 12; k++)
        x[k] = 30.0 * (k % 2 ? 1 : -1);
    quad q = {.n = 12, .c = qc, .x0 = qx0, .cap = 20000};
    q.trace = malloc(q.cap * q.n * sizeof *q.trace);
    assert_non_null(q.trace);
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &q};
    gn_fire_opts o;
    gn_fire_opts_default(&o, v);
    o.fmax = 1e-4;
    o.max_steps = 10000;
    o.max_move = 0.05;
    gn_fire_result r;
    gn_error err;
    gn_assert_ok(gn_fire_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    double longest = 0.0;
    int limited = 0;
    for (size_t t = 1; t < q.ntrace; t++)
        for (size_t p = 0; p < 4; p++) {
            double s = 0.0;
            for (int c = 0; c < 3; c++) {
                double d = q.trace[t * 12 + p * 3 + c] - q.trace[(t - 1) * 12 + p * 3 + c];
                s += d * d;
            }
            s = sqrt(s);
            longest = fmax(longest, s);
            limited += s > 0.999 * o.max_move;
        }
    assert_true(longest <= o.max_move * (1.0 + 1e-12));
    assert_true(limited > 10); /* the limit was really active */
    free(q.trace);
}

static void test_max_move_fire1(void **state) { (void)state; check_max_move(GN_FIRE_1); }
static void test_max_move_fire2(void **state) { (void)state; check_max_move(GN_FIRE_2); }

static void test_cap_and_failures(void **state)
{
    (void)state;
    double x[12] = {0};
    quad q = {.n = 12, .c = qc, .x0 = qx0};
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &q};
    gn_fire_opts o;
    gn_fire_opts_default(&o, GN_FIRE_1);
    o.max_steps = 3;
    gn_fire_result r;
    gn_error err;
    /* not converging within the cap is a reported state, not an error */
    gn_assert_ok(gn_fire_minimize(&obj, x, &o, &r, &err), &err);
    assert_false(r.converged);
    assert_int_equal(r.steps, 3);
    assert_int_equal((int)r.evals, 4);
    /* the objective's failure propagates with its code and message */
    q.fail_at = q.calls + 3;
    assert_int_equal(gn_fire_minimize(&obj, x, &o, &r, &err), GN_ERANGE);
    assert_non_null(strstr(err.msg, "synthetic"));
    /* bad options */
    o.fmax = -1.0;
    assert_int_equal(gn_fire_minimize(&obj, x, &o, &r, &err), GN_EINVAL);
    gn_fire_opts_default(&o, GN_FIRE_2);
    o.max_move = 0.0;
    assert_int_equal(gn_fire_minimize(&obj, x, &o, &r, &err), GN_EINVAL);
}

static void test_defaults(void **state)
{
    (void)state;
    gn_fire_opts o;
    gn_fire_opts_default(&o, GN_FIRE_1);
    /* Bitzek et al. 2006 */
    assert_int_equal(o.n_min, 5);
    gn_assert_near(o.f_inc, 1.1, 0);
    gn_assert_near(o.f_dec, 0.5, 0);
    gn_assert_near(o.alpha_start, 0.1, 0);
    gn_assert_near(o.f_alpha, 0.99, 0);
    gn_assert_near(o.dt_max, 10 * o.dt, 1e-15);
    gn_fire_opts_default(&o, GN_FIRE_2);
    /* Guenole et al. 2020 */
    assert_int_equal(o.n_min, 20);
    gn_assert_near(o.alpha_start, 0.25, 0);
    gn_assert_near(o.dt_min, 0.02 * o.dt, 1e-15);
    assert_int_equal(o.max_uphill, 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quadratic_fire1), cmocka_unit_test(test_quadratic_fire2),
        cmocka_unit_test(test_rosenbrock_fire1), cmocka_unit_test(test_rosenbrock_fire2),
        cmocka_unit_test(test_fixed_fire1),     cmocka_unit_test(test_fixed_fire2),
        cmocka_unit_test(test_max_move_fire1),  cmocka_unit_test(test_max_move_fire2),
        cmocka_unit_test(test_cap_and_failures), cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
