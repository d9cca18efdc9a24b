/* Tests of the neighbour lists: the pair set and the Lennard-Jones energy (reduced units) against
 * a brute-force sum over periodic images, for cubic, triclinic and short periodic cells, a slab
 * and a free cluster; and the Verlet-skin rebuild rule. */
#include "gn_test.h"

#include "gapneb/neighbor.h"

/* A pair as integers: i <= j and the lattice image n of j, canonical as the half list stores it. */
typedef struct pair_key {
    int i, j, n[3];
} pair_key;

static int key_cmp(const void *pa, const void *pb)
{
    const pair_key *a = pa, *b = pb;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    for (int k = 0; k < 3; k++)
        if (a->n[k] != b->n[k])
            return a->n[k] < b->n[k] ? -1 : 1;
    return 0;
}

static double dist2_image(const gn_atoms *a, int i, int j, const int n[3])
{
    double r2 = 0.0;
    for (int x = 0; x < 3; x++) {
        double d = a->pos[3 * j + x] - a->pos[3 * i + x];
        for (int k = 0; k < 3; k++)
            d += n[k] * a->cell.h[k][x];
        r2 += d * d;
    }
    return r2;
}

/* Image range that surely covers every pair within rl for fractional coordinates in [-0.4, 1.4)
 * (see random_atoms), also after the skin test has moved each atom by up to 0.3:
 * |n_k| <= (rl + 2 * 0.3) / spacing_k + 1.8. */
static void image_range(const gn_cell *c, double rl, int range[3])
{
    for (int k = 0; k < 3; k++)
        range[k] = c->pbc[k] ? (int)ceil((rl + 0.6) / gn_cell_plane_spacing(c, k) + 1.8) : 0;
}

static int lex_positive(const int n[3])
{
    for (int k = 0; k < 3; k++)
        if (n[k])
            return n[k] > 0;
    return 0;
}

/* Every (i <= j, image) within rl, by looping over all pairs and images. */
static size_t brute_pairs(const gn_atoms *a, double rl, pair_key **out)
{
    int range[3];
    image_range(&a->cell, rl, range);
    size_t cap = 1024, np = 0;
    pair_key *k = malloc(cap * sizeof *k);
    for (int i = 0; i < (int)a->n; i++)
        for (int j = i; j < (int)a->n; j++)
            for (int n0 = -range[0]; n0 <= range[0]; n0++)
                for (int n1 = -range[1]; n1 <= range[1]; n1++)
                    for (int n2 = -range[2]; n2 <= range[2]; n2++) {
                        int n[3] = {n0, n1, n2};
                        if (i == j && !lex_positive(n))
                            continue;
                        if (dist2_image(a, i, j, n) >= rl * rl)
                            continue;
                        if (np == cap)
                            k = realloc(k, (cap *= 2) * sizeof *k);
                        k[np++] = (pair_key){i, j, {n0, n1, n2}};
                    }
    qsort(k, np, sizeof *k, key_cmp);
    *out = k;
    return np;
}

/* The list as integer keys: the shift converted back to lattice coordinates must be integral. */
static size_t list_pairs(const gn_nlist *nl, const gn_atoms *a, pair_key **out)
{
    pair_key *k = malloc((nl->npairs ? nl->npairs : 1) * sizeof *k);
    for (size_t i = 0; i < nl->natoms; i++)
        for (size_t q = nl->first[i]; q < nl->first[i + 1]; q++) {
            double s[3];
            gn_cell_to_frac(&a->cell, nl->shift + 3 * q, s);
            pair_key key = {(int)i, nl->j[q], {0, 0, 0}};
            for (int c = 0; c < 3; c++) {
                key.n[c] = (int)lround(s[c]);
                gn_assert_near(s[c], key.n[c], 1e-9);
                if (!a->cell.pbc[c])
                    assert_int_equal(key.n[c], 0);
            }
            assert_true(key.i <= key.j);
            k[q] = key;
        }
    qsort(k, nl->npairs, sizeof *k, key_cmp);
    *out = k;
    return nl->npairs;
}

/* Every pair closer than cutoff must be in the list; at a fresh build the list must be exactly
 * the brute-force set within cutoff + skin. */
static void check_pairs(const gn_nlist *nl, const gn_atoms *a, int exact)
{
    pair_key *bk, *lk;
    double rl = exact ? nl->cutoff + nl->skin : nl->cutoff;
    size_t nb = brute_pairs(a, rl, &bk);
    size_t nlk = list_pairs(nl, a, &lk);
    for (size_t q = 1; q < nlk; q++)
        if (key_cmp(&lk[q - 1], &lk[q]) == 0)
            fail_msg("pair (%d,%d) image (%d,%d,%d) listed twice", lk[q].i, lk[q].j, lk[q].n[0],
                     lk[q].n[1], lk[q].n[2]);
    if (exact)
        assert_int_equal(nlk, nb);
    for (size_t q = 0; q < nb; q++)
        if (!bsearch(&bk[q], lk, nlk, sizeof *lk, key_cmp))
            fail_msg("pair (%d,%d) image (%d,%d,%d) at %.4f missing from the list", bk[q].i,
                     bk[q].j, bk[q].n[0], bk[q].n[1], bk[q].n[2],
                     sqrt(dist2_image(a, bk[q].i, bk[q].j, bk[q].n)));
    free(bk);
    free(lk);
}

/* Reduced LJ with the quintic switch 2.0-2.5, written out independently of the library. */
static double lj_switched(double r)
{
    if (r >= 2.5)
        return 0.0;
    double ir6 = 1.0 / (r * r * r * r * r * r);
    double v = 4.0 * (ir6 * ir6 - ir6);
    if (r <= 2.0)
        return v;
    double t = (r - 2.0) / 0.5, t3 = t * t * t;
    return v * (1.0 - 10 * t3 + 15 * t3 * t - 6 * t3 * t * t);
}

static double brute_energy(const gn_atoms *a)
{
    int range[3];
    image_range(&a->cell, 2.5, range);
    double e = 0.0;
    for (int i = 0; i < (int)a->n; i++)
        for (int j = i; j < (int)a->n; j++)
            for (int n0 = -range[0]; n0 <= range[0]; n0++)
                for (int n1 = -range[1]; n1 <= range[1]; n1++)
                    for (int n2 = -range[2]; n2 <= range[2]; n2++) {
                        int n[3] = {n0, n1, n2};
                        if (i == j && !lex_positive(n))
                            continue;
                        e += lj_switched(sqrt(dist2_image(a, i, j, n)));
                    }
    return e;
}

static double list_energy(const gn_potential *p, const gn_nlist *nl, const gn_atoms *a)
{
    gn_error err;
    double e;
    gn_assert_ok(p->ops->compute(p->self, a, nl, &e, NULL, NULL, &err), &err);
    return e;
}

/* n random atoms with fractional coordinates in [-0.4, 1.4) along periodic directions (so some
 * lie outside the cell, as positions do during a relaxation), at least dmin apart. Free
 * directions use `box` Å. */
static gn_atoms *random_atoms(const double h[3][3], const int pbc[3], size_t n, double box,
                              double dmin, gn_rng *rng)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    int tries = 0;
    while (a->n < n && tries++ < 200000) {
        double s[3], r[3];
        for (int k = 0; k < 3; k++)
            s[k] = pbc[k] ? gn_rng_uniform(rng) * 1.8 - 0.4 : 0.0;
        gn_cell_to_cart(&a->cell, s, r);
        for (int k = 0; k < 3; k++)
            if (!pbc[k])
                for (int x = 0; x < 3; x++)
                    r[x] += gn_rng_uniform(rng) * box * a->cell.hf[k][x] /
                            sqrt(a->cell.hf[k][0] * a->cell.hf[k][0] +
                                 a->cell.hf[k][1] * a->cell.hf[k][1] +
                                 a->cell.hf[k][2] * a->cell.hf[k][2]);
        int ok = 1;
        for (size_t i = 0; i < a->n && ok; i++) {
            double d[3] = {r[0] - a->pos[3 * i], r[1] - a->pos[3 * i + 1],
                           r[2] - a->pos[3 * i + 2]};
            gn_cell_min_image(&a->cell, d);
            ok = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= dmin * dmin;
        }
        if (ok)
            gn_assert_ok(gn_atoms_push(a, GN_Z_DUMMY, r, 0, &err), &err);
    }
    assert_int_equal(a->n, n);
    return a;
}

/* Builds a list for a, checks pairs and energy against brute force, then the skin rule. */
static void check_structure(gn_atoms *a, gn_rng *rng)
{
    gn_error err;
    gn_potential *p;
    gn_assert_ok(gn_potential_alloc("lj", &p, &err), &err);
    gn_nlist *nl;
    const double skin = 0.6;
    gn_assert_ok(gn_nlist_alloc(&nl, gn_potential_cutoff(p), skin, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 1);
    check_pairs(nl, a, 1);
    double eb = brute_energy(a);
    gn_assert_near(list_energy(p, nl, a), eb, 1e-10 * (1.0 + fabs(eb)));

    /* every atom moved by just under skin/2: no rebuild, but still every pair within cutoff */
    double *pos0 = malloc(3 * a->n * sizeof *pos0);
    memcpy(pos0, a->pos, 3 * a->n * sizeof *pos0);
    for (size_t i = 0; i < a->n; i++) {
        double u[3], nu = 0.0;
        for (int k = 0; k < 3; k++) {
            u[k] = gn_rng_uniform(rng) - 0.5;
            nu += u[k] * u[k];
        }
        nu = sqrt(nu);
        for (int k = 0; k < 3; k++)
            a->pos[3 * i + k] += 0.49 * skin * u[k] / nu;
    }
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 1);
    check_pairs(nl, a, 0);
    eb = brute_energy(a);
    gn_assert_near(list_energy(p, nl, a), eb, 1e-10 * (1.0 + fabs(eb)));

    /* one atom past skin/2 from its position at the build: rebuild */
    for (int k = 0; k < 3; k++)
        a->pos[k] = pos0[k] + (k == 0 ? 0.51 * skin : 0.0);
    free(pos0);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 2);
    check_pairs(nl, a, 1);
    eb = brute_energy(a);
    gn_assert_near(list_energy(p, nl, a), eb, 1e-10 * (1.0 + fabs(eb)));

    /* invalidation and a changed cell rebuild too */
    gn_nlist_invalidate(nl);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 3);
    gn_nlist_free(nl);
    gn_potential_free(p);
}

static void test_cubic(void **state)
{
    (void)state;
    gn_rng rng = {101};
    const double h[3][3] = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = random_atoms(h, pbc, 200, 0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
}

static void test_triclinic(void **state)
{
    (void)state;
    gn_rng rng = {202};
    const double h[3][3] = {{9, 0, 0}, {4.5, 8, 0}, {-3, 2.5, 8.5}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = random_atoms(h, pbc, 150, 0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
}

/* Cells shorter than 2 (cutoff + skin), down to one atom interacting with its own images. */
static void test_short_cells(void **state)
{
    (void)state;
    gn_rng rng = {303};
    const int pbc[3] = {1, 1, 1};
    const double h1[3][3] = {{1.1, 0, 0}, {0, 1.2, 0}, {0, 0, 1.3}};
    gn_atoms *a = random_atoms(h1, pbc, 1, 0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
    const double h2[3][3] = {{2.2, 0, 0}, {1.0, 2.5, 0}, {0.4, -0.6, 3.0}};
    a = random_atoms(h2, pbc, 8, 0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
    /* fcc primitive cell: a0 = 1.55 */
    const double hf[3][3] = {{0, 0.775, 0.775}, {0.775, 0, 0.775}, {0.775, 0.775, 0}};
    a = random_atoms(hf, pbc, 1, 0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
}

static void test_slab(void **state)
{
    (void)state;
    gn_rng rng = {404};
    const double h[3][3] = {{8, 0, 0}, {2, 7, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_atoms *a = random_atoms(h, pbc, 120, 12.0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
    /* a thin periodic slab (shorter than the cutoff in-plane) with a vacuum vector given */
    const double h2[3][3] = {{2.0, 0, 0}, {0, 2.4, 0}, {0, 0, 30}};
    a = random_atoms(h2, pbc, 6, 9.0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
}

static void test_cluster(void **state)
{
    (void)state;
    gn_rng rng = {505};
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_atoms *a = random_atoms(h, pbc, 150, 9.0, 0.9, &rng);
    check_structure(a, &rng);
    gn_atoms_free(a);
    /* two atoms far apart: bins must not blow up, no pairs */
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 2, &err), &err);
    a->pos[3] = 1e5;
    gn_nlist *nl;
    gn_assert_ok(gn_nlist_alloc(&nl, 2.5, 0.5, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->npairs, 0);
    gn_nlist_free(nl);
    gn_atoms_free(a);
}

/* A changed atom count or cell rebuilds; bad parameters and non-finite positions are errors. */
static void test_rebuild_triggers_and_errors(void **state)
{
    (void)state;
    gn_rng rng = {606};
    gn_error err;
    const double h[3][3] = {{6, 0, 0}, {0, 6, 0}, {0, 0, 6}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = random_atoms(h, pbc, 20, 0, 0.9, &rng);
    gn_nlist *nl;
    gn_assert_ok(gn_nlist_alloc(&nl, 2.5, 0.5, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 1);
    const double h2[3][3] = {{6.01, 0, 0}, {0, 6, 0}, {0, 0, 6}};
    gn_assert_ok(gn_cell_init(&a->cell, h2, pbc, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 2);
    check_pairs(nl, a, 1);
    const double r[3] = {3, 3, 3.2};
    gn_assert_ok(gn_atoms_push(a, GN_Z_DUMMY, r, 0, &err), &err);
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(nl->builds, 3);
    check_pairs(nl, a, 1);
    double x0 = a->pos[0];
    a->pos[0] = 1e9;
    assert_int_equal(gn_nlist_update(nl, a, &err), GN_ERANGE);
    assert_non_null(strstr(err.msg, "atom 1"));
    a->pos[0] = x0;
    a->pos[4] = NAN;
    assert_int_equal(gn_nlist_update(nl, a, &err), GN_ERANGE);
    assert_non_null(strstr(err.msg, "atom 2"));
    gn_nlist_free(nl);
    gn_atoms_free(a);
    assert_int_equal(gn_nlist_alloc(&nl, 0.0, 0.5, &err), GN_EINVAL);
    assert_int_equal(gn_nlist_alloc(&nl, 2.0, -1.0, &err), GN_EINVAL);
    assert_null(nl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cubic),
        cmocka_unit_test(test_triclinic),
        cmocka_unit_test(test_short_cells),
        cmocka_unit_test(test_slab),
        cmocka_unit_test(test_cluster),
        cmocka_unit_test(test_rebuild_triggers_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
