/* Tests of the NEB band layer on analytic surfaces with exactly known saddles: Muller-Brown, a 2D
 * LEPS surface and a symmetric double well embedded (rotated) in 12 dimensions. The reference
 * saddles are found independently by Newton's method on the analytic gradient. Also: the NEB force
 * has no spring component perpendicular to the tangent and no true-force component along it;
 * energy-weighted springs follow the Asgeirsson 2021 formula; without climbing, images that
 * straddle the saddle underestimate the barrier. Units are the surfaces' own. */
#include "gn_test.h"
#include "gn_surfaces.h"

/* ---- symmetric double well embedded in 12 dimensions ----
 * In rotated coordinates u = Q x: V = (u0^2 - 1)^2 + sum_j c_j (u_j - g_j (1 - u0^2))^2. Minima at
 * u = (+-1, 0...), V = 0; the saddle at u0 = 0, u_j = g_j, V = 1 exactly; the MEP is curved. */
enum { DW = 12 };
typedef struct dwell {
    double q[DW][DW];
    double c[DW], g[DW];
} dwell;

static void dwell_init(dwell *w, uint64_t seed)
{
    gn_rng r = {seed};
    for (int i = 0; i < DW; i++) {
        for (int k = 0; k < DW; k++)
            w->q[i][k] = gn_rng_uniform(&r) - 0.5;
        for (int p = 0; p < i; p++) { /* Gram-Schmidt: rows orthonormal */
            double d = 0;
            for (int k = 0; k < DW; k++)
                d += w->q[i][k] * w->q[p][k];
            for (int k = 0; k < DW; k++)
                w->q[i][k] -= d * w->q[p][k];
        }
        double n = 0;
        for (int k = 0; k < DW; k++)
            n += w->q[i][k] * w->q[i][k];
        for (int k = 0; k < DW; k++)
            w->q[i][k] /= sqrt(n);
        w->c[i] = 1.0 + 3.0 * gn_rng_uniform(&r);
        w->g[i] = i > 0 && i < 4 ? 0.6 * (gn_rng_uniform(&r) - 0.5) : 0.0;
    }
}

static void dwell_eval(const dwell *w, const double *x, double *e, double *grad)
{
    double u[DW], gu[DW];
    for (int i = 0; i < DW; i++) {
        u[i] = 0;
        for (int k = 0; k < DW; k++)
            u[i] += w->q[i][k] * x[k];
    }
    double s = 1 - u[0] * u[0];
    *e = s * s;
    gu[0] = -4 * u[0] * s;
    for (int j = 1; j < DW; j++) {
        double d = u[j] - w->g[j] * s;
        *e += w->c[j] * d * d;
        gu[j] = 2 * w->c[j] * d;
        gu[0] += 2 * w->c[j] * d * 2 * w->g[j] * u[0];
    }
    for (int k = 0; k < DW; k++) {
        grad[k] = 0;
        for (int i = 0; i < DW; i++)
            grad[k] += w->q[i][k] * gu[i];
    }
}

static void dwell_from_u(const dwell *w, const double *u, double *x)
{
    for (int k = 0; k < DW; k++) {
        x[k] = 0;
        for (int i = 0; i < DW; i++)
            x[k] += w->q[i][k] * u[i];
    }
}

/* ---- band-system adapters ---- */
typedef struct surf {
    grad_fn f;       /* 2D surfaces */
    const dwell *w;  /* or the double well */
} surf;

static int surf_energy(void *ctx, int image, const double *x, double *e, double *force,
                       gn_error *err)
{
    (void)image;
    (void)err;
    const surf *s = ctx;
    double g[DW];
    int n = s->w ? DW : 2;
    if (s->w)
        dwell_eval(s->w, x, e, g);
    else
        s->f(x, e, g);
    for (int k = 0; k < n; k++)
        force[k] = -g[k];
    return GN_OK;
}

static double norm(int n, const double *v)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += v[k] * v[k];
    return sqrt(s);
}

/* Runs a climbing-image band between a and b and returns the climbing image's position. */
static void run_band(const gn_band_system *sys, const double *a, const double *b, int nmov,
                     const gn_neb_opts *o, double *xci, double *eci, gn_band_result *br)
{
    int n = (int)(sys->nparticles * (size_t)sys->dim), m = nmov + 2;
    double *path = malloc((size_t)(m * n) * sizeof *path);
    for (int i = 0; i < m; i++)
        for (int k = 0; k < n; k++)
            path[i * n + k] = a[k] + (b[k] - a[k]) * i / (m - 1.0);
    gn_band_eval ev;
    gn_error err;
    gn_assert_ok(gn_band_eval_init(&ev, (size_t)m, (size_t)n, &err), &err);
    gn_assert_ok(gn_band_relax(sys, (size_t)m, path, o, &ev, br, &err), &err);
    int ci = ev.climb_index;
    if (ci < 0) { /* no climbing: the highest image */
        ci = 1;
        for (int i = 2; i < m - 1; i++)
            if (ev.energy[i] > ev.energy[ci])
                ci = i;
    }
    memcpy(xci, path + ci * n, (size_t)n * sizeof *xci);
    *eci = ev.energy[ci];
    free(path);
    gn_band_eval_clear(&ev);
}

/* The test surfaces' gradients against central differences of their energies: the reference
 * saddles depend on them. */
static void test_surface_gradients(void **state)
{
    (void)state;
    const double pts[3][2] = {{-0.3, 0.9}, {0.4, 0.2}, {-0.9, 1.3}};
    const double lp[3][2] = {{0.8, 2.0}, {1.1, 0.9}, {2.5, 0.75}};
    for (int p = 0; p < 3; p++)
        for (int s = 0; s < 2; s++) {
            grad_fn f = s ? leps : mb;
            const double *x = s ? lp[p] : pts[p];
            double e, g[2], ep, em, gg[2];
            f(x, &e, g);
            for (int k = 0; k < 2; k++) {
                double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
                xp[k] += 1e-6;
                xm[k] -= 1e-6;
                f(xp, &ep, gg);
                f(xm, &em, gg);
                gn_assert_near(g[k], (ep - em) / 2e-6, 1e-5 * (1 + fabs(g[k])));
            }
        }
    dwell w;
    dwell_init(&w, 4242);
    double x[DW], g[DW], e, ep, em, gg[DW];
    gn_rng r = {1};
    for (int k = 0; k < DW; k++)
        x[k] = gn_rng_uniform(&r) - 0.5;
    dwell_eval(&w, x, &e, g);
    for (int k = 0; k < DW; k++) {
        double xp[DW], xm[DW];
        memcpy(xp, x, sizeof x);
        memcpy(xm, x, sizeof x);
        xp[k] += 1e-6;
        xm[k] -= 1e-6;
        dwell_eval(&w, xp, &ep, gg);
        dwell_eval(&w, xm, &em, gg);
        gn_assert_near(g[k], (ep - em) / 2e-6, 1e-7 * (1 + fabs(g[k])));
    }
}

static void test_muller_brown(void **state)
{
    (void)state;
    /* the two deepest minima and the highest saddle on the MEP between them, by Newton */
    double A[2] = {-0.55, 1.44}, B[2] = {0.62, 0.03}, S[2] = {-0.82, 0.62}, es, ea, g[2];
    newton2(mb, A);
    newton2(mb, B);
    newton2(mb, S);
    mb(S, &es, g);
    mb(A, &ea, g);
    gn_assert_near(es, -40.665, 1e-3); /* the published value, as a sanity check of mb() */
    surf s = {.f = mb};
    gn_band_system sys = {.nparticles = 1, .dim = 2, .energy = surf_energy, .ctx = &s};
    for (int opt = GN_MIN_FIRE; opt <= GN_MIN_LBFGS; opt++) {
        gn_neb_opts o;
        gn_neb_opts_default(&o);
        o.optimizer = (gn_minimizer)opt;
        o.nimages = 11;
        o.k = 50.0;
        o.fmax = 1e-3;
        o.climb_fmax = 5.0;
        o.max_move = 0.02;
        o.dt = 0.005;
        o.max_steps = 5000;
        double x[2], e;
        gn_band_result br;
        run_band(&sys, A, B, o.nimages, &o, x, &e, &br);
        print_message("Muller-Brown %s: %d iterations, %lu evaluations, CI at (%.6f, %.6f) E "
                      "%.6f; saddle (%.6f, %.6f) E %.6f\n",
                      gn_minimizer_name(o.optimizer), br.iterations, br.evals, x[0], x[1], e,
                      S[0], S[1], es);
        assert_true(br.converged);
        assert_true(br.climb_index > 0);
        gn_assert_near(x[0], S[0], 1e-4);
        gn_assert_near(x[1], S[1], 1e-4);
        gn_assert_near(e, es, 1e-4);
        mb(x, &e, g);
        assert_true(norm(2, g) < o.fmax);
    }
}

static void test_leps(void **state)
{
    (void)state;
    /* b != a makes this LEPS asymmetric; Newton from a guess near the saddle (about (1.15, 0.86),
     * E = -3.177), confirmed below as a first-order saddle by the sign of the Hessian's det */
    double S[2] = {1.0, 0.9}, es, g[2];
    newton2(leps, S);
    leps(S, &es, g);
    gn_assert_near(S[0], 1.1494, 1e-3);
    gn_assert_near(S[1], 0.8625, 1e-3);
    {
        double gp[2], gm[2], h[2][2], ee;
        for (int k = 0; k < 2; k++) {
            double xp[2] = {S[0], S[1]}, xm[2] = {S[0], S[1]};
            xp[k] += 1e-5;
            xm[k] -= 1e-5;
            leps(xp, &ee, gp);
            leps(xm, &ee, gm);
            h[0][k] = (gp[0] - gm[0]) / 2e-5;
            h[1][k] = (gp[1] - gm[1]) / 2e-5;
        }
        assert_true(h[0][0] * h[1][1] - h[0][1] * h[1][0] < 0);
    }
    double R[2] = {0.742, 3.2}, P[2] = {3.2, 0.742};
    surf s = {.f = leps};
    gn_band_system sys = {.nparticles = 1, .dim = 2, .energy = surf_energy, .ctx = &s};
    for (int opt = GN_MIN_FIRE; opt <= GN_MIN_LBFGS; opt++) {
        gn_neb_opts o;
        gn_neb_opts_default(&o);
        o.optimizer = (gn_minimizer)opt;
        o.nimages = 9;
        o.fmax = 1e-3;
        o.max_steps = 5000;
        o.max_move = 0.05;
        double x[2], e;
        gn_band_result br;
        run_band(&sys, R, P, o.nimages, &o, x, &e, &br);
        print_message("LEPS %s: %d iterations, %lu evaluations, CI at (%.6f, %.6f) E %.6f; "
                      "saddle (%.6f, %.6f) E %.6f\n",
                      gn_minimizer_name(o.optimizer), br.iterations, br.evals, x[0], x[1], e,
                      S[0], S[1], es);
        assert_true(br.converged);
        gn_assert_near(x[0], S[0], 1e-4);
        gn_assert_near(x[1], S[1], 1e-4);
        gn_assert_near(e, es, 1e-5);
        leps(x, &e, g);
        assert_true(norm(2, g) < o.fmax);
    }
}

static void dwell_band(const dwell *w, int nmov, int climb, double *xci, double *eci,
                       gn_band_result *br)
{
    double ua[DW] = {-1}, ub[DW] = {1}, a[DW], b[DW];
    dwell_from_u(w, ua, a);
    dwell_from_u(w, ub, b);
    surf s = {.w = w};
    gn_band_system sys = {.nparticles = 4, .dim = 3, .energy = surf_energy, .ctx = &s};
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.nimages = nmov;
    o.climb = climb;
    o.fmax = 1e-4;
    o.max_steps = 5000;
    o.max_move = 0.05;
    run_band(&sys, a, b, nmov, &o, xci, eci, br);
}

static void test_double_well(void **state)
{
    (void)state;
    dwell w;
    dwell_init(&w, 4242);
    double x[DW], e, g[DW], us[DW] = {0}, xs[DW];
    for (int j = 1; j < DW; j++)
        us[j] = w.g[j];
    dwell_from_u(&w, us, xs);
    dwell_eval(&w, xs, &e, g);
    gn_assert_near(e, 1.0, 1e-14); /* the construction's saddle */
    assert_true(norm(DW, g) < 1e-13);
    gn_band_result br;
    dwell_band(&w, 4, 1, x, &e, &br);
    print_message("double well, 4 images, climbing: %d iterations, E_CI %.8f\n", br.iterations, e);
    assert_true(br.converged);
    gn_assert_near(e, 1.0, 1e-7);
    for (int k = 0; k < DW; k++)
        gn_assert_near(x[k], xs[k], 1e-4);
    dwell_eval(&w, x, &e, g);
    assert_true(norm(DW, g) < 1e-4);
    /* without climbing, four images straddle the saddle symmetrically: the highest is lower */
    double e_nc;
    dwell_band(&w, 4, 0, x, &e_nc, &br);
    print_message("double well, 4 images, no climbing: E_max %.6f\n", e_nc);
    assert_true(br.converged);
    assert_true(e_nc < 1.0 - 0.05);
}

/* The improved tangent, written out from Henkelman and Jonsson 2000 eqs. 8-11. */
static void ref_tangent(int n, const double *xm, const double *x, const double *xp, double em,
                        double e, double ep, double *tau)
{
    double wp, wm;
    if (ep > e && e > em) {
        wp = 1;
        wm = 0;
    } else if (ep < e && e < em) {
        wp = 0;
        wm = 1;
    } else {
        double hi = fmax(fabs(ep - e), fabs(em - e)), lo = fmin(fabs(ep - e), fabs(em - e));
        wp = ep > em ? hi : lo;
        wm = ep > em ? lo : hi;
    }
    for (int k = 0; k < n; k++)
        tau[k] = wp * (xp[k] - x[k]) + wm * (x[k] - xm[k]);
    double t = norm(n, tau);
    for (int k = 0; k < n; k++)
        tau[k] /= t;
}

static void check_projection(int energy_weighted)
{
    dwell w;
    dwell_init(&w, 99);
    surf s = {.w = &w};
    gn_band_system sys = {.nparticles = 4, .dim = 3, .energy = surf_energy, .ctx = &s};
    enum { M = 7 };
    double path[M * DW], ua[DW] = {-1}, ub[DW] = {1}, a[DW], b[DW];
    dwell_from_u(&w, ua, a);
    dwell_from_u(&w, ub, b);
    gn_rng r = {7};
    for (int i = 0; i < M; i++)
        for (int k = 0; k < DW; k++)
            path[i * DW + k] = a[k] + (b[k] - a[k]) * i / (M - 1.0) +
                               (i > 0 && i < M - 1 ? 0.3 * (gn_rng_uniform(&r) - 0.5) : 0);
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.k = 2.5;
    o.energy_weighted = energy_weighted;
    gn_band_eval ev;
    gn_error err;
    gn_assert_ok(gn_band_eval_init(&ev, M, DW, &err), &err);
    const int ci = 3;
    gn_assert_ok(gn_band_forces(&sys, M, path, &o, ci, 0, &ev, &err), &err);
    double en[M], ft[M][DW];
    for (int i = 0; i < M; i++) {
        double g[DW];
        dwell_eval(&w, path + i * DW, &en[i], g);
        for (int k = 0; k < DW; k++)
            ft[i][k] = -g[k];
        gn_assert_near(ev.energy[i], en[i], 1e-14);
    }
    double emax = en[0], eref = fmin(en[0], en[M - 1]);
    for (int i = 1; i < M; i++)
        emax = fmax(emax, en[i]);
    for (int i = 1; i < M - 1; i++) {
        const double *x = path + i * DW, *xm = x - DW, *xp = x + DW, *fn = ev.neb_force + i * DW;
        double tau[DW];
        ref_tangent(DW, xm, x, xp, en[i - 1], en[i], en[i + 1], tau);
        for (int k = 0; k < DW; k++)
            gn_assert_near(ev.tangent[i * DW + k], tau[k], 1e-12);
        double fpar = 0, tpar = 0;
        for (int k = 0; k < DW; k++) {
            fpar += fn[k] * tau[k];
            tpar += ft[i][k] * tau[k];
        }
        gn_assert_near(ev.f_tan[i], tpar, 1e-12);
        /* perpendicular part: exactly the true force's, no spring in it */
        for (int k = 0; k < DW; k++)
            gn_assert_near(fn[k] - fpar * tau[k], ft[i][k] - tpar * tau[k], 1e-12);
        double lp = 0, lm = 0;
        for (int k = 0; k < DW; k++) {
            lp += (xp[k] - x[k]) * (xp[k] - x[k]);
            lm += (x[k] - xm[k]) * (x[k] - xm[k]);
        }
        double kp = o.k, km = o.k;
        if (energy_weighted) {
            double ap = fmin(1, fmax(0, (emax - fmax(en[i + 1], en[i])) / (emax - eref)));
            double am = fmin(1, fmax(0, (emax - fmax(en[i - 1], en[i])) / (emax - eref)));
            kp = (1 - ap) * o.k_max + ap * o.k_min;
            km = (1 - am) * o.k_max + am * o.k_min;
        }
        if (i == ci) /* climbing: the true force with its tangential part inverted */
            gn_assert_near(fpar, -tpar, 1e-12);
        else /* parallel part: the spring only, no true force in it */
            gn_assert_near(fpar, kp * sqrt(lp) - km * sqrt(lm), 1e-12);
    }
    gn_band_eval_clear(&ev);
}

static void test_projection_constant_k(void **state) { (void)state; check_projection(0); }
static void test_projection_energy_weighted(void **state) { (void)state; check_projection(1); }

static void test_mask_and_cap(void **state)
{
    (void)state;
    /* fixed components stay put, and a run stopped by the cap is reported, not an error */
    dwell w;
    dwell_init(&w, 5);
    surf s = {.w = &w};
    unsigned char mask[DW] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1};
    gn_band_system sys = {.nparticles = 4, .dim = 3, .mask = mask, .energy = surf_energy, .ctx = &s};
    enum { M = 5 };
    double path[M * DW], start[M * DW];
    gn_rng r = {3};
    for (int i = 0; i < M * DW; i++)
        path[i] = start[i] = gn_rng_uniform(&r);
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.max_steps = 20;
    o.fmax = 1e-8;
    gn_band_eval ev;
    gn_band_result br;
    gn_error err;
    gn_assert_ok(gn_band_eval_init(&ev, M, DW, &err), &err);
    gn_assert_ok(gn_band_relax(&sys, M, path, &o, &ev, &br, &err), &err);
    assert_false(br.converged);
    assert_int_equal(br.iterations, 20);
    assert_int_equal((int)br.evals, 2 + 3 * 21); /* endpoints once, 3 images per evaluation */
    for (int i = 0; i < M; i++)
        for (int k = 0; k < DW; k++)
            if (i == 0 || i == M - 1 || !mask[k])
                assert_true(path[i * DW + k] == start[i * DW + k]);
    int moved = 0;
    for (int k = 0; k < DW; k++)
        moved += path[2 * DW + k] != start[2 * DW + k];
    assert_int_equal(moved, 9);
    gn_band_eval_clear(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_gradients),
        cmocka_unit_test(test_projection_constant_k),
        cmocka_unit_test(test_projection_energy_weighted),
        cmocka_unit_test(test_mask_and_cap),
        cmocka_unit_test(test_double_well),
        cmocka_unit_test(test_leps),
        cmocka_unit_test(test_muller_brown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
