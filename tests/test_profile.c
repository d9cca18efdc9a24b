/* Tests of the cubic Hermite energy profile: exact for cubic energies, the maximum found inside a
 * segment, no maxima extrapolated outside a segment, interior minima with their depth and the
 * merging of dips that no real maximum separates. Reaction coordinate Å, energy eV, force eV/Å. */
#include "gn_test.h"

/* E(s) = 3 s^2 - 2 s^3: maximum 1 at s = 1, F = -E' = -6 s + 6 s^2. */
static double cub_e(double s) { return 3 * s * s - 2 * s * s * s; }
static double cub_f(double s) { return -6 * s + 6 * s * s; }

static void test_cubic_exact(void **state)
{
    (void)state;
    const double s[5] = {0.0, 0.4, 0.7, 1.2, 1.5};
    double e[5], f[5];
    for (int i = 0; i < 5; i++) {
        e[i] = cub_e(s[i]);
        f[i] = cub_f(s[i]);
    }
    /* a Hermite cubic with exact end values and slopes reproduces a cubic exactly */
    for (int t = 0; t <= 300; t++) {
        double x = 1.5 * t / 300.0;
        gn_assert_near(gn_profile_eval(5, s, e, f, x), cub_e(x), 1e-12);
    }
    double sm, em;
    int seg = gn_profile_max(5, s, e, f, &sm, &em);
    assert_int_equal(seg, 2);
    gn_assert_near(sm, 1.0, 1e-9);
    gn_assert_near(em, 1.0, 1e-12);
    /* clamped outside the band */
    gn_assert_near(gn_profile_eval(5, s, e, f, -1.0), e[0], 0);
    gn_assert_near(gn_profile_eval(5, s, e, f, 9.0), e[4], 0);
}

static void test_sine(void **state)
{
    (void)state;
    /* E = sin(s) on [0, pi] from 6 images: maximum near pi/2 within the cubic's error */
    double s[6], e[6], f[6];
    for (int i = 0; i < 6; i++) {
        s[i] = M_PI * i / 5.0;
        e[i] = sin(s[i]);
        f[i] = -cos(s[i]);
    }
    double sm, em;
    gn_profile_max(6, s, e, f, &sm, &em);
    gn_assert_near(em, 1.0, 2e-3);
    gn_assert_near(sm, M_PI / 2, 1e-2);
    assert_true(em > e[2]); /* the interpolated maximum lies above every image */
}

static void test_no_extrapolation(void **state)
{
    (void)state;
    /* One segment from 0 to 1 eV over 1 Å with F = -1.5 and -0.5 eV/Å: the cubic is
     * U(f) = 1.5 f - 0.5 f^2 (c3 = 0), still rising at f = 1, with its maximum 1.125 eV at f = 1.5,
     * outside the segment. That maximum must not count: the profile's maximum is the upper image. */
    const double s[2] = {0.0, 1.0}, e[2] = {0.0, 1.0};
    const double f[2] = {-1.5, -0.5};
    for (int t = 0; t <= 10; t++) {
        double x = t / 10.0;
        gn_assert_near(gn_profile_eval(2, s, e, f, x), 1.5 * x - 0.5 * x * x, 1e-14);
    }
    double sm, em;
    gn_profile_max(2, s, e, f, &sm, &em);
    gn_assert_near(em, 1.0, 0);
    gn_assert_near(sm, 1.0, 0);
    /* and a falling segment after it: the maximum stays the middle image */
    const double s3[3] = {0.0, 1.0, 2.0}, e3[3] = {0.0, 1.0, 0.0}, f3[3] = {-1.5, -0.5, 1.5};
    gn_profile_max(3, s3, e3, f3, &sm, &em);
    assert_true(em >= 1.0 && em < 1.125);
}

static void test_sample(void **state)
{
    (void)state;
    const double s[3] = {0.0, 1.0, 2.5}, e[3] = {0.0, 0.3, -0.1}, f[3] = {0.0, 0.0, 0.0};
    double *xs, *ys;
    size_t np;
    gn_error err;
    gn_assert_ok(gn_profile_sample(3, s, e, f, 10, &xs, &ys, &np, &err), &err);
    assert_int_equal((int)np, 21);
    gn_assert_near(xs[0], 0.0, 0);
    gn_assert_near(xs[10], 1.0, 1e-15);
    gn_assert_near(ys[10], 0.3, 1e-15);
    gn_assert_near(xs[20], 2.5, 0);
    gn_assert_near(ys[20], -0.1, 0);
    /* with zero forces the midpoint is the mean of the two images (smoothstep) */
    gn_assert_near(ys[5], 0.15, 1e-15);
    free(xs);
    free(ys);
    assert_int_equal(gn_profile_sample(3, s, e, f, 0, &xs, &ys, &np, &err), GN_EINVAL);
}

/* E(s) = 1 - cos(2 pi s) on [0, 2], images with exact forces. */
static void well(int n, double *s, double *e, double *f)
{
    for (int i = 0; i < n; i++) {
        s[i] = 2.0 * i / (n - 1);
        e[i] = 1 - cos(2 * M_PI * s[i]);
        f[i] = -2 * M_PI * sin(2 * M_PI * s[i]);
    }
}

/* E(s) = 20 max(0, |s - 1| - 0.2)^4 + b exp(-((s - 1) / 0.05)^2): a flat-bottomed well on
 * [0, 2] with a bump of height b in its middle, so two dips whose separating maximum is b. */
static void bumped(int n, double b, double *s, double *e, double *f)
{
    for (int i = 0; i < n; i++) {
        double x = 2.0 * i / (n - 1), d = fabs(x - 1) - 0.2, g = exp(-pow((x - 1) / 0.05, 2));
        double w = d > 0 ? 20 * pow(d, 4) : 0, dw = d > 0 ? 80 * pow(d, 3) * (x > 1 ? 1 : -1) : 0;
        s[i] = x;
        e[i] = w + b * g;
        f[i] = -(dw - b * g * 2 * (x - 1) / 0.0025);
    }
}

static void test_minima(void **state)
{
    (void)state;
    double s[201], e[201], f[201];
    gn_profile_min m[4];
    /* one interior minimum at s = 1, 2 deep (between maxima of 2 at 0.5 and 1.5), from 10
     * images none of which is at s = 1: found inside a segment */
    well(10, s, e, f);
    assert_int_equal(gn_profile_minima(10, s, e, f, 1.0, m, 4), 1);
    gn_assert_near(m[0].s, 1.0, 0.02);
    gn_assert_near(m[0].e, 0.0, 0.02);
    gn_assert_near(m[0].depth, 2.0, 0.05);
    assert_true(m[0].f > 0 && m[0].f < 1);
    gn_assert_near(m[0].s, s[m[0].segment] + m[0].f * (s[m[0].segment + 1] - s[m[0].segment]),
                   1e-12);
    assert_int_equal(gn_profile_minima(10, s, e, f, 2.5, m, 4), 0); /* shallower than tol */
    /* a bump of 0.5 meV splits the well into two dips: one minimum at a tolerance above the
     * bump, two below it */
    bumped(201, 5e-4, s, e, f);
    size_t n1 = gn_profile_minima(201, s, e, f, 1e-3, m, 4);
    size_t n2 = gn_profile_minima(201, s, e, f, 1e-4, m, 4);
    assert_int_equal(n1, 1);
    assert_int_equal(n2, 2);
    assert_true(m[0].s < 1.0 && m[1].s > 1.0);
    /* the endpoints are never interior minima */
    well(10, s, e, f);
    assert_int_equal(gn_profile_minima(3, s, e, f, 1e-3, m, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cubic_exact),
        cmocka_unit_test(test_sine),
        cmocka_unit_test(test_no_extrapolation),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_minima),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
