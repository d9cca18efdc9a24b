/* Tests of several adatoms in the gap (adsorb.h, model.h, custom processes of job.h):
 * - K = 1 reproduces the table's adsorption energy of the same site (s2s A100:0 at 5 Å, the
 *   initial state of the hop row) to 1e-6 eV, and a custom process's row counts both of its
 *   adatoms: its initial E_ads equals adsorb's for the same two sites;
 * - the symmetry group has the size counted by hand (s2s hollow registry: 16 translations x the
 *   8 operations of 4mm x the swap of A and B = 256; e2e aligned: 4 translations x the mirror
 *   across the edge x the swap = 16), and configurations related by it relax to equal energies
 *   (checked before any merging), while unrelated ones do not;
 * - two adatoms on neighbouring hollows of Pt(100) bind to each other (E_ads(pair) below twice
 *   the single adatom's) with every built-in Pt potential;
 * - the enumeration counts of small site sets equal hand counts (a plus of five hollows; a pair
 *   with a mid-gap site between them that has no room);
 * - bridge detection on hand-built chains, bridging and not by one bond, and the interpolated
 *   critical gap;
 * - the room rule of gn_model_add_adatoms (0.7 nearest-neighbour distances). */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/adsorb.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"

static double lattice(const char *pot_name, gn_potential **pot)
{
    gn_error err;
    double a0;
    gn_assert_ok(gn_potential_alloc(pot_name, pot, &err), &err);
    gn_assert_ok(gn_lattice_constant(*pot, (*pot)->z, &a0, &err), &err);
    return a0;
}

static void adsorb_opts(gn_adsorb_opts *o, gn_model_kind kind, double a0, int k,
                        const double *gaps, size_t ngaps, const char *sites)
{
    gn_adsorb_opts_default(o, kind);
    o->model.a0 = a0;
    o->nadatoms = k;
    o->gaps = gaps;
    o->ngaps = ngaps;
    o->sites = sites;
    o->exhaustive = 1;
    o->jobs = 2;
}

/* ---- K = 1 against the table, and a custom process's row ------------------------------------ */

static void test_table_agreement(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("adsorb-table");
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "s2s", "t", &err), &err);
    gn_assert_ok(gn_job_define_process(&job, "pair", "A100:0, A100:5", "A100:1, A100:5", "t",
                                       &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "hop,pair", "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "5", "t", &err), &err);
    snprintf(job.out, sizeof job.out, "%s", dir);
    job.jobs = 2;
    job.images = 3;
    job.max_steps = 2; /* the band does not matter here: the endpoints do */
    job.refine = 0;
    gn_table t;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    gn_assert_ok(gn_table_run(&job, &t, NULL, &err), &err);
    assert_int_equal(t.n, 2);
    assert_string_equal(gn_row_process_name(&t.rows[1]), "pair");
    assert_true(strstr(t.rows[1].rundir, "pair") != NULL);

    gn_potential *pot;
    double a0 = lattice("eam-pt", &pot);
    const double gaps[] = {5.0};
    const char *sets[2] = {"A100:0", "A100:0,A100:5"};
    for (int k = 1; k <= 2; k++) {
        gn_adsorb_opts o;
        adsorb_opts(&o, GN_MODEL_S2S, a0, k, gaps, 1, sets[k - 1]);
        gn_adsorb_result r;
        gn_assert_ok(gn_adsorb_run(pot, &o, &r, &err), &err);
        assert_int_equal(r.n, 1);
        gn_assert_near(r.configs[0].e_ads, t.rows[k - 1].e_ads_initial, 1e-6);
        gn_adsorb_result_clear(&r);
    }
    gn_potential_free(pot);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

/* ---- symmetry ---------------------------------------------------------------------------- */

static void group_size(gn_model_kind kind, double a0, size_t expect)
{
    gn_model_opts mo;
    gn_model_opts_default(&mo, kind);
    mo.a0 = a0;
    mo.gap = 5.5;
    gn_atoms *m;
    gn_error err;
    gn_assert_ok(gn_model_build(&mo, &m, &err), &err);
    gn_adsorb_sym *s;
    gn_assert_ok(gn_adsorb_sym_alloc(m, NULL, 0, &s, &err), &err);
    assert_int_equal(gn_adsorb_sym_nops(s), expect);
    gn_adsorb_sym_free(s);
    gn_atoms_free(m);
}

static double relaxed_energy(const gn_potential *pot, const gn_atoms *model, double nn,
                             const gn_site *s, int k)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_model_add_adatoms(model, pot->z, nn, s, (size_t)k, &a, &err), &err);
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    gn_fire_result fr;
    double e;
    gn_assert_ok(gn_relax_calc(c, a, NULL, &fr, &e, &err), &err);
    assert_true(fr.converged);
    gn_calc_free(c);
    gn_atoms_free(a);
    return e;
}

static void test_symmetry(void **state)
{
    (void)state;
    gn_potential *pot;
    double a0 = lattice("eam-pt", &pot);
    group_size(GN_MODEL_S2S, a0, 256);
    group_size(GN_MODEL_E2E, a0, 16);
    /* the terraces, 4 x 4 cells: p4mm (8 point operations) on (100); on the ABC-stacked (111)
     * slab p3m1 (6: the 3-fold axes and the mirrors through them), never the 6-fold of one
     * layer; times 16 translations */
    group_size(GN_MODEL_PT100, a0, 128);
    group_size(GN_MODEL_PT111, a0, 96);

    /* pairs of the default s2s set at 5 Å: the images of one class, relaxed each */
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = a0;
    mo.gap = 5.0;
    gn_error err;
    gn_site *sites;
    size_t ns;
    gn_assert_ok(gn_adsorb_candidates(&mo, NULL, "A100,B100", NAN, &sites, &ns, &err), &err);
    gn_atoms *m;
    gn_assert_ok(gn_model_build(&mo, &m, &err), &err);
    gn_adsorb_sym *s;
    gn_assert_ok(gn_adsorb_sym_alloc(m, sites, ns, &s, &err), &err);
    const double nn = gn_model_nn_distance(&mo);
    gn_adsorb_class *cl;
    size_t ncl, total;
    gn_assert_ok(gn_adsorb_enumerate(s, sites, ns, nn, 2, &cl, &ncl, &total, &err), &err);
    assert_true(ncl >= 3);
    double first_class = NAN;
    int checked = 0;
    for (size_t c = 0; c < 3; c++) {
        gn_site pair[2] = {sites[cl[c].sites[0]], sites[cl[c].sites[1]]};
        double e0 = relaxed_energy(pot, m, nn, pair, 2);
        int images = 0;
        for (size_t op = 1; op < gn_adsorb_sym_nops(s) && images < 3; op++) {
            int i = gn_adsorb_sym_site(s, op, (size_t)cl[c].sites[0]);
            int j = gn_adsorb_sym_site(s, op, (size_t)cl[c].sites[1]);
            if (i < 0 || j < 0 || (i == cl[c].sites[0] && j == cl[c].sites[1]) ||
                (i == cl[c].sites[1] && j == cl[c].sites[0]))
                continue;
            gn_site img[2] = {sites[i], sites[j]};
            gn_assert_near(relaxed_energy(pot, m, nn, img, 2), e0, 1e-6);
            images++;
            checked++;
        }
        if (c == 0)
            first_class = e0;
        else /* distinct classes are distinct structures: the check can tell them apart */
            assert_true(fabs(e0 - first_class) > 1e-3);
    }
    assert_true(checked >= 3);
    free(cl);
    gn_adsorb_sym_free(s);
    gn_atoms_free(m);
    free(sites);
    gn_potential_free(pot);
}

/* ---- pair binding on Pt(100) with every built-in Pt potential ----------------------------- */

static void test_pair_binds(void **state)
{
    (void)state;
    const char *const *b = gn_potential_builtins();
    int tested = 0;
    for (size_t p = 0; b[p]; p++) {
        gn_potential *pot;
        double a0 = lattice(b[p], &pot);
        if (pot->z != GN_Z_PT) {
            gn_potential_free(pot);
            continue;
        }
        const double gaps[] = {1.0}; /* a single crystal: the gap is not used */
        double e[3];
        for (int k = 1; k <= 2; k++) {
            gn_adsorb_opts o;
            adsorb_opts(&o, GN_MODEL_S2S, a0, k, gaps, 1, k == 1 ? "A100:0" : "A100:0,A100:1");
            o.model.single = 1;
            gn_adsorb_result r;
            gn_error err;
            gn_assert_ok(gn_adsorb_run(pot, &o, &r, &err), &err);
            assert_int_equal(r.n, 1);
            e[k] = r.configs[0].e_ads;
            assert_false(r.configs[0].bridges); /* one crystal: nothing to bridge */
            gn_adsorb_result_clear(&r);
        }
        if (!(e[2] < 2 * e[1] - 0.01))
            fail_msg("%s: E_ads(pair) = %.4f eV is not below 2 E_ads(single) = %.4f eV", b[p],
                     e[2], 2 * e[1]);
        tested++;
        gn_potential_free(pot);
    }
    assert_true(tested >= 3); /* eam-pt, morse-pt, lj-pt */
}

/* ---- enumeration counts against hand counts ----------------------------------------------- */

static void count_sets(const gn_atoms *m, const gn_site *sites, size_t ns, double nn, int k,
                       size_t want_total, size_t want_classes, const int *want_mult)
{
    gn_error err;
    gn_adsorb_sym *s;
    gn_assert_ok(gn_adsorb_sym_alloc(m, sites, ns, &s, &err), &err);
    gn_adsorb_class *cl;
    size_t ncl, total;
    gn_assert_ok(gn_adsorb_enumerate(s, sites, ns, nn, k, &cl, &ncl, &total, &err), &err);
    assert_int_equal(total, want_total);
    assert_int_equal(ncl, want_classes);
    int sum = 0, seen[8] = {0};
    for (size_t c = 0; c < ncl; c++)
        sum += cl[c].multiplicity;
    assert_int_equal((size_t)sum, want_total); /* the classes partition the sets */
    for (size_t c = 0; c < ncl; c++) /* the multiplicities, as a multiset */
        for (size_t q = 0; q < ncl; q++)
            if (!seen[q] && want_mult[q] == cl[c].multiplicity) {
                seen[q] = 1;
                break;
            }
    for (size_t q = 0; q < ncl; q++)
        assert_true(seen[q]);
    free(cl);
    gn_adsorb_sym_free(s);
}

static void test_enumeration_counts(void **state)
{
    (void)state;
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = 3.92;
    mo.gap = 5.0;
    const double nn = gn_model_nn_distance(&mo);
    gn_error err;
    gn_atoms *m;
    gn_assert_ok(gn_model_build(&mo, &m, &err), &err);
    /* the centre hollow A100:0 and its four neighbours A100:1-4 (a plus): by hand, 5 sets of
     * one, all alike (the translations of the lattice); of two, 10: neighbours (4, centre +
     * arm), two spacings apart (2, opposite arms), a diagonal apart (4, adjacent arms); of
     * three, 10: a line (2), an L (4), three arms (4) */
    gn_site *plus;
    size_t np;
    gn_assert_ok(gn_adsorb_candidates(&mo, NULL, "A100:0,A100:1,A100:2,A100:3,A100:4", NAN, &plus,
                                      &np, &err), &err);
    assert_int_equal(np, 5);
    count_sets(m, plus, np, nn, 1, 5, 1, (const int[]){5});
    count_sets(m, plus, np, nn, 2, 10, 3, (const int[]){4, 2, 4});
    count_sets(m, plus, np, nn, 3, 10, 3, (const int[]){2, 4, 4});
    count_sets(m, plus, np, nn, 5, 1, 1, (const int[]){1});
    /* A100:0, its facing B hollow B100:0 and their midpoint, 1.12 Å from each (no room beside
     * either): of two sites only {A100:0, B100:0} has room */
    gn_site tri[3] = {plus[0], plus[0], plus[0]};
    gn_site *all;
    size_t na;
    gn_assert_ok(gn_adsorb_candidates(&mo, NULL, "all", NAN, &all, &na, &err), &err);
    for (size_t i = 0; i < na; i++)
        if (!strcmp(all[i].name, "B100:0"))
            tri[1] = all[i];
    assert_string_equal(tri[1].name, "B100:0");
    double d[3];
    for (int k = 0; k < 3; k++)
        d[k] = tri[1].pos[k] - tri[0].pos[k];
    gn_cell_min_image(&m->cell, d);
    for (int k = 0; k < 3; k++)
        tri[2].pos[k] = tri[0].pos[k] + 0.5 * d[k];
    snprintf(tri[2].name, sizeof tri[2].name, "mid");
    count_sets(m, tri, 3, nn, 2, 1, 1, (const int[]){1});
    count_sets(m, tri, 3, nn, 3, 0, 0, (const int[]){0});
    free(all);
    free(plus);
    gn_atoms_free(m);
}

/* ---- bridges ------------------------------------------------------------------------------ */

/* A atom at the origin, adatom i at (0.3 i, 0, z[i]) (a zigzag: not every link lies along z),
 * B atom at (0.3 (n - 1), 0, zb), straight above the last adatom. */
static gn_atoms *chain(double zb, const double *z, int n)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const double o[3] = {0, 0, 0}, b[3] = {n > 0 ? 0.3 * (n - 1) : 0, 0, zb};
    gn_assert_ok(gn_atoms_push(a, GN_Z_PT, o, 1, &err), &err);
    gn_assert_ok(gn_atoms_push(a, GN_Z_PT, b, 1, &err), &err);
    for (int i = 0; i < n; i++) {
        const double r[3] = {0.3 * i, 0, z[i]};
        gn_assert_ok(gn_atoms_push(a, GN_Z_PT, r, 0, &err), &err);
    }
    return a;
}

static void test_bridges(void **state)
{
    (void)state;
    const double nn = 2.77;
    double ratio;
    /* links of 1.10 nn: A - 1 - 2 - B bridges */
    double s = 1.10 * nn;
    double z2[2] = {s, sqrt(s * s - 0.09) + s};
    gn_atoms *a = chain(z2[1] + s, z2, 2);
    /* the second link has a lateral step of 0.3 Å: its length is still s */
    assert_int_equal(gn_adsorb_bridge(a, 1, 1, nn, &ratio), 1);
    gn_assert_near(ratio, 1.10, 1e-9);
    gn_atoms_free(a);
    /* the last link one bond too long (1.20 nn): no bridge, ratio 1.20 */
    a = chain(z2[1] + 1.20 * nn, z2, 2);
    assert_int_equal(gn_adsorb_bridge(a, 1, 1, nn, &ratio), 0);
    gn_assert_near(ratio, 1.20, 1e-6);
    gn_atoms_free(a);
    /* the middle link broken (1.2 nn) although both ends touch their crystals */
    double zb[2] = {s, s + 1.2 * nn};
    a = chain(zb[1] + s, zb, 2);
    assert_int_equal(gn_adsorb_bridge(a, 1, 1, nn, &ratio), 0);
    gn_atoms_free(a);
    /* no adatom: the crystals touching each other is no bridge through adatoms */
    a = chain(1.0 * nn, NULL, 0);
    assert_int_equal(gn_adsorb_bridge(a, 1, 1, nn, &ratio), 0);
    assert_true(isinf(ratio));
    gn_atoms_free(a);

    /* the critical gap: ratios 1.0, 1.1, 1.3 at 5, 6, 7 Å -> 6 + 0.05/0.2 = 6.25 Å */
    gn_adsorb_critical c;
    gn_adsorb_critical_gap((const double[]){7, 5, 6}, (const double[]){1.3, 1.0, 1.1}, 3, &c);
    assert_int_equal(c.status, GN_CRITICAL_FOUND);
    gn_assert_near(c.gap, 6.25, 1e-12);
    gn_adsorb_critical_gap((const double[]){5, 6}, (const double[]){1.0, 1.1}, 2, &c);
    assert_int_equal(c.status, GN_CRITICAL_BEYOND);
    gn_adsorb_critical_gap((const double[]){5, 6}, (const double[]){1.2, INFINITY}, 2, &c);
    assert_int_equal(c.status, GN_CRITICAL_NONE);
    gn_adsorb_critical_gap((const double[]){5, 6}, (const double[]){1.0, NAN}, 2, &c);
    assert_int_equal(c.status, GN_CRITICAL_UNDETERMINED);
}

/* ---- the room rule ------------------------------------------------------------------------ */

static void test_room(void **state)
{
    (void)state;
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = 3.92;
    mo.gap = 6.0;
    const double nn = gn_model_nn_distance(&mo), lim = GN_MODEL_ADATOM_ROOM * nn;
    gn_error err;
    gn_atoms *m, *out = NULL;
    gn_assert_ok(gn_model_build(&mo, &m, &err), &err);
    gn_site s[2];
    gn_assert_ok(gn_model_find_site(&mo, "A100:0", &s[0], &err), &err);
    s[1] = s[0];
    snprintf(s[1].name, sizeof s[1].name, "P");
    s[1].pos[2] += lim + 0.01; /* just outside: both fit */
    gn_assert_ok(gn_model_add_adatoms(m, GN_Z_PT, nn, s, 2, &out, &err), &err);
    assert_int_equal(out->n, m->n + 2);
    gn_atoms_free(out);
    s[1].pos[2] -= 0.02; /* just inside */
    assert_int_equal(gn_model_add_adatoms(m, GN_Z_PT, nn, s, 2, &out, &err), GN_EINVAL);
    assert_true(strstr(err.msg, "A100:0") && strstr(err.msg, "P"));
    /* a site given twice by name */
    const char *twice[] = {"A100:0", "A100:0"};
    assert_int_equal(gn_model_with_adatoms(&mo, twice, 2, &out, &err), GN_EINVAL);
    const char *three[] = {"A100:0", "A100:1", "B100:2"};
    gn_assert_ok(gn_model_with_adatoms(&mo, three, 3, &out, &err), &err);
    assert_int_equal(out->n, m->n + 3);
    gn_atoms_free(out);
    gn_atoms_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_agreement),
        cmocka_unit_test(test_symmetry),
        cmocka_unit_test(test_pair_binds),
        cmocka_unit_test(test_enumeration_counts),
        cmocka_unit_test(test_bridges),
        cmocka_unit_test(test_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
