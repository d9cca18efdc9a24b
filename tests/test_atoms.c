/* Tests of atoms, elements and file helpers: validation messages, compatibility of endpoints,
 * atomic writes that leave the target untouched on failure. */
#include "gn_test.h"

#include <sys/stat.h>
#include <unistd.h>

static gn_atoms *dimer(double r)
{
    gn_atoms *a;
    gn_error err;
    assert_int_equal(gn_atoms_alloc(&a, 0, &err), GN_OK);
    const double p0[3] = {0, 0, 0}, p1[3] = {r, 0, 0};
    assert_int_equal(gn_atoms_push(a, 78, p0, 0, &err), GN_OK);
    assert_int_equal(gn_atoms_push(a, 78, p1, 1, &err), GN_OK);
    return a;
}

static void test_elements(void **state)
{
    (void)state;
    assert_int_equal(gn_element_z("Pt"), 78);
    assert_int_equal(gn_element_z("Xx"), -1);
    assert_string_equal(gn_element_symbol(79), "Au");
    gn_assert_near(gn_element_mass(78), 195.08, 1e-9);
}

static void test_push_validate(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a = dimer(2.77);
    assert_int_equal(a->n, 2);
    assert_int_equal(gn_atoms_nmovable(a), 1);
    gn_assert_near(a->mass[1], 195.08, 1e-12);
    gn_assert_ok(gn_atoms_validate(a, "d.xyz", 0.5, &err), &err);
    a->pos[3] = 0.3;
    assert_int_equal(gn_atoms_validate(a, "d.xyz", 0.5, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "d.xyz"));
    assert_non_null(strstr(err.msg, "atoms 1 and 2"));
    a->pos[3] = NAN;
    assert_int_equal(gn_atoms_validate(a, "d.xyz", 0.5, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "non-finite"));
    gn_atoms_free(a);
}

static void test_periodic_closeness(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a = dimer(3.9);
    const double h[3][3] = {{4.0, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    const int pbc[3] = {1, 0, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    /* 3.9 Å apart directly but 0.1 Å through the boundary */
    assert_int_equal(gn_atoms_validate(a, "p", 0.5, &err), GN_EINVAL);
    gn_atoms_free(a);
}

/* The closest-pair check (through a neighbour list) against a scan of every pair by minimum
 * image: the same first pair in (i, j) order, on random gases in a slab cell, some with no pair
 * close enough. */
static void test_close_pair_scan(void **state)
{
    (void)state;
    gn_rng rng = {12345};
    const double h[3][3] = {{9.0, 0, 0}, {2.0, 8.0, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_error err;
    for (int t = 0; t < 40; t++) {
        gn_atoms *a;
        assert_int_equal(gn_atoms_alloc(&a, 0, &err), GN_OK);
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
        size_t n = 5 + (size_t)(gn_rng_uniform(&rng) * 40);
        for (size_t i = 0; i < n; i++) {
            const double p[3] = {gn_rng_uniform(&rng) * 11.0, gn_rng_uniform(&rng) * 8.0,
                                 gn_rng_uniform(&rng) * 12.0};
            assert_int_equal(gn_atoms_push(a, 78, p, 0, &err), GN_OK);
        }
        const double lim = 0.5 + 1.5 * gn_rng_uniform(&rng);
        size_t bi = 0, bj = 0;
        double bd = 0.0;
        int want = 0;
        for (size_t i = 0; i < n && !want; i++)
            for (size_t j = i + 1; j < n && !want; j++) {
                double d[3];
                gn_atoms_displacement(a, i, j, d);
                double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                if (r < lim) {
                    want = 1;
                    bi = i, bj = j, bd = r;
                }
            }
        size_t i = 0, j = 0;
        double r = 0.0;
        assert_int_equal(gn_atoms_close_pair(a, lim, &i, &j, &r), want);
        if (want) {
            assert_int_equal(i, bi);
            assert_int_equal(j, bj);
            gn_assert_near(r, bd, 1e-9);
        }
        gn_atoms_free(a);
    }
}

static void test_compatible(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a = dimer(2.7), *b = dimer(2.7);
    b->pos[0] = -0.5; /* the free atom may move */
    gn_assert_ok(gn_atoms_compatible(a, b, &err), &err);
    b->z[1] = 79;
    assert_int_equal(gn_atoms_compatible(a, b, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "order/species differs at atom 2 (Pt in the initial, Au"));
    b->z[1] = 78;
    /* a fixed atom that moved 0.3 Å would make the barrier that of another set-up */
    b->pos[3] += 0.3;
    assert_int_equal(gn_atoms_compatible(a, b, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "fixed atom 2 moves 0.3 Å"));
    b->pos[3] -= 0.3;
    /* the same atoms listed in another order: the fixed flags disagree first */
    b->fixed[0] = 1;
    b->fixed[1] = 0;
    assert_int_equal(gn_atoms_compatible(a, b, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "order/species differs at atom 1"));
    gn_atoms_free(b);
    gn_atoms *c;
    gn_assert_ok(gn_atoms_copy(a, &c, &err), &err);
    const double p[3] = {5, 5, 5};
    gn_assert_ok(gn_atoms_push(c, 78, p, 0, &err), &err);
    assert_int_equal(gn_atoms_compatible(a, c, &err), GN_EINVAL);
    gn_atoms_free(a);
    gn_atoms_free(c);
}

static int failing_writer(FILE *fp, void *ctx, gn_error *err)
{
    (void)ctx;
    fputs("partial", fp);
    return gn_error_set(err, GN_EINVAL, "deliberate failure");
}

static void test_atomic_write(void **state)
{
    (void)state;
    gn_error err;
    char dir[] = "/tmp/gn_test_atomic_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sub/out.txt", dir);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    gn_assert_ok(gn_mkdir_p(sub, &err), &err);
    gn_assert_ok(gn_file_write_string(path, "first\n", &err), &err);
    assert_int_equal(gn_file_write_atomic(path, failing_writer, NULL, &err), GN_EINVAL);
    char *buf;
    size_t len;
    gn_assert_ok(gn_file_read_all(path, &buf, &len, &err), &err);
    assert_string_equal(buf, "first\n");
    free(buf);
    assert_int_equal(gn_file_read_all("/nonexistent/x", &buf, &len, &err), GN_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/x"));
    assert_string_equal(gn_path_ext("a/b.c/run.xyz"), "xyz");
    assert_string_equal(gn_path_ext("a/b.c/POSCAR"), "");
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elements),       cmocka_unit_test(test_push_validate),
        cmocka_unit_test(test_close_pair_scan),
        cmocka_unit_test(test_periodic_closeness), cmocka_unit_test(test_compatible),
        cmocka_unit_test(test_atomic_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
