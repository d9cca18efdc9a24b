/* Tests of symmetry breaking in the NEB (gn_band_perturb, gn_neb_opts.perturb and .refine).
 *
 * 1. An analytic 2D surface V(x, y) = (x^2 - 1)^2 + A exp(-(x^2 + y^2) / s^2) + k y^2 with
 *    A = 1, s = 0.5, k = 1 (energies in eV, lengths in Å): minima near (+-1, 0); on the line
 *    x = 0, V(0, y) = 1 + A exp(-y^2/s^2) + k y^2 has a maximum at y = 0 (A/s^2 = 4 > k) and
 *    minima at y = +-b, b^2 = s^2 ln(A / (k s^2)) = 0.25 ln 4. So (0, 0) is a second-order saddle
 *    (V_xx = -4 - 2A/s^2 = -12, V_yy = 2k - 2A/s^2 = -6) with V = 2, and (0, +-b) are first-order
 *    saddles (V_xx = -4 - 2 k = -6, V_yy = 2k (2 b^2 / s^2) = 4 ln 4 = 5.545) with
 *    V = 1 + k s^2 / A + k b^2 = 1.25 + 0.25 ln 4 = 1.59657. A band started on y = 0 stays there
 *    (dV/dy = 0 on the line) and must climb to the second-order saddle; perturbed, it must find a
 *    first-order one. The Hessian checked is the analytic one.
 * 2. The Pt s2s transfer at d = 5 Å with eam-pt (the cheapest gap): its band lies in the mirror
 *    plane x = y and converges to a point with two negative modes (measured: -0.454 and
 *    -0.326 THz, barrier 0.3149 eV); with saddle refinement the climbing image must have exactly
 *    one negative mode (checked independently by the dense Hessian) and a lower barrier; the
 *    lowest-mode search must find the ridge point's two unstable modes as the dense Hessian does.
 * Units: Å, eV, eV/Å, THz. */
#include "gn_test.h"

#define SURF_A 1.0
#define SURF_S 0.5
#define SURF_K 1.0

static void surf_grad(double x, double y, double *v, double g[2])
{
    double e = SURF_A * exp(-(x * x + y * y) / (SURF_S * SURF_S));
    *v = (x * x - 1) * (x * x - 1) + e + SURF_K * y * y;
    g[0] = 4 * x * (x * x - 1) - 2 * x / (SURF_S * SURF_S) * e;
    g[1] = -2 * y / (SURF_S * SURF_S) * e + 2 * SURF_K * y;
}

/* Analytic Hessian, then the number of negative eigenvalues of the 2x2 matrix. */
static int surf_negative_modes(double x, double y)
{
    double s2 = SURF_S * SURF_S, e = SURF_A * exp(-(x * x + y * y) / s2);
    double hxx = 12 * x * x - 4 + e * (4 * x * x / (s2 * s2) - 2 / s2);
    double hyy = 2 * SURF_K + e * (4 * y * y / (s2 * s2) - 2 / s2);
    double hxy = e * 4 * x * y / (s2 * s2);
    double tr = hxx + hyy, det = hxx * hyy - hxy * hxy;
    double disc = sqrt(fmax(0.0, tr * tr / 4 - det));
    return (tr / 2 - disc < 0) + (tr / 2 + disc < 0);
}

static int surf_energy(void *ctx, int image, const double *x, double *energy, double *force,
                       gn_error *err)
{
    (void)ctx;
    (void)image;
    (void)err;
    double g[2];
    surf_grad(x[0], x[1], energy, g);
    force[0] = -g[0];
    force[1] = -g[1];
    return GN_OK;
}

static void straight_band(double *path, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        path[2 * i] = -1.0 + 2.0 * (double)i / (double)(m - 1);
        path[2 * i + 1] = 0.0;
    }
}

/* The analytic gradient against central differences, so the surface itself is right. */
static void test_surface_forces(void **state)
{
    (void)state;
    const double pts[][2] = {{0.3, 0.2}, {-0.7, 0.45}, {0.05, -0.6}};
    for (size_t p = 0; p < 3; p++) {
        double v, g[2], h = 1e-6;
        surf_grad(pts[p][0], pts[p][1], &v, g);
        for (int k = 0; k < 2; k++) {
            double a[2] = {pts[p][0], pts[p][1]}, b[2] = {pts[p][0], pts[p][1]}, gg[2], vp, vm;
            a[k] += h;
            b[k] -= h;
            surf_grad(a[0], a[1], &vp, gg);
            surf_grad(b[0], b[1], &vm, gg);
            gn_assert_near(g[k], (vp - vm) / (2 * h), 1e-6);
        }
    }
    assert_int_equal(surf_negative_modes(0, 0), 2);
    assert_int_equal(surf_negative_modes(0, sqrt(0.25 * log(4.0))), 1);
    assert_int_equal(surf_negative_modes(1, 0), 0);
}

static void relax_surface_band(double perturb, double *path, size_t m, gn_band_result *br,
                               int *ci)
{
    gn_band_system sys = {.nparticles = 1, .dim = 2, .energy = surf_energy};
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.nimages = (int)m - 2;
    o.fmax = 1e-4;
    o.max_move = 0.05;
    o.max_steps = 5000;
    o.perturb = perturb;
    gn_band_eval ev;
    gn_error err;
    straight_band(path, m);
    gn_assert_ok(gn_band_eval_init(&ev, m, 2, &err), &err);
    gn_assert_ok(gn_band_relax(&sys, m, path, &o, &ev, br, &err), &err);
    *ci = ev.climb_index;
    gn_band_eval_clear(&ev);
}

static void test_ridge_needs_perturbation(void **state)
{
    (void)state;
    const size_t m = 9;
    double path[18], v, g[2];
    gn_band_result br;
    int ci;
    relax_surface_band(0.0, path, m, &br, &ci);
    assert_true(br.converged);
    /* unperturbed: stuck on the ridge, at the second-order saddle (0, 0) with V = 2 */
    assert_int_equal(ci, 4);
    gn_assert_near(path[2 * ci], 0.0, 1e-4);
    assert_true(path[2 * ci + 1] == 0.0);
    assert_int_equal(surf_negative_modes(path[2 * ci], path[2 * ci + 1]), 2);

    relax_surface_band(0.1, path, m, &br, &ci);
    assert_true(br.converged);
    double b = sqrt(0.25 * log(4.0));
    surf_grad(path[2 * ci], path[2 * ci + 1], &v, g);
    gn_assert_near(fabs(path[2 * ci + 1]), b, 1e-3);
    gn_assert_near(path[2 * ci], 0.0, 1e-3);
    gn_assert_near(v, 1.25 + 0.25 * log(4.0), 1e-6);
    assert_int_equal(surf_negative_modes(path[2 * ci], path[2 * ci + 1]), 1);
    /* endpoints untouched */
    assert_true(path[0] == -1.0 && path[1] == 0.0 && path[16] == 1.0 && path[17] == 0.0);
}

/* The pattern: endpoints untouched, largest displacement = amplitude at the middle image,
 * the same for the same seed, another for another seed, fixed components untouched. */
static void test_perturb_pattern(void **state)
{
    (void)state;
    const size_t m = 7, np = 4;
    unsigned char mask[12] = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    gn_band_system sys = {.nparticles = np, .dim = 3, .mask = mask, .energy = surf_energy};
    double a[7 * 12] = {0}, b[7 * 12] = {0}, c[7 * 12] = {0};
    gn_error err;
    gn_assert_ok(gn_band_perturb(&sys, m, a, 0.2, 7, &err), &err);
    gn_assert_ok(gn_band_perturb(&sys, m, b, 0.2, 7, &err), &err);
    gn_assert_ok(gn_band_perturb(&sys, m, c, 0.2, 8, &err), &err);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    for (int k = 0; k < 12; k++) {
        assert_true(a[k] == 0.0 && a[6 * 12 + k] == 0.0);
        for (size_t i = 0; i < m; i++)
            if (!mask[k])
                assert_true(a[i * 12 + (size_t)k] == 0.0);
    }
    double big = 0.0;
    for (size_t p = 0; p < np; p++)
        big = fmax(big, sqrt(a[36 + 3 * p] * a[36 + 3 * p] + a[37 + 3 * p] * a[37 + 3 * p] +
                             a[38 + 3 * p] * a[38 + 3 * p]));
    gn_assert_near(big, 0.2, 1e-12);
    /* image 1 of 7 gets sin(pi/6) = 1/2 of the middle image's push */
    for (int k = 0; k < 12; k++)
        gn_assert_near(a[12 + k], 0.5 * a[36 + k], 1e-12);
    double z[7 * 12] = {0};
    gn_assert_ok(gn_band_perturb(&sys, m, z, 0.0, 7, &err), &err);
    for (size_t k = 0; k < 7 * 12; k++)
        assert_true(z[k] == 0.0);
}

/* The s2s transfer at 5 Å: on the ridge without refinement, first-order with it. */
static void test_s2s_transfer_refined(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *pot;
    gn_model_opts mo;
    gn_atoms *ini = NULL, *fin = NULL;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.gap = 5.0;
    mo.z = 78;
    gn_assert_ok(gn_lattice_constant(pot, 78, &mo.a0, &err), &err);
    gn_assert_ok(gn_model_process(&mo, GN_PROCESS_TRANSFER, &ini, &fin, &err), &err);
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    gn_neb_result r0, r1;
    gn_assert_ok(gn_neb_run(pot, ini, fin, &o, &r0, &err), &err);
    o.refine = 2;
    gn_assert_ok(gn_neb_run(pot, ini, fin, &o, &r1, &err), &err);
    assert_true(r0.converged && r1.converged);
    assert_int_equal(r0.saddle_negative, -1); /* not checked without refinement */
    assert_int_equal(r1.refinements, 1);
    assert_int_equal(r1.saddle_negative, 1);
    assert_false(r1.refine_failed);
    /* the refined barrier lies below the ridge's, which is only an upper bound */
    assert_true(r1.barrier_fwd < r0.barrier_fwd - 0.01);
    /* independent check of both climbing images with the full (dense) analysis */
    gn_modes_result m0, m1;
    const gn_neb_result *rs[2] = {&r0, &r1};
    gn_modes_result *ms[2] = {&m0, &m1};
    gn_modes_opts mopts;
    gn_modes_opts_default(&mopts);
    mopts.hessian = GN_MODES_FULL;
    for (int k = 0; k < 2; k++) {
        const gn_neb_result *r = rs[k];
        size_t last = r->nframes - 1, ci = (size_t)r->climb_index;
        gn_assert_ok(gn_modes_analyse_ex(pot, r->band[0].atoms, r->band[ci].atoms,
                                         r->band[last].atoms, r->band[0].energy,
                                         r->band[ci].energy, r->band[last].energy, &mopts, ms[k],
                                         NULL, &err),
                     &err);
    }
    assert_int_equal(m0.n_negative_saddle, 2);
    assert_false(m0.verified);
    /* the lowest-mode search (what the refinement uses) agrees with the dense Hessian on the
     * ridge point, unstable frequencies within 1e-3 relative */
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    int order;
    gn_lowmode_result lm;
    gn_assert_ok(gn_lowmode_saddle_order(c, r0.band[r0.climb_index].atoms, NULL, 0, 4, &order,
                                         &lm, &err),
                 &err);
    printf("ridge point: lowmode order %d (%lu force calls), lowest %.4f %.4f THz; dense %.4f "
           "%.4f THz\n",
           order, lm.force_calls, lm.freq_thz[0], lm.freq_thz[1], m0.saddle_lowest_thz[0],
           m0.saddle_lowest_thz[1]);
    assert_int_equal(order, 2);
    for (int k = 0; k < 2; k++)
        gn_assert_near(lm.freq_thz[k], m0.saddle_lowest_thz[k],
                       1e-3 * fabs(m0.saddle_lowest_thz[k]));
    gn_lowmode_result_clear(&lm);
    gn_calc_free(c);
    assert_int_equal(m1.n_negative_saddle, 1);
    assert_true(m1.verified);
    /* a symmetric process: equal forward and reverse barriers */
    gn_assert_near(r1.barrier_fwd, r1.barrier_rev, 1e-3);
    gn_neb_result_clear(&r0);
    gn_neb_result_clear(&r1);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_potential_free(pot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_forces),
        cmocka_unit_test(test_ridge_needs_perturbation),
        cmocka_unit_test(test_perturb_pattern),
        cmocka_unit_test(test_s2s_transfer_refined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
