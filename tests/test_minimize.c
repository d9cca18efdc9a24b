/* Tests of the FIRE minimiser (both variants) and of L-BFGS: known minima of a quadratic and of
 * the Rosenbrock function, fixed components that never move, the per-particle step limit, the
 * iteration cap as a reported state, failing objectives; for L-BFGS also the exact Newton step
 * on a 1D quadratic once it has measured the curvature, the reset at negative curvature and when
 * the objective changes. Units are those of the objective (Å, eV, eV/Å). */
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

/* No particle of the 4x3 trace moved more than max_move between two evaluations, and the limit
 * was really active (more than 10 moves at it). */
static void check_steps(const quad *q, double max_move)
{
    double longest = 0.0;
    int limited = 0;
    for (size_t t = 1; t < q->ntrace; t++)
        for (size_t p = 0; p < 4; p++) {
            double s = 0.0;
            for (int c = 0; c < 3; c++) {
                double d = q->trace[t * 12 + p * 3 + c] - q->trace[(t - 1) * 12 + p * 3 + c];
                s += d * d;
            }
            longest = fmax(longest, sqrt(s));
            limited += sqrt(s) > 0.999 * max_move;
        }
    assert_true(longest <= max_move * (1.0 + 1e-12));
    assert_true(limited > 10);
}

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
    check_steps(&q, o.max_move);
    free(q.trace);
}

static void test_max_move_fire1(void **state) { (void)state; check_max_move(GN_FIRE_1); }
static void test_max_move_fire2(void **state) { (void)state; check_max_move(GN_FIRE_2); }

/* ---- L-BFGS ---- */

static gn_lbfgs_opts lbfgs_opts(double fmax, int max_steps, double max_move)
{
    gn_lbfgs_opts o;
    gn_lbfgs_opts_default(&o);
    o.fmax = fmax;
    o.max_steps = max_steps;
    o.max_move = max_move;
    return o;
}

static void test_lbfgs_quadratic(void **state)
{
    (void)state;
    gn_error err;
    gn_min_result r;
    /* 1D, c = 4: the first step is H0 f; its (s, y) pair gives the curvature exactly, so the
     * second step is Newton's and lands on the minimum: 3 evaluations */
    {
        const double c[1] = {4.0}, x0[1] = {0.7};
        double x[1] = {0.0};
        quad q = {.n = 1, .c = c, .x0 = x0};
        gn_objective obj = {.nparticles = 1, .dim = 1, .eval = quad_eval, .ctx = &q};
        gn_lbfgs_opts o = lbfgs_opts(1e-10, 100, 1.0);
        gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
        assert_true(r.converged);
        assert_int_equal((int)r.evals, 3);
        gn_assert_near(x[0], 0.7, 1e-14);
    }
    /* 12D, curvatures 0.5 .. 10 */
    double x[12] = {0};
    quad q = {.n = 12, .c = qc, .x0 = qx0};
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &q};
    gn_lbfgs_opts o = lbfgs_opts(1e-6, 5000, 0.2);
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    assert_int_equal((int)r.evals, r.steps + 1);
    for (int k = 0; k < 12; k++)
        gn_assert_near(x[k], qx0[k], 2e-6 / 0.5);
    print_message("quadratic L-BFGS: %d steps, %d resets\n", r.steps, r.resets);
    /* a quasi-Newton method on a quadratic: far fewer steps than FIRE */
    double xf[12] = {0};
    gn_fire_opts fo;
    gn_fire_opts_default(&fo, GN_FIRE_2);
    fo.fmax = 1e-6;
    fo.max_steps = 5000;
    gn_fire_result rf;
    gn_assert_ok(gn_fire_minimize(&obj, xf, &fo, &rf, &err), &err);
    assert_true(r.steps < rf.steps / 2);
}

static void test_lbfgs_rosenbrock(void **state)
{
    (void)state;
    double x[2] = {-1.2, 1.0};
    gn_objective obj = {.nparticles = 1, .dim = 2, .eval = rosen_eval};
    gn_lbfgs_opts o = lbfgs_opts(1e-7, 100000, 0.1);
    gn_min_result r;
    gn_error err;
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    gn_assert_near(x[0], 1.0, 1e-6);
    gn_assert_near(x[1], 1.0, 2e-6);
    print_message("Rosenbrock L-BFGS: %d steps, %d resets\n", r.steps, r.resets);
}

static int lbfgs_fn(void *ctx, const gn_objective *obj, double *x, gn_min_result *res,
                    gn_error *err)
{
    return gn_lbfgs_minimize(obj, x, ctx, res, err);
}

static void test_lbfgs_fixed_and_max_move(void **state)
{
    (void)state;
    double x[12], start[12];
    for (int k = 0; k < 12; k++)
        x[k] = start[k] = 30.0 * (k % 2 ? 1 : -1);
    unsigned char mask[12] = {1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1};
    quad q = {.n = 12, .c = qc, .x0 = qx0, .cap = 20000};
    q.trace = malloc(q.cap * q.n * sizeof *q.trace);
    assert_non_null(q.trace);
    gn_objective obj = {.nparticles = 4, .dim = 3, .mask = mask, .eval = quad_eval, .ctx = &q};
    gn_lbfgs_opts o = lbfgs_opts(1e-6, 10000, 0.05);
    gn_min_result r;
    gn_error err;
    gn_assert_ok(lbfgs_fn(&o, &obj, x, &r, &err), &err);
    assert_true(r.converged);
    assert_true(r.fmax < 1e-6);
    check_steps(&q, o.max_move);
    for (int k = 0; k < 12; k++) {
        if (!mask[k])
            assert_true(x[k] == start[k]);
        else
            gn_assert_near(x[k], qx0[k], 4e-6);
    }
    free(q.trace);
}

/* E = x^4 - x^2: negative curvature for |x| < 1/sqrt6, minima at +-1/sqrt2. From x = 0.05 the
 * first pair has s.y < 0: the memory must be reset, and the minimum still reached. */
static int well_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    (void)ctx;
    (void)err;
    *e = x[0] * x[0] * (x[0] * x[0] - 1.0);
    f[0] = 2.0 * x[0] - 4.0 * x[0] * x[0] * x[0];
    return GN_OK;
}

/* A quadratic whose minimum jumps at the 6th evaluation, and says so through its version. */
typedef struct jumping {
    quad q;
    unsigned version;
    double x0b[12];
} jumping;

static int jump_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    jumping *j = ctx;
    if (j->q.calls == 5) {
        j->q.x0 = j->x0b;
        j->version++;
    }
    return quad_eval(&j->q, x, e, f, err);
}

static void test_lbfgs_resets(void **state)
{
    (void)state;
    gn_error err;
    gn_min_result r;
    double x[12] = {0.05};
    gn_objective w = {.nparticles = 1, .dim = 1, .eval = well_eval};
    gn_lbfgs_opts o = lbfgs_opts(1e-9, 1000, 0.2);
    gn_assert_ok(gn_lbfgs_minimize(&w, x, &o, &r, &err), &err);
    assert_true(r.converged);
    assert_true(r.resets >= 1);
    gn_assert_near(x[0], 1.0 / sqrt(2.0), 1e-9);
    print_message("double well L-BFGS: %d steps, %d resets\n", r.steps, r.resets);

    jumping j = {.q = {.n = 12, .c = qc, .x0 = qx0}};
    for (int k = 0; k < 12; k++) {
        j.x0b[k] = -qx0[k];
        x[k] = 0.0;
    }
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = jump_eval, .ctx = &j,
                        .version = &j.version};
    o.fmax = 1e-6;
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.converged);
    assert_int_equal(j.version, 1);
    assert_true(r.resets >= 1);
    for (int k = 0; k < 12; k++)
        gn_assert_near(x[k], -qx0[k], 4e-6);
    /* bad options, failing objective */
    o.memory = 0;
    assert_int_equal(gn_lbfgs_minimize(&obj, x, &o, &r, &err), GN_EINVAL);
    o = lbfgs_opts(1e-6, 100, 0.0);
    assert_int_equal(gn_lbfgs_minimize(&obj, x, &o, &r, &err), GN_EINVAL);
    o = lbfgs_opts(1e-12, 100, 0.2);
    quad q = {.n = 12, .c = qc, .x0 = qx0, .fail_at = 4};
    obj = (gn_objective){.nparticles = 4, .dim = 3, .eval = quad_eval, .ctx = &q};
    assert_int_equal(gn_lbfgs_minimize(&obj, x, &o, &r, &err), GN_ERANGE);
    gn_minimizer m;
    assert_int_equal(gn_minimizer_parse("lbfgs", &m, &err), GN_OK);
    assert_int_equal(m, GN_MIN_LBFGS);
    assert_string_equal(gn_minimizer_name(GN_MIN_FIRE), "fire");
    assert_int_equal(gn_minimizer_parse("bfgs", &m, &err), GN_EINVAL);
}

/* A 1D pull towards x = 100 that becomes 10 times stronger from the 4th evaluation on, unannounced
 * (no version): the step after that jump must be at most half of max_move, the cap then grow
 * back by half per step. */
typedef struct pull {
    int calls;
    double x[64];
} pull;

static int pull_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    (void)err;
    pull *p = ctx;
    if (p->calls < 64)
        p->x[p->calls] = x[0];
    double c = ++p->calls >= 4 ? 10.0 : 1.0;
    *e = 0.5 * c * (x[0] - 100.0) * (x[0] - 100.0);
    f[0] = c * (100.0 - x[0]);
    return GN_OK;
}

static void test_lbfgs_step_cap(void **state)
{
    (void)state;
    pull p = {0};
    double x[1] = {0.0};
    gn_objective obj = {.nparticles = 1, .dim = 1, .eval = pull_eval, .ctx = &p};
    gn_lbfgs_opts o = lbfgs_opts(1e-9, 8, 0.5);
    gn_min_result r;
    gn_error err;
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    /* evaluations 1-3 at the pull of 1: steps of 0.5 after the short H0 step; the 4th sees 10x */
    gn_assert_near(p.x[2] - p.x[1], 0.5, 1e-12);
    gn_assert_near(p.x[3] - p.x[2], 0.5, 1e-12);
    gn_assert_near(p.x[4] - p.x[3], 0.25, 1e-12);
    gn_assert_near(p.x[5] - p.x[4], 0.375, 1e-12);
    gn_assert_near(p.x[6] - p.x[5], 0.5, 1e-12);
    assert_true(r.resets >= 1);
}

/* An objective whose forces are 1000 times larger from the 6th evaluation on: for the minimiser
 * they never come back below 10 times the lowest it saw within the next steps. With patience,
 * L-BFGS stops as stalled, back at that lowest fmax (evaluated once more there); without, it goes
 * on and minimises the steeper quadratic. */
static int lost_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    quad *q = ctx;
    int rc = quad_eval(q, x, e, f, err);
    if (q->calls >= 6)
        for (size_t k = 0; k < q->n; k++)
            f[k] *= 1000.0;
    return rc;
}

static void test_lbfgs_patience(void **state)
{
    (void)state;
    gn_error err;
    gn_min_result r;
    double x[12] = {0};
    quad q = {.n = 12, .c = qc, .x0 = qx0, .cap = 200};
    q.trace = malloc(q.cap * q.n * sizeof *q.trace);
    assert_non_null(q.trace);
    gn_objective obj = {.nparticles = 4, .dim = 3, .eval = lost_eval, .ctx = &q};
    gn_lbfgs_opts o = lbfgs_opts(1e-9, 100, 0.2);
    o.patience = 10;
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    assert_true(r.stalled);
    assert_false(r.converged);
    assert_int_equal(r.steps, 4 + 10);
    /* back at the 5th evaluation (the last before the forces grew), evaluated again */
    assert_int_equal((int)r.evals, r.steps + 2);
    for (int k = 0; k < 12; k++)
        assert_true(x[k] == q.trace[4 * 12 + k]);
    o.patience = 0;
    memset(x, 0, sizeof x);
    q.calls = 0;
    q.ntrace = 0;
    gn_assert_ok(gn_lbfgs_minimize(&obj, x, &o, &r, &err), &err);
    assert_false(r.stalled);
    assert_true(r.converged);
    assert_true(r.steps > 14);
    free(q.trace);
}

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
        cmocka_unit_test(test_lbfgs_quadratic), cmocka_unit_test(test_lbfgs_rosenbrock),
        cmocka_unit_test(test_lbfgs_fixed_and_max_move), cmocka_unit_test(test_lbfgs_resets),
        cmocka_unit_test(test_lbfgs_step_cap), cmocka_unit_test(test_lbfgs_patience),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
