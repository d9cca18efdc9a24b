/* Tests of the mechanisms with real physics (eam-pt; Å, eV), kept small:
 * - the wide-gap limit: s2s at a gap beyond the potential's cutoff plus the adatom's height
 *   (nothing of B within the cutoff of A or the adatom) gives the same hop and exchange barriers
 *   as the pt100 terrace to 1e-6 eV (tight NEB convergence, so that the two bands, relaxed in
 *   different configuration spaces, meet at the same saddle); the exchange saddle is
 *   first-order (harmonic analysis: one negative mode) and lower than the hop's;
 * - mid-gap sites: at d = 5 Å (s2s and e2e) there are some, and an adatom put on each relaxes
 *   (all atoms free; the first three sites and the last) back to it (within 0.1 Å) bonded to
 *   both crystals: within the bond length
 *   1.1 NN of an atom of A and of an atom of B, measured here from the atoms; at 8 Å there are
 *   none; two searches give the same list.
 */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"

static void test_wide_gap_equals_terrace(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *pot;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    double a0;
    gn_assert_ok(gn_lattice_constant(pot, pot->z, &a0, &err), &err);
    /* the adatom sits about a0/2 above A's surface; 0.5 Å more keeps B out of every cutoff */
    const double gap = gn_potential_cutoff(pot) + 0.5 * a0 + 0.5;
    gn_potential_free(pot);
    char *dir = gn_test_tmpdir("mechpt"), gaps[32];
    gn_job job;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "s2s,pt100", "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "hop,exchange", "t", &err), &err);
    snprintf(gaps, sizeof gaps, "%.6f", gap);
    gn_assert_ok(gn_job_set_gaps(&job, gaps, "t", &err), &err);
    snprintf(job.out, sizeof job.out, "%s", dir);
    job.jobs = 2;
    job.fmax = 1e-4;
    job.endpoint_fmax = 1e-5;
    job.refine = 0;
    gn_table t;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    assert_int_equal(t.n, 4); /* s2s hop, exchange; pt100 hop, exchange */
    gn_assert_ok(gn_table_run(&job, &t, NULL, &err), &err);
    for (size_t i = 0; i < t.n; i++)
        if (t.rows[i].state != GN_ROW_OK)
            fail_msg("%s %s: %s", gn_model_kind_name(t.rows[i].model),
                     gn_process_name(t.rows[i].process), t.rows[i].reason);
    assert_true(isinf(t.rows[2].gap) && isinf(t.rows[3].gap));
    for (int p = 0; p < 2; p++) {
        const gn_table_row *s = &t.rows[p], *q = &t.rows[2 + p];
        assert_int_equal(s->process, q->process);
        print_message("%s: s2s at %.3f Å %.9f eV, pt100 %.9f eV (diff %.1e)\n",
                      gn_process_name(s->process), gap, s->barrier_fwd, q->barrier_fwd,
                      s->barrier_fwd - q->barrier_fwd);
        gn_assert_near(s->barrier_fwd, q->barrier_fwd, 1e-6);
        gn_assert_near(s->e_ads_initial, q->e_ads_initial, 1e-6);
    }
    /* Pt(100) with eam-pt: exchange below hop (Kellogg & Feibelman saw exchange on Pt(100)) */
    assert_true(t.rows[3].barrier_fwd < t.rows[2].barrier_fwd - 0.1);
    gn_table_clear(&t);

    /* the exchange saddle is first-order */
    gn_assert_ok(gn_job_set_models(&job, "pt100", "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "exchange", "t", &err), &err);
    job.fmax = 0.01;
    job.endpoint_fmax = 0.005;
    job.modes = 1;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    gn_assert_ok(gn_table_run(&job, &t, NULL, &err), &err);
    assert_int_equal(t.rows[0].state, GN_ROW_OK);
    assert_true(t.rows[0].has_modes);
    assert_int_equal(t.rows[0].n_negative, 1);
    print_message("pt100 exchange: %.4f eV, %d negative mode, %.3f THz\n", t.rows[0].barrier_fwd,
                  t.rows[0].n_negative, t.rows[0].imag_freq_thz);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

/* Nearest distance from p to an atom of a[lo, hi), minimum image. */
static double nearest(const gn_atoms *a, size_t lo, size_t hi, const double *p)
{
    double best = INFINITY;
    for (size_t i = lo; i < hi; i++) {
        double d[3] = {a->pos[3 * i] - p[0], a->pos[3 * i + 1] - p[1], a->pos[3 * i + 2] - p[2]};
        gn_cell_min_image(&a->cell, d);
        best = fmin(best, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    return best;
}

static void check_gap_sites(const gn_model_opts *o, const gn_potential *pot)
{
    gn_error err;
    gn_site *v = NULL, *w = NULL;
    size_t n = 0, nw = 0;
    unsigned long calls = 0;
    gn_assert_ok(gn_model_gap_sites(o, pot, NULL, &v, &n, &calls, &err), &err);
    print_message("%s d = %g Å: %zu mid-gap sites (%lu force calls)\n",
                  gn_model_kind_name(o->kind), o->gap, n, calls);
    assert_true(n > 0);
    gn_assert_ok(gn_model_gap_sites(o, pot, NULL, &w, &nw, NULL, &err), &err);
    assert_int_equal(n, nw);
    const double nn = o->a0 / sqrt(2.0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].name, w[i].name);
        for (int k = 0; k < 3; k++)
            gn_assert_near(v[i].pos[k], w[i].pos[k], 0);
        char name[32];
        snprintf(name, sizeof name, "G:%d", (int)i);
        assert_string_equal(v[i].name, name);
        assert_int_equal(v[i].kind, GN_SITE_GAP);
        if (i >= 3 && i + 1 < n)
            continue; /* relaxing the first three and the last is enough */
        /* the adatom put on the site, everything relaxed */
        gn_atoms *ini, *a;
        gn_assert_ok(gn_model_site_endpoints(o, &v[i], &v[i], &ini, &a, &err), &err);
        gn_atoms_free(ini);
        gn_fire_opts fo;
        gn_relax_opts_default(&fo);
        fo.fmax = 1e-3;
        fo.max_steps = 5000;
        gn_fire_result fr;
        gn_assert_ok(gn_relax(pot, a, &fo, &fr, &err), &err);
        assert_true(fr.converged);
        const size_t ad = a->n - 1, half = ad / 2;
        double back = nearest(a, ad, ad + 1, v[i].pos);
        double da = nearest(a, 0, half, a->pos + 3 * ad), db = nearest(a, half, ad, a->pos + 3 * ad);
        if (i == 0)
            print_message("  G:0 at (%.3f, %.3f, %.3f): relaxes back within %.3f Å; nearest atom "
                          "of A %.3f Å, of B %.3f Å (NN %.3f Å)\n", v[i].pos[0], v[i].pos[1],
                          v[i].pos[2], back, da, db, nn);
        assert_true(back < 0.1);
        assert_true(da < 1.1 * nn && db < 1.1 * nn);
        /* in no hollow: fewer than 3 bonds to either crystal */
        int ba = 0, bb = 0;
        for (size_t j = 0; j < ad; j++) {
            double r = nearest(a, j, j + 1, a->pos + 3 * ad);
            ba += j < half && r < 1.1 * nn;
            bb += j >= half && r < 1.1 * nn;
        }
        assert_true(ba >= 1 && ba <= 2 && bb >= 1 && bb <= 2);
        gn_atoms_free(a);
    }
    gn_site g;
    gn_assert_ok(gn_model_find_any_site(o, pot, NULL, "G:0", &g, &err), &err);
    gn_assert_near(g.pos[0], v[0].pos[0], 0);
    free(v);
    free(w);
}

static void test_gap_sites(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *pot;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    gn_model_opts o;
    gn_model_opts_default(&o, GN_MODEL_S2S);
    gn_assert_ok(gn_lattice_constant(pot, pot->z, &o.a0, &err), &err);
    o.gap = 5.0;
    check_gap_sites(&o, pot);
    const double a0 = o.a0;
    gn_model_opts_default(&o, GN_MODEL_E2E);
    o.a0 = a0;
    o.gap = 5.0;
    o.R = 9.0;
    check_gap_sites(&o, pot);
    /* wide: none, and a G name is refused with the reason */
    o.gap = 8.0;
    gn_site *v = NULL, g;
    size_t n = 1;
    gn_assert_ok(gn_model_gap_sites(&o, pot, NULL, &v, &n, NULL, &err), &err);
    assert_int_equal(n, 0);
    assert_null(v);
    assert_int_equal(gn_model_find_any_site(&o, pot, NULL, "G:0", &g, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "no mid-gap site"));
    /* a terrace has none */
    gn_model_opts_default(&o, GN_MODEL_PT100);
    o.a0 = a0;
    gn_assert_ok(gn_model_gap_sites(&o, pot, NULL, &v, &n, NULL, &err), &err);
    assert_int_equal(n, 0);
    gn_potential_free(pot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_gap_equals_terrace),
        cmocka_unit_test(test_gap_sites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
