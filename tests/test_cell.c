/* Tests of the cell module: fractional coordinates and the minimum-image convention in
 * triclinic cells, checked against a brute-force search over many images. */
#include "gn_test.h"

static double norm3(const double d[3]) { return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]); }

/* Brute force: the shortest d + n.h over |n_k| <= 24 along periodic directions (the sheared test cell has lattice vectors much shorter than its basis vectors, so images far out in n matter). */
static void brute_min_image(const gn_cell *c, const double d[3], double out[3])
{
    double best = INFINITY;
    int r[3];
    for (int k = 0; k < 3; k++)
        r[k] = c->pbc[k] ? 24 : 0;
    for (int i = -r[0]; i <= r[0]; i++)
        for (int j = -r[1]; j <= r[1]; j++)
            for (int k = -r[2]; k <= r[2]; k++) {
                double v[3];
                for (int x = 0; x < 3; x++)
                    v[x] = d[x] + i * c->h[0][x] + j * c->h[1][x] + k * c->h[2][x];
                if (norm3(v) < best) {
                    best = norm3(v);
                    memcpy(out, v, sizeof v);
                }
            }
}

static void check_cell(const double h[3][3], const int pbc[3], gn_rng *rng)
{
    gn_cell c;
    gn_error err;
    gn_assert_ok(gn_cell_init(&c, h, pbc, &err), &err);
    for (int t = 0; t < 150; t++) {
        double d[3], e[3], b[3] = {0, 0, 0};
        for (int x = 0; x < 3; x++)
            d[x] = (gn_rng_uniform(rng) - 0.5) * 20.0;
        memcpy(e, d, sizeof d);
        gn_cell_min_image(&c, e);
        brute_min_image(&c, d, b);
        gn_assert_near(norm3(e), norm3(b), 1e-9);
        /* e must differ from d by a lattice vector */
        double s[3], diff[3] = {e[0] - d[0], e[1] - d[1], e[2] - d[2]};
        gn_cell_to_frac(&c, diff, s);
        for (int k = 0; k < 3; k++)
            gn_assert_near(s[k], round(s[k]), 1e-9);
    }
}

static void test_min_image_orthorhombic(void **state)
{
    (void)state;
    gn_rng rng = {12345};
    const double h[3][3] = {{4, 0, 0}, {0, 5, 0}, {0, 0, 6}};
    const int pbc[3] = {1, 1, 1};
    check_cell(h, pbc, &rng);
}

static void test_min_image_triclinic(void **state)
{
    (void)state;
    gn_rng rng = {777};
    /* A strongly sheared cell where wrapping fractional coordinates alone gives wrong answers. */
    const double h[3][3] = {{4, 0, 0}, {3.7, 1.2, 0}, {1.9, -2.3, 3.1}};
    const int pbc[3] = {1, 1, 1};
    check_cell(h, pbc, &rng);
    const double fcc[3][3] = {{0, 1.96, 1.96}, {1.96, 0, 1.96}, {1.96, 1.96, 0}};
    check_cell(fcc, pbc, &rng);
}

static void test_min_image_slab(void **state)
{
    (void)state;
    gn_rng rng = {99};
    const double h[3][3] = {{5.5, 0, 0}, {2.0, 5.0, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    check_cell(h, pbc, &rng);
    gn_cell c;
    gn_error err;
    gn_assert_ok(gn_cell_init(&c, h, pbc, &err), &err);
    /* along the free direction nothing wraps */
    double d[3] = {0, 0, 40.0};
    gn_cell_min_image(&c, d);
    gn_assert_near(d[2], 40.0, 1e-12);
}

static void test_frac_roundtrip_and_errors(void **state)
{
    (void)state;
    const double h[3][3] = {{4, 0.3, 0}, {1, 5, 0}, {0.2, 0.1, 6}};
    const int pbc[3] = {1, 1, 1};
    gn_cell c;
    gn_error err;
    gn_assert_ok(gn_cell_init(&c, h, pbc, &err), &err);
    double r[3] = {1.234, -5.6, 7.8}, s[3], back[3];
    gn_cell_to_frac(&c, r, s);
    gn_cell_to_cart(&c, s, back);
    for (int k = 0; k < 3; k++)
        gn_assert_near(back[k], r[k], 1e-12);
    gn_assert_near(gn_cell_volume(&c), fabs(4 * (5 * 6 - 0) - 0.3 * (1 * 6 - 0) + 0), 1e-9);
    const double sing[3][3] = {{1, 0, 0}, {2, 0, 0}, {0, 0, 1}};
    assert_int_equal(gn_cell_init(&c, sing, pbc, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "singular"));
    const double zero[3][3] = {{0}};
    assert_int_equal(gn_cell_init(&c, zero, pbc, &err), GN_EINVAL);
    const int nopbc[3] = {0, 0, 0};
    gn_assert_ok(gn_cell_init(&c, zero, nopbc, &err), &err);
    gn_assert_near(gn_cell_volume(&c), 1.0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_min_image_orthorhombic),
        cmocka_unit_test(test_min_image_triclinic),
        cmocka_unit_test(test_min_image_slab),
        cmocka_unit_test(test_frac_roundtrip_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
