/* Tests of the cell module: fractional coordinates and the minimum-image convention in
 * triclinic cells, checked against a brute-force search over many images. */
#include "gn_test.h"

#include <unistd.h>

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

/* The image search is bounded by the periodic directions alone: an atom 1e6 Å (or 1e12 Å) out in
 * a free direction costs no more than a neighbour (the search used to grow with the whole distance:
 * 1e6 Å never finished, beyond 2e10 Å the image count overflowed an int). A tilted free vector
 * and a single periodic direction are covered as well. The alarm turns a hang into a failure. */
static void test_min_image_far_free(void **state)
{
    (void)state;
    alarm(20);
    gn_rng rng = {4242};
    gn_cell c;
    gn_error err;
    const double slab[3][3] = {{5.5, 0, 0}, {2.0, 5.0, 0}, {0, 0, 0}};
    const int pbc2[3] = {1, 1, 0};
    gn_assert_ok(gn_cell_init(&c, slab, pbc2, &err), &err);
    const double far[] = {1e4, 1e6, 1e12, -3e15};
    for (size_t f = 0; f < sizeof far / sizeof *far; f++) {
        double d[3] = {3.1, -2.2, far[f]}, near[3] = {3.1, -2.2, 0.0}, b[3];
        gn_cell_min_image(&c, d);
        brute_min_image(&c, near, b);
        gn_assert_near(d[0], b[0], 1e-9);
        gn_assert_near(d[1], b[1], 1e-9);
        gn_assert_near(d[2], far[f], 0);
    }
    /* far along a periodic direction: wrapped back into the cell, finite */
    double d[3] = {1e12, 0, 0};
    gn_cell_min_image(&c, d);
    assert_true(isfinite(d[0]) && fabs(d[0]) <= 5.5 && fabs(d[1]) <= 5.0);
    /* one periodic direction (the e2e model: x along the edge), and a tilted free vector */
    const double wire[3][3] = {{5.5, 0, 0}, {1.0, 7.0, 0}, {2.0, 1.0, 9.0}};
    const int pbc1[3] = {1, 0, 0};
    check_cell(wire, pbc1, &rng);
    gn_assert_ok(gn_cell_init(&c, wire, pbc1, &err), &err);
    double e[3] = {2.0 + 5.5 * 3, 1e6, -1e6};
    gn_cell_min_image(&c, e);
    gn_assert_near(e[0], 2.0, 1e-6);
    gn_assert_near(e[1], 1e6, 0);
    gn_assert_near(e[2], -1e6, 0);
    const double tilted[3][3] = {{5.5, 0, 0}, {2.0, 5.0, 0}, {3.0, -4.0, 8.0}};
    check_cell(tilted, pbc2, &rng);
    alarm(0);
}

/* Cells that would overflow or make the image search endless are refused up front. */
static void test_absurd_cells(void **state)
{
    (void)state;
    gn_cell c;
    gn_error err;
    const int pbc2[3] = {1, 1, 0};
    const double huge[3][3] = {{1e200, 0, 0}, {0, 1e200, 0}, {0, 0, 0}};
    assert_int_equal(gn_cell_init(&c, huge, pbc2, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "cell vector 1 is 1e+200 Å long"));
    const double sliver[3][3] = {{100, 0, 0}, {100, 1e-4, 0}, {0, 0, 0}};
    assert_int_equal(gn_cell_init(&c, sliver, pbc2, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "too nearly parallel"));
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
        cmocka_unit_test(test_min_image_far_free),
        cmocka_unit_test(test_absurd_cells),
        cmocka_unit_test(test_frac_roundtrip_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
