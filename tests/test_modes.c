/* Tests of the modes module: finite-difference Hessian against analytic Hessians (Müller-Brown
 * surface, a Morse cluster), the Müller-Brown saddle order, a harmonic dimer's frequency against
 * sqrt(k/mu)/2pi, Hessian symmetry and translation modes, Vineyard prefactor and rate against a
 * closed form, and the Pt(100) bridge saddle of an adatom hop. Units: Å, eV, amu, THz, K. */
#include "gn_test.h"
#include "gapneb/io_xyz.h"
#include "gapneb/modes.h"

#include <gsl/gsl_multimin.h>
#include <unistd.h>

/* Independent unit conversion for the checks: nu (Hz) of a curvature k (eV/Å^2) and mass m (amu),
 * written out in SI rather than through the library's helper. */
static double nu_thz(double k, double m)
{
    double k_si = k * GN_EV_PER_A2_IN_J_PER_M2; /* J/m^2 */
    double m_si = m * 1.66053906660e-27;       /* kg */
    return sqrt(k_si / m_si) / (2.0 * M_PI) / 1e12;
}

/* ------------------------------------------------------------------------------------------
 * Müller-Brown surface (Müller and Brown, Theor. Chim. Acta 53, 75 (1979)). */

static const double mb_A[4] = {-200, -100, -170, 15}, mb_a[4] = {-1, -1, -6.5, 0.7},
                    mb_b[4] = {0, 0, 11, 0.6}, mb_c[4] = {-10, -10, -6.5, 0.7},
                    mb_x0[4] = {1, 0, -0.5, -1}, mb_y0[4] = {0, 0.5, 1.5, 1};

static void mb_eval(const double *p, double *e, double g[2], double h[2][2])
{
    double E = 0, G[2] = {0, 0}, H[2][2] = {{0, 0}, {0, 0}};
    for (int k = 0; k < 4; k++) {
        double dx = p[0] - mb_x0[k], dy = p[1] - mb_y0[k];
        double t = mb_A[k] * exp(mb_a[k] * dx * dx + mb_b[k] * dx * dy + mb_c[k] * dy * dy);
        double ux = 2 * mb_a[k] * dx + mb_b[k] * dy, uy = mb_b[k] * dx + 2 * mb_c[k] * dy;
        E += t;
        G[0] += t * ux;
        G[1] += t * uy;
        H[0][0] += t * (ux * ux + 2 * mb_a[k]);
        H[0][1] += t * (ux * uy + mb_b[k]);
        H[1][1] += t * (uy * uy + 2 * mb_c[k]);
    }
    H[1][0] = H[0][1];
    if (e)
        *e = E;
    if (g)
        memcpy(g, G, sizeof G);
    if (h)
        memcpy(h, H, sizeof H);
}

static int mb_objective(void *ctx, const double *x, double *energy, double *force, gn_error *err)
{
    (void)ctx;
    (void)err;
    double g[2];
    mb_eval(x, energy, g, NULL);
    force[0] = -g[0];
    force[1] = -g[1];
    return GN_OK;
}

/* Newton on the analytic gradient: converges to the stationary point nearest the guess. */
static void mb_newton(double p[2])
{
    for (int it = 0; it < 100; it++) {
        double g[2], h[2][2];
        mb_eval(p, NULL, g, h);
        double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
        double dx = (h[1][1] * g[0] - h[0][1] * g[1]) / det;
        double dy = (h[0][0] * g[1] - h[1][0] * g[0]) / det;
        p[0] -= dx;
        p[1] -= dy;
        if (fabs(dx) + fabs(dy) < 1e-14)
            break;
    }
    double g[2];
    mb_eval(p, NULL, g, NULL);
    assert_true(hypot(g[0], g[1]) < 1e-8);
}

static void test_muller_brown(void **state)
{
    (void)state;
    /* Guesses near the published stationary points; the last two are the saddles. */
    double pts[5][2] = {{-0.56, 1.44}, {0.62, 0.03}, {-0.05, 0.47}, {-0.82, 0.62}, {0.21, 0.29}};
    const int expect_neg[5] = {0, 0, 0, 1, 1};
    const double mass[2] = {1, 1};
    gn_objective obj = {.nparticles = 1, .dim = 2, .eval = mb_objective};
    gn_error err;
    assert_int_equal(gn_modes_count_dof(&obj), 2);
    for (int s = 0; s < 5; s++) {
        mb_newton(pts[s]);
        double H[4], Ha[2][2], asym, lam[2];
        gn_assert_ok(gn_modes_hessian_obj(&obj, pts[s], 1e-4, H, &asym, &err), &err);
        mb_eval(pts[s], NULL, NULL, Ha);
        double scale = fmax(fabs(Ha[0][0]), fmax(fabs(Ha[1][1]), fabs(Ha[0][1])));
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                gn_assert_near(H[2 * i + j], Ha[i][j], 1e-5 * scale);
        gn_assert_ok(gn_modes_diagonalise(H, 2, mass, lam, NULL, &err), &err);
        int neg = (lam[0] < 0) + (lam[1] < 0);
        assert_int_equal(neg, expect_neg[s]);
        assert_true(lam[0] <= lam[1]);
        printf("MB point (%.6f, %.6f): eigenvalues %.3f %.3f, FD asymmetry %.2g\n", pts[s][0],
               pts[s][1], lam[0], lam[1], asym);
    }
    /* Published positions (e.g. the MB saddle at (-0.822, 0.624) and (0.212, 0.293)). */
    gn_assert_near(pts[3][0], -0.822, 2e-3);
    gn_assert_near(pts[3][1], 0.624, 2e-3);
    gn_assert_near(pts[4][0], 0.212, 2e-3);
    gn_assert_near(pts[4][1], 0.293, 2e-3);
}

/* ------------------------------------------------------------------------------------------
 * Test potentials over all pairs of a free cluster (the neighbour list is not needed). */

typedef struct pair_params {
    int morse;              /* 0: harmonic spring k (r - r0)^2 / 2; 1: Morse D, alpha, r0 */
    double k, r0, d, alpha;
} pair_params;

static void pair_v(const pair_params *p, double r, double *v, double *dv, double *d2v)
{
    if (!p->morse) {
        *v = 0.5 * p->k * (r - p->r0) * (r - p->r0);
        *dv = p->k * (r - p->r0);
        *d2v = p->k;
        return;
    }
    double e = exp(-p->alpha * (r - p->r0));
    *v = p->d * (e * e - 2 * e);
    *dv = p->d * (-2 * p->alpha * e * e + 2 * p->alpha * e);
    *d2v = p->d * (4 * p->alpha * p->alpha * e * e - 2 * p->alpha * p->alpha * e);
}

static int pair_compute(const void *self, const gn_atoms *a, const struct gn_nlist *nl,
                        double *energy, double *forces, double *peratom, gn_error *err)
{
    (void)nl;
    (void)peratom;
    (void)err;
    const pair_params *p = self;
    *energy = 0;
    if (forces)
        memset(forces, 0, 3 * a->n * sizeof *forces);
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = i + 1; j < a->n; j++) {
            double d[3], v, dv, d2v;
            gn_atoms_displacement(a, i, j, d);
            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            pair_v(p, r, &v, &dv, &d2v);
            *energy += v;
            if (forces)
                for (int x = 0; x < 3; x++) {
                    forces[3 * i + x] += dv * d[x] / r;
                    forces[3 * j + x] -= dv * d[x] / r;
                }
        }
    return GN_OK;
}

static double small_cutoff(const void *self)
{
    (void)self;
    return 1.0;
}

static const gn_potential_ops pair_ops = {pair_compute, small_cutoff, NULL, NULL, NULL, NULL};

static gn_potential make_pot(const gn_potential_ops *ops, void *self, const char *name)
{
    gn_potential p;
    memset(&p, 0, sizeof p);
    p.ops = ops;
    p.self = self;
    snprintf(p.name, sizeof p.name, "%s", name);
    return p;
}

/* Analytic pair Hessian: block (i, j) = -[V'' u u^T + V'/r (I - u u^T)], diagonal blocks minus
 * the sum of the others. Over all 3n components. */
static void pair_hessian(const pair_params *p, const gn_atoms *a, double *H)
{
    size_t n3 = 3 * a->n;
    memset(H, 0, n3 * n3 * sizeof *H);
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < a->n; j++) {
            if (i == j)
                continue;
            double d[3], v, dv, d2v;
            gn_atoms_displacement(a, i, j, d);
            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            pair_v(p, r, &v, &dv, &d2v);
            for (int x = 0; x < 3; x++)
                for (int y = 0; y < 3; y++) {
                    double uu = d[x] * d[y] / (r * r);
                    double b = -(d2v * uu + dv / r * ((x == y) - uu));
                    H[(3 * i + x) * n3 + 3 * j + y] = b;
                    H[(3 * i + x) * n3 + 3 * i + y] -= b;
                }
        }
}

static void test_harmonic_dimer(void **state)
{
    (void)state;
    pair_params pp = {0, 5.0, 2.5, 0, 0}; /* k = 5 eV/Å^2, r0 = 2.5 Å */
    gn_potential pot = make_pot(&pair_ops, &pp, "test-spring");
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const double r1[3] = {0, 0, 0}, r2[3] = {1.5, 2.0, 0}; /* |r2 - r1| = 2.5 = r0 */
    gn_assert_ok(gn_atoms_push(a, 78, r1, 0, &err), &err); /* Pt 195.08 */
    gn_assert_ok(gn_atoms_push(a, 8, r2, 0, &err), &err);  /* O 15.999 */
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(&pot, &c, &err), &err);
    gn_modes_set s;
    gn_assert_ok(gn_modes_compute(c, a, 0, 0, 1, &s, &err), &err);
    double mu = 195.08 * 15.999 / (195.08 + 15.999), expect = nu_thz(5.0, mu);
    assert_int_equal(s.dim, 6);
    printf("dimer: nu = %.6f THz, analytic %.6f THz (rel. diff %.2g); other |nu| <= %.3g THz\n",
           s.freq_thz[5], expect, fabs(s.freq_thz[5] / expect - 1),
           fmax(fabs(s.freq_thz[0]), fabs(s.freq_thz[4])));
    gn_assert_near(s.freq_thz[5], expect, 1e-3 * expect);
    /* 3 translations + 2 rotations are zero modes; none negative beyond the tolerance. */
    assert_int_equal(s.n_zero, 5);
    assert_int_equal(s.n_negative, 0);
    gn_assert_near(gn_modes_thz_to_cm(1.0), 33.35641, 1e-4); /* 1 THz = 33.356 cm^-1 */
    gn_modes_set_clear(&s);
    gn_calc_free(c);
    gn_atoms_free(a);
}

/* A distorted 13-atom cluster of Pt and Au (two masses), some atoms fixed or not. */
static gn_atoms *make_cluster(int fix_two, gn_error *err)
{
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, err), err);
    gn_rng rng = {4242};
    const double nn = 2.77 / sqrt(2.0);
    const double base[13][3] = {{0, 0, 0},   {1, 1, 0},   {1, -1, 0}, {-1, 1, 0}, {-1, -1, 0},
                                {1, 0, 1},   {-1, 0, 1},  {0, 1, 1},  {0, -1, 1}, {1, 0, -1},
                                {-1, 0, -1}, {0, 1, -1},  {0, -1, -1}};
    for (int i = 0; i < 13; i++) {
        double r[3];
        for (int x = 0; x < 3; x++)
            r[x] = base[i][x] * nn + 0.15 * (gn_rng_uniform(&rng) - 0.5);
        gn_assert_ok(gn_atoms_push(a, i % 3 ? 78 : 79, r, fix_two && i >= 11, err), err);
    }
    return a;
}

static void test_cluster_symmetry_translation(void **state)
{
    (void)state;
    pair_params pp = {1, 0, 2.897, 0.7102, 1.6047}; /* Morse Pt of REFERENCE-DATA (no cutoff) */
    gn_potential pot = make_pot(&pair_ops, &pp, "test-morse");
    gn_error err;
    gn_atoms *a = make_cluster(0, &err);
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(&pot, &c, &err), &err);
    size_t dim, n3 = 39;
    double *H, *Ha = malloc(n3 * n3 * sizeof *Ha), asym1, asym2;
    pair_hessian(&pp, a, Ha);
    /* Against the analytic Hessian at h = 0.001 Å (O(h^2): 25x below the default step's error). */
    gn_assert_ok(gn_modes_hessian(c, a, 0.001, &H, &dim, NULL, &err), &err);
    double scale = 0, diff = 0, diff_def = 0;
    for (size_t k = 0; k < n3 * n3; k++) {
        scale = fmax(scale, fabs(Ha[k]));
        diff = fmax(diff, fabs(H[k] - Ha[k]));
    }
    free(H);
    gn_assert_ok(gn_modes_hessian(c, a, 0.01, &H, &dim, &asym1, &err), &err);
    free(H);
    gn_assert_ok(gn_modes_hessian(c, a, GN_MODES_STEP_DEFAULT, &H, &dim, &asym2, &err), &err);
    assert_int_equal(dim, n3);
    for (size_t k = 0; k < n3 * n3; k++)
        diff_def = fmax(diff_def, fabs(H[k] - Ha[k]));
    printf("Morse cluster: max |H_fd - H_analytic| = %.3g (h = 0.001) and %.3g eV/Å^2 (h = 0.005), "
           "max |H| %.3g; raw asymmetry %.3g (h = 0.01) and %.3g eV/Å^2 (h = 0.005), ratio %.2f\n",
           diff, diff_def, scale, asym1, asym2, asym1 / asym2);
    assert_true(diff < 1e-5 * scale);
    /* The default step stays far below the zero-mode tolerance (8e-3 eV/Å^2 for Pt). */
    assert_true(diff_def < 1e-3);
    /* Symmetric before symmetrisation within the O(h^2) error: small, and 4x smaller at h/2. */
    assert_true(asym2 < 1e-4 * scale);
    assert_true(asym1 / asym2 > 3.0 && asym1 / asym2 < 5.0);

    /* Translations of a free cluster: the mass-weighted Hessian maps sqrt(m) t to ~0. */
    double *mass = malloc(n3 * sizeof *mass), lam[39];
    for (size_t k = 0; k < n3; k++)
        mass[k] = a->mass[k / 3];
    gn_assert_ok(gn_modes_diagonalise(H, n3, mass, lam, NULL, &err), &err);
    free(H);
    gn_assert_ok(gn_modes_hessian(c, a, GN_MODES_STEP_DEFAULT, &H, &dim, NULL, &err), &err);
    for (int x = 0; x < 3; x++) {
        double num = 0, den = 0;
        for (size_t i = 0; i < n3; i++) {
            double ui = (i % 3 == (size_t)x) ? sqrt(mass[i]) : 0, hu = 0;
            for (size_t j = 0; j < n3; j++)
                hu += H[i * n3 + j] / sqrt(mass[i] * mass[j]) *
                      ((j % 3 == (size_t)x) ? sqrt(mass[j]) : 0);
            num += hu * hu;
            den += ui * ui;
        }
        double f = gn_modes_freq_thz(sqrt(num / den));
        printf("translation %c: |H u| / |u| gives %.3g THz\n", 'x' + x, f);
        assert_true(f < 0.01);
    }
    int nzero = 0;
    for (size_t k = 0; k < n3; k++)
        nzero += fabs(gn_modes_freq_thz(lam[k])) <= GN_MODES_ZERO_TOL_THZ;
    printf("cluster: %d modes within %.2f THz of zero (3 translations expected, rotations are "
           "not zero off a stationary point)\n", nzero, GN_MODES_ZERO_TOL_THZ);
    assert_true(nzero >= 3);

    /* Fixed atoms drop out: 11 movable atoms give 33 degrees of freedom. */
    free(H);
    gn_atoms *b = make_cluster(1, &err);
    gn_assert_ok(gn_modes_hessian(c, b, 0.001, &H, &dim, NULL, &err), &err);
    assert_int_equal(dim, 33);
    pair_hessian(&pp, b, Ha);
    for (size_t i = 0; i < 33; i++)
        for (size_t j = 0; j < 33; j++)
            gn_assert_near(H[i * 33 + j], Ha[i * n3 + j], 1e-5 * scale);
    free(H);
    free(Ha);
    free(mass);
    gn_atoms_free(b);
    gn_atoms_free(a);
    gn_calc_free(c);
}

/* ------------------------------------------------------------------------------------------
 * Vineyard on an external field with a closed form: atom 0 in a double well
 * V = A (x^2 - B^2)^2 + K (y^2 + z^2) / 2 (minima x = -+B, saddle x = 0), atom 1 harmonic
 * around its own position with stiffness K1 + G x0^2 along x (coupled to atom 0's x). */

typedef struct field_params {
    double A, B, K, K1, G;
    double c1[3]; /* atom 1's well centre */
    double K1yz;  /* atom 1's y, z stiffness (0: K1) */
} field_params;

static int field_compute(const void *self, const gn_atoms *a, const struct gn_nlist *nl,
                         double *energy, double *forces, double *peratom, gn_error *err)
{
    (void)nl;
    (void)peratom;
    (void)err;
    const field_params *p = self;
    const double *r0 = a->pos, *r1 = a->pos + 3;
    double x = r0[0], q = x * x - p->B * p->B;
    double u[3] = {r1[0] - p->c1[0], r1[1] - p->c1[1], r1[2] - p->c1[2]};
    double kx = p->K1 + p->G * x * x, kyz = p->K1yz > 0.0 ? p->K1yz : p->K1;
    *energy = p->A * q * q + 0.5 * p->K * (r0[1] * r0[1] + r0[2] * r0[2]) +
              0.5 * kx * u[0] * u[0] + 0.5 * kyz * (u[1] * u[1] + u[2] * u[2]);
    if (forces) {
        forces[0] = -(4 * p->A * q * x + p->G * x * u[0] * u[0]);
        forces[1] = -p->K * r0[1];
        forces[2] = -p->K * r0[2];
        forces[3] = -kx * u[0];
        forces[4] = -kyz * u[1];
        forces[5] = -kyz * u[2];
    }
    return GN_OK;
}

static const gn_potential_ops field_ops = {field_compute, small_cutoff, NULL, NULL, NULL, NULL};

/* The field's initial state, saddle and final state: atom 0 (Pt) at x = -B, 0, B, atom 1 (Pd,
 * 106.42 amu) in its well. */
static void field_states(const field_params *fp, gn_atoms *at[3])
{
    gn_error err;
    const double xs[3] = {-fp->B, 0.0, fp->B};
    for (int k = 0; k < 3; k++) {
        gn_assert_ok(gn_atoms_alloc(&at[k], 0, &err), &err);
        double r0[3] = {xs[k], 0, 0};
        gn_assert_ok(gn_atoms_push(at[k], 78, r0, 0, &err), &err);
        gn_assert_ok(gn_atoms_push(at[k], 46, fp->c1, 0, &err), &err);
    }
}

static void test_vineyard_closed_form(void **state)
{
    (void)state;
    field_params fp = {0.5, 1.0, 3.0, 2.0, 1.5, {5, 0, 0}, 0.0};
    gn_potential pot = make_pot(&field_ops, &fp, "test-field");
    gn_error err;
    gn_atoms *at[3];
    field_states(&fp, at);
    double eb = fp.A * pow(fp.B, 4); /* barrier A B^4 */
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.temperature = 500.0;
    gn_modes_result r;
    double mode[6];
    gn_assert_ok(gn_modes_analyse_ex(&pot, at[0], at[1], at[2], 0.0, eb, 0.0, &o, &r, mode, &err),
                 &err);
    /* Minimum: k_x = 8 A B^2 for atom 0 and K1 + G B^2 for atom 1; saddle: -4 A B^2 and K1.
     * Equal y, z stiffness cancels, so nu* = nu(8AB^2, m0) nu(K1 + G B^2, m1) / nu(K1, m1). */
    double m0 = 195.08, m1 = 106.42;
    double nu_star = nu_thz(8 * fp.A * fp.B * fp.B, m0) * nu_thz(fp.K1 + fp.G * fp.B * fp.B, m1) /
                     nu_thz(fp.K1, m1);
    double nu_imag = nu_thz(4 * fp.A * fp.B * fp.B, m0);
    double rate = nu_star * 1e12 * exp(-eb / (8.617333262e-5 * 500.0));
    printf("field: nu* = %.6f THz (closed form %.6f), imaginary %.6f THz (%.6f), rate %.6g 1/s "
           "(%.6g)\n", r.prefactor_fwd_thz, nu_star, r.imag_freq_thz, nu_imag, r.rate_fwd, rate);
    assert_int_equal(r.n_negative_saddle, 1);
    assert_int_equal(r.n_negative_initial, 0);
    assert_int_equal(r.n_negative_final, 0);
    assert_true(r.verified);
    assert_int_equal(r.dof, 6);
    gn_assert_near(r.prefactor_fwd_thz, nu_star, 5e-5 * nu_star);
    gn_assert_near(r.prefactor_rev_thz, nu_star, 5e-5 * nu_star);
    /* The quartic term makes the central difference of the force off by h^2 V^(4)/6 = 5e-5 on a
     * curvature of 2 eV/Å^2: 2.5e-5 relative on lambda, 1.25e-5 on nu. */
    gn_assert_near(r.imag_freq_thz, nu_imag, 5e-5 * nu_imag);
    gn_assert_near(r.imag_freq_cm, r.imag_freq_thz * 1e12 / 29979245800.0, 1e-9 * r.imag_freq_cm);
    gn_assert_near(r.rate_fwd, rate, 5e-5 * rate);
    gn_assert_near(gn_modes_rate(&r, 1, 300.0),
                   nu_star * 1e12 * exp(-eb / (8.617333262e-5 * 300.0)), 5e-5 * r.rate_rev);
    gn_assert_near(fabs(mode[0]), 1.0, 1e-6); /* the unstable mode is atom 0 along x */

    /* A minimum given as the saddle is not first order: not verified, no prefactor. */
    gn_assert_ok(gn_modes_analyse(&pot, at[0], at[0], at[2], 0.0, 0.0, 0.0, 300.0, &r, &err),
                 &err);
    assert_int_equal(r.n_negative_saddle, 0);
    assert_false(r.verified);
    assert_true(isnan(r.prefactor_fwd_thz));
    /* Bad temperature and mismatched structures are errors, not crashes. */
    assert_int_equal(gn_modes_analyse(&pot, at[0], at[1], at[2], 0, eb, 0, -1.0, &r, &err),
                     GN_ERANGE);
    at[2]->fixed[1] = 1;
    assert_int_equal(gn_modes_analyse(&pot, at[0], at[1], at[2], 0, eb, 0, 300.0, &r, &err),
                     GN_EINVAL);
    assert_non_null(strstr(err.msg, "fixed"));
    for (int k = 0; k < 3; k++)
        gn_atoms_free(at[k]);
}

/* ------------------------------------------------------------------------------------------
 * Pt(100) adatom hop: the bridge site between two hollows is the saddle by symmetry. 4x4 surface
 * cells, 4 layers, bottom 2 fixed. Relaxed with GSL's BFGS (independent of the project's FIRE),
 * the adatom's x held on the mirror plane at the bridge. */

typedef struct relax_ctx {
    gn_calc *calc;
    gn_atoms *a;
    size_t *idx; /* free components */
    size_t nfree;
    double *f;
    int fail;
} relax_ctx;

static void relax_set(relax_ctx *r, const gsl_vector *v)
{
    for (size_t k = 0; k < r->nfree; k++)
        r->a->pos[r->idx[k]] = gsl_vector_get(v, k);
}

static void relax_fdf(const gsl_vector *v, void *p, double *e, gsl_vector *g)
{
    relax_ctx *r = p;
    gn_error err;
    relax_set(r, v);
    double en;
    if (gn_calc_compute(r->calc, r->a, &en, r->f, NULL, &err) != GN_OK) {
        r->fail = 1;
        en = INFINITY;
    }
    if (e)
        *e = en;
    if (g)
        for (size_t k = 0; k < r->nfree; k++)
            gsl_vector_set(g, k, -r->f[r->idx[k]]);
}

static double relax_f(const gsl_vector *v, void *p)
{
    double e;
    relax_fdf(v, p, &e, NULL);
    return e;
}

static void relax_df(const gsl_vector *v, void *p, gsl_vector *g) { relax_fdf(v, p, NULL, g); }

/* Relaxes a to a max force component below 1e-4 eV/Å; hold (may be -1) is a component kept. */
static double relax(gn_calc *c, gn_atoms *a, long hold)
{
    relax_ctx r = {c, a, malloc(3 * a->n * sizeof(size_t)), 0, malloc(3 * a->n * sizeof(double)),
                   0};
    for (size_t k = 0; k < 3 * a->n; k++)
        if (!a->fixed[k / 3] && (long)k != hold)
            r.idx[r.nfree++] = k;
    gsl_vector *x = gsl_vector_alloc(r.nfree);
    for (size_t k = 0; k < r.nfree; k++)
        gsl_vector_set(x, k, a->pos[r.idx[k]]);
    gsl_multimin_function_fdf fn = {relax_f, relax_df, relax_fdf, r.nfree, &r};
    gsl_multimin_fdfminimizer *m =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, r.nfree);
    gsl_multimin_fdfminimizer_set(m, &fn, x, 0.02, 0.1);
    double gmax = INFINITY;
    for (int it = 0; it < 2000 && gmax > 1e-4; it++) {
        if (gsl_multimin_fdfminimizer_iterate(m))
            break;
        gmax = 0;
        for (size_t k = 0; k < r.nfree; k++)
            gmax = fmax(gmax, fabs(gsl_vector_get(m->gradient, k)));
    }
    relax_set(&r, m->x);
    double e = m->f;
    assert_false(r.fail);
    assert_true(gmax < 1e-3);
    gsl_multimin_fdfminimizer_free(m);
    gsl_vector_free(x);
    free(r.idx);
    free(r.f);
    return e;
}

/* Slab of n x n surface cells (edge n a0/sqrt2 along x and y), 4 layers at a0/2, bottom two fixed,
 * plus an adatom at fractional surface position (u, v) (units of the surface spacing) at the
 * next layer's height. */
static gn_atoms *pt100_slab(double a0, int n, double u, double v, gn_error *err)
{
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, err), err);
    double s = a0 / sqrt(2.0), L = n * s;
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, err), err);
    for (int l = 0; l < 4; l++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double off = (l % 2) ? 0.0 : 0.5; /* top layer (l = 3) at integers */
                double r[3] = {(i + off) * s, (j + off) * s, l * a0 / 2};
                gn_assert_ok(gn_atoms_push(a, 78, r, l < 2, err), err);
            }
    double r[3] = {u * s, v * s, 4 * a0 / 2};
    gn_assert_ok(gn_atoms_push(a, 78, r, 0, err), err);
    return a;
}

/* Initial hollow, bridge saddle (adatom x held) and final hollow, relaxed, with energies (eV).
 * Top layer (l = 3) atoms sit at integer (i, j), hollows at half-integers; the bridge between
 * the hollows (1.5, 1.5) and (2.5, 1.5) is (2, 1.5), on the mirror plane x = 2 s. */
static void relaxed_hop_n(const gn_potential *pot, double a0, int n, gn_atoms *at[3], double e[3])
{
    gn_error err;
    const double u[3] = {1.5, 2.0, 2.5};
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    for (int k = 0; k < 3; k++) {
        at[k] = pt100_slab(a0, n, u[k], 1.5, &err);
        e[k] = relax(c, at[k], k == 1 ? (long)(3 * (at[k]->n - 1)) : -1);
    }
    gn_calc_free(c);
}

static void relaxed_hop(const gn_potential *pot, double a0, gn_atoms *at[3], double e[3])
{
    relaxed_hop_n(pot, a0, 4, at, e);
}

/* Second difference of the energy alone (no forces): d2E/dx_k dx_l at a, step h. */
static double energy_d2(gn_calc *c, gn_atoms *a, size_t k, size_t l, double h)
{
    gn_error err;
    double e[4];
    const int sk[4] = {1, 1, -1, -1}, sl[4] = {1, -1, 1, -1};
    for (int t = 0; t < 4; t++) {
        a->pos[k] += sk[t] * h;
        a->pos[l] += sl[t] * h;
        gn_assert_ok(gn_calc_compute(c, a, &e[t], NULL, NULL, &err), &err);
        a->pos[k] -= sk[t] * h;
        a->pos[l] -= sl[t] * h;
    }
    return (e[0] - e[1] - e[2] + e[3]) / (4 * h * h);
}

/* The force-difference Hessian of the saddle against second differences of the energy, on the
 * adatom's block and its coupling to the first substrate atom (independent of the force code). */
static void check_against_energy(const gn_potential *pot, gn_atoms *sad)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    double *H;
    size_t dim;
    gn_assert_ok(gn_modes_hessian(c, sad, GN_MODES_STEP_DEFAULT, &H, &dim, NULL, &err), &err);
    size_t ad = sad->n - 1, m = dim / 3, worst_k = 0;
    double worst = 0;
    /* Movable index of the adatom is m - 1 (it is last); substrate atom 0 of the top layers is
     * the first movable one. */
    for (size_t x = 0; x < 3; x++)
        for (size_t y = 0; y < 6; y++) {
            size_t col = y < 3 ? 3 * (m - 1) + y : y - 3;
            size_t full = y < 3 ? 3 * ad + y : 3 * 32 + (y - 3);
            double ref = energy_d2(c, sad, 3 * ad + x, full, 0.004);
            double d = fabs(H[(3 * (m - 1) + x) * dim + col] - ref);
            if (d > worst) {
                worst = d;
                worst_k = 6 * x + y;
            }
        }
    printf("saddle Hessian vs energy second differences: max |diff| %.2g eV/Å^2 (entry %zu)\n",
           worst, worst_k);
    assert_true(worst < 1e-3); /* both O(h^2): the energy one is 4 E^(4) h^2 / 12 */
    free(H);
    gn_calc_free(c);
}

static void check_pt100_hop(const char *potname, double a0)
{
    gn_error err;
    gn_potential *pot;
    int rc = gn_potential_alloc(potname, &pot, &err);
    if (rc != GN_OK) {
        printf("Pt(100) hop with %s: skipped (%s)\n", potname, err.msg);
        skip();
    }
    gn_atoms *at[3];
    double e[3];
    relaxed_hop(pot, a0, at, e);
    gn_atoms *ini = at[0], *sad = at[1], *fin = at[2];
    double ei = e[0], es = e[1], ef = e[2];
    size_t ad = ini->n - 1;
    assert_false(ini->fixed[32]); /* atom 32: first atom of layer 2, the first movable one */
    check_against_energy(pot, sad);
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.hessian = GN_MODES_FULL;
    gn_modes_result r;
    double *mode = malloc(3 * sad->n * sizeof *mode);
    gn_assert_ok(gn_modes_analyse_ex(pot, ini, sad, fin, ei, es, ef, &o, &r, mode, &err), &err);
    printf("Pt(100) hop, %s: barrier %.4f eV (reverse %.4f), negative modes: saddle %d, minima "
           "%d/%d; imaginary %.3f THz = %.1f cm^-1; nu* %.3f THz (reverse %.3f); rate(300 K) "
           "%.3g 1/s; adatom x share of the unstable mode %.3f; max raw asymmetry %.2g eV/Å^2\n",
           potname, r.barrier_fwd, r.barrier_rev, r.n_negative_saddle, r.n_negative_initial,
           r.n_negative_final, r.imag_freq_thz, r.imag_freq_cm, r.prefactor_fwd_thz,
           r.prefactor_rev_thz, r.rate_fwd, fabs(mode[3 * ad]), r.max_asym);
    assert_true(r.barrier_fwd > 0.05);
    gn_assert_near(r.barrier_fwd, r.barrier_rev, 1e-4); /* the two hollows are equivalent */
    assert_int_equal(r.n_negative_saddle, 1);
    assert_int_equal(r.n_negative_initial, 0);
    assert_int_equal(r.n_negative_final, 0);
    assert_true(r.verified);
    assert_true(r.prefactor_fwd_thz > 0.1 && r.prefactor_fwd_thz < 100.0);
    gn_assert_near(r.prefactor_fwd_thz, r.prefactor_rev_thz, 1e-3 * r.prefactor_fwd_thz);
    assert_true(fabs(mode[3 * ad]) > 0.5); /* the hop is mostly the adatom moving along x */
    free(mode);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_atoms_free(sad);
    gn_potential_free(pot);
}


/* A soft vibration (below the zero tolerance) at the saddle of a structure with no rigid-body
 * freedom (an external field): it is a vibration, so it enters the Vineyard product; the closed
 * form as above, now with atom 1 soft along x at the saddle (K1 = 1.1e-3 eV/Å^2: 0.05 THz). */
static void test_vineyard_soft_mode(void **state)
{
    (void)state;
    field_params fp = {0.5, 1.0, 3.0, 1.1e-3, 1.5, {5, 0, 0}, 2.0};
    gn_potential pot = make_pot(&field_ops, &fp, "test-field-soft");
    gn_error err;
    gn_atoms *at[3];
    field_states(&fp, at);
    double eb = fp.A * pow(fp.B, 4);
    gn_modes_result r;
    gn_assert_ok(gn_modes_analyse_ex(&pot, at[0], at[1], at[2], 0.0, eb, 0.0, NULL, &r, NULL, &err),
                 &err);
    double m0 = 195.08, m1 = 106.42;
    double nu_soft = nu_thz(fp.K1, m1);
    double nu_star = nu_thz(8 * fp.A * fp.B * fp.B, m0) * nu_thz(fp.K1 + fp.G * fp.B * fp.B, m1) /
                     nu_soft;
    printf("soft saddle mode %.4f THz: nu* = %.6f THz (closed form %.6f), zero-tolerance modes at "
           "the saddle %d\n", nu_soft, r.prefactor_fwd_thz, nu_star, r.n_zero_saddle);
    assert_true(nu_soft < GN_MODES_ZERO_TOL_THZ);
    assert_int_equal(r.n_zero_saddle, 1);
    assert_true(r.verified);
    gn_assert_near(r.prefactor_fwd_thz, nu_star, 1e-3 * nu_star);
    gn_assert_near(r.prefactor_rev_thz, nu_star, 1e-3 * nu_star);
    for (int k = 0; k < 3; k++)
        gn_atoms_free(at[k]);
}

/* Rigid-body zero modes by the structure's freedom. */
static void test_rigid_count(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const double p0[3] = {0, 0, 0}, p1[3] = {2.5, 0.3, 0.1}, p2[3] = {0.2, 2.4, 0.5};
    gn_assert_ok(gn_atoms_push(a, 78, p0, 0, &err), &err);
    gn_assert_ok(gn_atoms_push(a, 78, p1, 0, &err), &err);
    gn_assert_ok(gn_atoms_push(a, 78, p2, 0, &err), &err);
    assert_int_equal(gn_modes_rigid_count(a), 6); /* free cluster */
    const double h[3][3] = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    int pbc[3] = {1, 0, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    assert_int_equal(gn_modes_rigid_count(a), 4); /* wire: 3 translations, 1 rotation */
    pbc[1] = 1;
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    assert_int_equal(gn_modes_rigid_count(a), 3); /* slab */
    a->fixed[1] = 1;
    assert_int_equal(gn_modes_rigid_count(a), 0);
    gn_atoms_free(a);
}
static void test_pt100_eam(void **state)
{
    (void)state;
    check_pt100_hop("eam-pt", 3.92010); /* sqrt2 r_e of Zhou et al. 2004 */
}

static void test_pt100_morse(void **state)
{
    (void)state;
    check_pt100_hop("morse-pt", 3.881); /* fcc lattice sum of the OptBench Morse */
}

/* Partial Hessians on the Pt(100) hop with eam-pt, 6x6 cells (73 movable atoms): the prefactor
 * of a region of growing radius approaches the full one (the error shrinks shell by shell) and
 * equals it once the region holds every movable atom; the default (grown until the prefactor
 * changes by less than 1 %) lies within 1 % of it; the imaginary frequency (lowest-mode search
 * over all atoms) equals the dense one to 1e-3. Measured here: 5, 22, 46, 72 atoms give 50, 32,
 * 10, 0.1 % below the full prefactor (frozen surroundings stiffen the region, more so at the
 * minimum); on 8x8 and 10x10 slabs the error falls by about 0.4 per 2.5 Å shell as well, so on
 * slabs this small the growth goes on to (nearly) every movable atom. */
static void test_partial_prefactor(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *pot;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    gn_atoms *at[3];
    double e[3];
    relaxed_hop_n(pot, 3.92010, 6, at, e);
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.hessian = GN_MODES_FULL;
    gn_modes_result full, part;
    gn_assert_ok(gn_modes_analyse_ex(pot, at[0], at[1], at[2], e[0], e[1], e[2], &o, &full, NULL,
                                     &err),
                 &err);
    assert_true(full.verified);
    size_t nmov = gn_atoms_nmovable(at[0]);
    assert_int_equal(full.hessian_atoms, nmov);
    printf("full Hessian: %zu atoms, nu* %.5f / %.5f THz, imaginary %.5f THz, %lu force calls\n",
           full.hessian_atoms, full.prefactor_fwd_thz, full.prefactor_rev_thz, full.imag_freq_thz,
           full.force_calls);
    /* fixed radii: the growth never stops on the change (tol 0) */
    o.hessian = GN_MODES_PARTIAL;
    o.partial_tol = 0.0;
    double prev_err = INFINITY;
    size_t last_atoms = 0;
    for (double rmax = 3.5; last_atoms < nmov; rmax += 2.7) {
        o.partial_max_radius = rmax;
        gn_assert_ok(gn_modes_analyse_ex(pot, at[0], at[1], at[2], e[0], e[1], e[2], &o, &part,
                                         NULL, &err),
                     &err);
        double rel = fabs(part.prefactor_fwd_thz - full.prefactor_fwd_thz) /
                     full.prefactor_fwd_thz;
        printf("partial, radius %.2f Å: %zu atoms, nu* %.5f / %.5f THz (off by %.2f %%), %lu "
               "force calls\n",
               part.partial_radius, part.hessian_atoms, part.prefactor_fwd_thz,
               part.prefactor_rev_thz, 100 * rel, part.force_calls);
        assert_true(part.verified);
        assert_true(part.partial_radius <= rmax);
        assert_true(rel < prev_err);
        prev_err = rel;
        last_atoms = part.hessian_atoms;
    }
    /* the whole region is the full Hessian, column for column */
    gn_assert_near(part.prefactor_fwd_thz, full.prefactor_fwd_thz, 1e-8 * full.prefactor_fwd_thz);
    gn_assert_near(part.prefactor_rev_thz, full.prefactor_rev_thz, 1e-8 * full.prefactor_rev_thz);
    assert_true(part.partial_converged);
    /* the default: grown until the change is below 1 % */
    gn_modes_opts_default(&o);
    gn_assert_ok(gn_modes_analyse_ex(pot, at[0], at[1], at[2], e[0], e[1], e[2], &o, &part, NULL,
                                     &err),
                 &err);
    printf("partial, default: radius %.2f Å, %zu atoms, change %.3g, nu* %.5f THz, imaginary "
           "%.5f THz, %lu force calls\n",
           part.partial_radius, part.hessian_atoms, part.partial_change, part.prefactor_fwd_thz,
           part.imag_freq_thz, part.force_calls);
    assert_true(part.partial_converged);
    assert_true(part.partial_change < 0.01 || part.hessian_atoms == nmov);
    gn_assert_near(part.prefactor_fwd_thz, full.prefactor_fwd_thz, 0.01 * full.prefactor_fwd_thz);
    gn_assert_near(part.prefactor_rev_thz, full.prefactor_rev_thz, 0.01 * full.prefactor_rev_thz);
    assert_int_equal(part.n_negative_saddle, 1);
    assert_int_equal(part.n_negative_initial, 0);
    assert_int_equal(part.n_negative_final, 0);
    gn_assert_near(part.imag_freq_thz, full.imag_freq_thz, 1e-3 * full.imag_freq_thz);
    for (int k = 0; k < 3; k++)
        gn_atoms_free(at[k]);
    gn_potential_free(pot);
}

/* A run folder as the NEB writes it (path.xyz with all images and energies, summary.json with
 * the climbing image and the potential): gn_modes_run_dir must agree with the direct analysis
 * and write its three files. */
static void test_run_dir(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *pot;
    gn_assert_ok(gn_potential_alloc("morse-pt", &pot, &err), &err);
    gn_atoms *at[3];
    double e[3];
    relaxed_hop(pot, 3.881, at, e);
    gn_modes_result direct, run;
    gn_assert_ok(gn_modes_analyse(pot, at[0], at[1], at[2], e[0], e[1], e[2], 400.0, &direct,
                                  &err), &err);
    char dir[] = "/tmp/gn_test_modes_XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    gn_frame fr[3];
    for (int k = 0; k < 3; k++)
        fr[k] = (gn_frame){at[k], e[k], 1, NULL};
    snprintf(path, sizeof path, "%s/path.xyz", dir);
    gn_assert_ok(gn_xyz_write(path, fr, 3, &err), &err);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    /* The layout gn_rundir_write uses: potential at the top, the outcome under "results". */
    gn_assert_ok(gn_file_write_string(path, "{\"potential\": \"morse-pt\", \"results\": "
                                      "{\"climb_index\": 1, \"collapsed\": false}}\n", &err),
                 &err);
    gn_assert_ok(gn_modes_run_dir(dir, 400.0, &run, &err), &err);
    assert_int_equal(run.climb_index, 1);
    assert_true(run.verified);
    assert_string_equal(run.potential, "morse-pt");
    gn_assert_near(run.prefactor_fwd_thz, direct.prefactor_fwd_thz, 1e-6 * direct.prefactor_fwd_thz);
    gn_assert_near(run.rate_fwd, direct.rate_fwd, 1e-4 * direct.rate_fwd);
    gn_assert_near(run.barrier_fwd, direct.barrier_fwd, 1e-6);
    assert_true(run.energy_mismatch < 1e-6); /* path.xyz energies written with 1e-10 eV */
    printf("run folder: verified %d, nu* %.4f THz, rate(400 K) %.4g 1/s\n", run.verified,
           run.prefactor_fwd_thz, run.rate_fwd);

    /* The animation reads back as 20 frames oscillating about the saddle. */
    gn_frame *anim;
    size_t nanim;
    snprintf(path, sizeof path, "%s/unstable_mode.xyz", dir);
    gn_assert_ok(gn_xyz_read(path, &anim, &nanim, &err), &err);
    assert_int_equal(nanim, 20);
    size_t ad = at[1]->n - 1;
    gn_assert_near(anim[0].atoms->pos[3 * ad], at[1]->pos[3 * ad], 1e-8);
    gn_assert_near(fabs(anim[5].atoms->pos[3 * ad] - at[1]->pos[3 * ad]), 0.3, 0.01);
    gn_frames_free(anim, nanim);
    char *text;
    size_t len;
    snprintf(path, sizeof path, "%s/modes.json", dir);
    gn_assert_ok(gn_file_read_all(path, &text, &len, &err), &err);
    assert_non_null(strstr(text, "\"verified\": true"));
    /* the spec that rebuilds the potential, every parameter named (issue 17) */
    char want[GN_POTENTIAL_SPEC_MAX + 32];
    snprintf(want, sizeof want, "\"potential_spec\": \"%s\"", gn_potential_spec(pot));
    assert_non_null(strchr(gn_potential_spec(pot), ':'));
    if (!strstr(text, want))
        fail_msg("modes.json lacks %s: %s", want, text);
    free(text);
    snprintf(path, sizeof path, "%s/modes.tsv", dir);
    gn_assert_ok(gn_file_read_all(path, &text, &len, &err), &err);
    assert_non_null(strstr(text, "nu_saddle_thz"));
    free(text);

    /* Errors name the folder: a collapsed run; no potential recorded; no folder at all. */
    snprintf(path, sizeof path, "%s/summary.json", dir);
    gn_assert_ok(gn_file_write_string(path, "{\"potential\": \"morse-pt\", \"results\": "
                                      "{\"climb_index\": -1, \"collapsed\": true}}\n", &err),
                 &err);
    assert_int_equal(gn_modes_run_dir(dir, 300.0, &run, &err), GN_ECOLLAPSE);
    assert_non_null(strstr(err.msg, dir));
    gn_assert_ok(gn_file_write_string(path, "{\"climb_index\": 1}\n", &err), &err);
    assert_int_equal(gn_modes_run_dir(dir, 300.0, &run, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, dir));
    assert_int_not_equal(gn_modes_run_dir("/nonexistent/run", 300.0, &run, &err), GN_OK);
    assert_non_null(strstr(err.msg, "/nonexistent/run"));

    const char *files[] = {"path.xyz", "summary.json", "modes.json", "modes.tsv",
                           "unstable_mode.xyz"};
    for (int k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        unlink(path);
    }
    rmdir(dir);
    for (int k = 0; k < 3; k++)
        gn_atoms_free(at[k]);
    gn_potential_free(pot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_muller_brown),
        cmocka_unit_test(test_harmonic_dimer),
        cmocka_unit_test(test_cluster_symmetry_translation),
        cmocka_unit_test(test_vineyard_closed_form),
        cmocka_unit_test(test_vineyard_soft_mode),
        cmocka_unit_test(test_rigid_count),
        cmocka_unit_test(test_pt100_morse),
        cmocka_unit_test(test_pt100_eam),
        cmocka_unit_test(test_run_dir),
        cmocka_unit_test(test_partial_prefactor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
