/* Tests of potential specs with parameters (lj:epsilon=..,sigma=..,rc=..,rs=.., morse:...) and of
 * the potential figures: V(2 r0)/V(r0) of the plain 12-6 function against its closed form, the
 * switch's C2 continuity at rs and rc by finite differences, truncated-and-shifted LJ at rc,
 * forces of parameterised potentials against finite differences of the energy, canonical specs
 * that rebuild the same potential (also through summary.json of a real run), bad specs refused
 * with the key named (exit status 2 on the command line), the splitting of spec lists, and the
 * EAM bulk density against the fcc lattice energy. Units: Å, eV (reduced units for lj, morse). */
#include "gn_test.h"

#include "gapneb/potplot.h"

#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

static gn_potential *make(const char *spec)
{
    gn_error err;
    gn_potential *p;
    gn_assert_ok(gn_potential_alloc(spec, &p, &err), &err);
    return p;
}

/* Dimer energy at distance r through the calculator (the path every simulation takes), and the
 * force on atom 2 along the axis (positive = repulsive). */
static double dimer(const gn_potential *p, double r, double *force)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    const double x1[3] = {0.1, -0.2, 0.3}, x2[3] = {0.1 + r, -0.2, 0.3};
    gn_assert_ok(gn_atoms_push(a, p->z, x1, 0, &err), &err);
    gn_assert_ok(gn_atoms_push(a, p->z, x2, 0, &err), &err);
    double e, f[6];
    gn_assert_ok(gn_calc_compute(c, a, &e, f, NULL, &err), &err);
    if (force)
        *force = f[3];
    gn_atoms_free(a);
    gn_calc_free(c);
    return e;
}

static double lj_plain(double eps, double sig, double r)
{
    double s6 = pow(sig / r, 6.0);
    return 4.0 * eps * (s6 * s6 - s6);
}

/* Closed form: r0 = 2^(1/6) sigma, (sigma / 2 r0)^6 = 2^-7, so V(2 r0)/V(r0) = -4 (2^-14 - 2^-7)
 * = 0.031005859375, for any eps and sigma. A long cutoff leaves the function untouched. */
static void test_plain_lj_ratio(void **state)
{
    (void)state;
    const double exact = -4.0 * (pow(2.0, -14) - pow(2.0, -7));
    gn_assert_near(exact, 0.0310059, 5e-8);
    const char *specs[] = {"lj:rc=1000", "lj:rc=50", "lj:epsilon=0.3,sigma=2.2,rc=60"};
    const double sig[] = {1.0, 1.0, 2.2};
    for (int k = 0; k < 3; k++) {
        gn_potential *p = make(specs[k]);
        double r0 = pow(2.0, 1.0 / 6.0) * sig[k];
        double ratio = dimer(p, 2.0 * r0, NULL) / dimer(p, r0, NULL);
        print_message("  %-32s V(2r0)/V(r0) = %.10f (closed form %.10f)\n", specs[k], ratio,
                      exact);
        gn_assert_near(ratio, exact, 1e-6);
        gn_potcurve c;
        gn_error err;
        gn_assert_ok(gn_potcurve_init(p, &c, &err), &err);
        gn_assert_near(c.r0, r0, 1e-12 * r0);
        gn_assert_near(c.ratio, exact, 1e-6);
        gn_assert_near(c.plain_ratio, exact, 1e-12);
        gn_potential_free(p);
    }
    /* the default lj: the quintic switch from 2.0 to 2.5 sigma already acts at 2 r0 = 2.245 */
    gn_potential *p = make("lj");
    double r0 = pow(2.0, 1.0 / 6.0), t = (2.0 * r0 - 2.0) / 0.5;
    double sw = 1.0 - t * t * t * (10.0 - 15.0 * t + 6.0 * t * t);
    double ratio = dimer(p, 2.0 * r0, NULL) / dimer(p, r0, NULL);
    print_message("  lj (switch 2.0-2.5): V(2r0)/V(r0) = %.10f\n", ratio);
    gn_assert_near(ratio, exact * sw, 1e-12);
    gn_assert_near(ratio, 0.01609, 5e-6);
    gn_potential_free(p);
}

/* One-sided first and second derivatives of the dimer energy at x, from the left (dir = -1) or
 * the right (dir = +1), second order in h, using only points on that side. */
static void one_sided(const gn_potential *p, double x, int dir, double h, double *e, double *g,
                      double *c)
{
    double f0 = dimer(p, x, NULL), f1 = dimer(p, x + dir * h, NULL);
    double f2 = dimer(p, x + 2 * dir * h, NULL), f3 = dimer(p, x + 3 * dir * h, NULL);
    *e = f0;
    *g = dir * (-3.0 * f0 + 4.0 * f1 - f2) / (2.0 * h);
    *c = (2.0 * f0 - 5.0 * f1 + 4.0 * f2 - f3) / (h * h);
}

/* E, E' and E'' from the left and from the right of rs and of rc agree (all zero beyond rc).
 * A C1-only (cubic) switch would jump in E'' by 6 |V| / (rc - rs)^2 at rs: 0.33 for the lj case
 * here, 0.03 for morse, 0.002 eV/Å^2 for lj-pt. */
static void test_switch_c2(void **state)
{
    (void)state;
    const char *specs[] = {"lj:rc=3,rs=2.2", "morse:D=1.2,alpha=1.7,r0=1.1,rc=3.4,rs=2.6",
                           "lj-pt:rs=5.5"};
    const double rs[] = {2.2, 2.6, 5.5}, rc[] = {3.0, 3.4, 2.5 * GN_LJ_PT_SIGMA};
    for (int k = 0; k < 3; k++) {
        gn_potential *p = make(specs[k]);
        gn_assert_near(gn_potential_cutoff(p), rc[k], 1e-12);
        const double h = 2.5e-4; /* error h^2 E''''/12: 2e-5 for the morse case */
        for (int side = 0; side < 2; side++) {
            double x = side ? rc[k] : rs[k], el, gl, cl, er, gr, cr;
            one_sided(p, x, -1, h, &el, &gl, &cl);
            one_sided(p, x, +1, h, &er, &gr, &cr);
            print_message("  %-44s %s = %.4f: E' %.3e|%.3e  E'' %.4e|%.4e\n", specs[k],
                          side ? "rc" : "rs", x, gl, gr, cl, cr);
            assert_true(side ? er == 0.0 : el == er);
            gn_assert_near(gl, gr, 1e-5);
            gn_assert_near(cl, cr, 1e-4);
            if (side) {
                gn_assert_near(el, 0.0, 1e-12);
                assert_true(gr == 0.0 && cr == 0.0);
            } else {
                assert_true(fabs(cl) > 1e-3); /* the check is not trivially 0 = 0 */
            }
        }
        gn_potential_free(p);
    }
}

/* rs = rc: V(r) - V(rc) below rc, 0 beyond; the force keeps its jump V'(rc). */
static void test_truncated_shifted(void **state)
{
    (void)state;
    gn_potential *p = make("lj:rc=2.5,rs=2.5");
    const double vc = lj_plain(1.0, 1.0, 2.5);
    gn_assert_near(dimer(p, 2.5 - 1e-10, NULL), 0.0, 1e-11);
    assert_true(dimer(p, 2.5 + 1e-10, NULL) == 0.0);
    assert_true(dimer(p, 2.6, NULL) == 0.0);
    for (double r = 0.95; r < 2.5; r += 0.17)
        gn_assert_near(dimer(p, r, NULL), lj_plain(1.0, 1.0, r) - vc, 1e-13);
    double f_in;
    dimer(p, 2.5 - 1e-9, &f_in);
    /* force on atom 2 = -dV/dr = -24 (2 r^-13 - r^-7) at rc */
    gn_assert_near(f_in, 24.0 * (2.0 * pow(2.5, -13) - pow(2.5, -7)), 1e-9);
    gn_potential_free(p);
    /* Morse too */
    p = make("morse-pt:rc=6,rs=6");
    double dv;
    double vm = gn_morse_pair(GN_MORSE_PT_D, GN_MORSE_PT_ALPHA, GN_MORSE_PT_R0, 6.0, &dv);
    gn_assert_near(dimer(p, 6.0 - 1e-10, NULL), 0.0, 1e-11); /* V'(6 Å) 1e-10 Å = 2e-12 eV */
    gn_assert_near(dimer(p, 3.1, NULL),
                   gn_morse_pair(GN_MORSE_PT_D, GN_MORSE_PT_ALPHA, GN_MORSE_PT_R0, 3.1, &dv) - vm,
                   1e-14);
    gn_potential_free(p);
}

/* A perturbed fcc cluster of 19 atoms with nearest neighbours at about 1.1 r0. */
static gn_atoms *cluster(double r0, int z, gn_rng *rng)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    double a0 = 1.1 * r0 * sqrt(2.0);
    for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++)
            for (int k = -1; k <= 1; k++) {
                if ((i + j + k) % 2 && !(i == 0 && j == 0 && k == 0))
                    continue;
                double x[3];
                x[0] = 0.5 * a0 * i + 0.08 * r0 * (2 * gn_rng_uniform(rng) - 1);
                x[1] = 0.5 * a0 * j + 0.08 * r0 * (2 * gn_rng_uniform(rng) - 1);
                x[2] = 0.5 * a0 * k + 0.08 * r0 * (2 * gn_rng_uniform(rng) - 1);
                gn_assert_ok(gn_atoms_push(a, z, x, 0, &err), &err);
            }
    return a;
}

/* Forces of parameterised potentials against central differences of the energy. */
static void test_forces_parameterised(void **state)
{
    (void)state;
    const char *specs[] = {"lj:epsilon=0.7,sigma=1.3,rc=2.2,rs=1.6",
                           "morse:D=1.2,alpha=1.7,r0=1.1,rc=2.4,rs=1.8", "lj-pt:sigma=2.6",
                           "morse-pt:D=0.5,alpha=1.4,rc=5,rs=4", "lj:rc=1.9,rs=1.9"};
    gn_rng rng = {77};
    for (int k = 0; k < 5; k++) {
        gn_potential *p = make(specs[k]);
        gn_potcurve c;
        gn_error err;
        gn_assert_ok(gn_potcurve_init(p, &c, &err), &err);
        gn_atoms *a = cluster(c.r0, p->z, &rng);
        gn_calc *calc;
        gn_assert_ok(gn_calc_alloc(p, &calc, &err), &err);
        double e, *f = malloc(3 * a->n * sizeof *f), maxerr = 0.0, maxf = 0.0;
        gn_assert_ok(gn_calc_compute(calc, a, &e, f, NULL, &err), &err);
        const double h = 1e-6 * c.r0;
        for (size_t q = 0; q < 3 * a->n; q++) {
            double x0 = a->pos[q], ep, em;
            a->pos[q] = x0 + h;
            gn_assert_ok(gn_calc_compute(calc, a, &ep, NULL, NULL, &err), &err);
            a->pos[q] = x0 - h;
            gn_assert_ok(gn_calc_compute(calc, a, &em, NULL, NULL, &err), &err);
            a->pos[q] = x0;
            maxerr = fmax(maxerr, fabs(-(ep - em) / (2 * h) - f[q]));
            maxf = fmax(maxf, fabs(f[q]));
        }
        print_message("  %-44s %zu atoms, E = %.6f, max|F| %.4f, max FD error %.2e\n", specs[k],
                      a->n, e, maxf, maxerr);
        assert_true(maxf > 1e-2);
        assert_true(maxerr < 1e-5 * (1.0 + maxf));
        free(f);
        gn_calc_free(calc);
        gn_atoms_free(a);
        gn_potential_free(p);
    }
}

/* The canonical spec lists every parameter and rebuilds the same potential, bit for bit. */
static void assert_same_pair(const gn_potential *a, const gn_potential *b)
{
    gn_error err;
    gn_pair_info ia, ib;
    gn_assert_ok(gn_pot_pair_info_get(a, &ia, &err), &err);
    gn_assert_ok(gn_pot_pair_info_get(b, &ib, &err), &err);
    assert_int_equal(ia.kind, ib.kind);
    assert_int_equal(a->z, b->z);
    assert_memory_equal(ia.par, ib.par, sizeof ia.par);
    assert_true(ia.r_on == ib.r_on && ia.r_cut == ib.r_cut && ia.shift == ib.shift);
}

static void test_canonical_specs(void **state)
{
    (void)state;
    gn_error err;
    char out[GN_POTENTIAL_SPEC_MAX];
    struct {
        const char *in, *canon;
    } cases[] = {
        {"lj", "lj:epsilon=1,sigma=1,rc=2.5,rs=2"},
        {" lj:rc=6 ", "lj:epsilon=1,sigma=1,rc=6,rs=4.8"},
        {"lj:sigma=2,epsilon=0.5", "lj:epsilon=0.5,sigma=2,rc=5,rs=4"},
        {"lj:rs=2.5", "lj:epsilon=1,sigma=1,rc=2.5,rs=2.5"},
        {"lj:rc=1000", "lj:epsilon=1,sigma=1,rc=1000,rs=800"},
        {"morse-pt", "morse-pt:D=0.7102,alpha=1.6047,r0=2.897,rc=9.5,rs=8.5"},
        {"morse:r0=1,alpha=2,D=3,rc=4", "morse:D=3,alpha=2,r0=1,rc=4,rs=3.2"},
        {"eam-pt", "eam-pt"},
        {"  some/file.eam.alloy ", "some/file.eam.alloy"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gn_assert_ok(gn_potential_spec_resolve(cases[i].in, out, sizeof out, &err), &err);
        assert_string_equal(out, cases[i].canon);
    }
    /* every pair built-in and some parameterised specs: canonical -> the same potential */
    const char *specs[] = {"lj", "lj-pt", "morse-pt", "lj:rc=6", "lj-pt:sigma=2.6,rs=6.5",
                           "morse:D=1,alpha=2,r0=1.5,rc=4.1,rs=3.3", "lj:epsilon=0.1,rc=3,rs=3"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        gn_potential *p = make(specs[i]);
        gn_assert_ok(gn_potential_spec_resolve(specs[i], out, sizeof out, &err), &err);
        assert_string_equal(gn_potential_spec(p), out);
        gn_potential *q = make(gn_potential_spec(p));
        assert_string_equal(gn_potential_spec(q), gn_potential_spec(p));
        assert_same_pair(p, q);
        double r = 0.9 * gn_potential_cutoff(p);
        assert_true(dimer(p, r, NULL) == dimer(q, r, NULL));
        gn_potential_free(p);
        gn_potential_free(q);
    }
    /* the built-ins keep their names and descriptions; parameterised ones are named as given */
    gn_potential *p = make("lj-pt");
    assert_string_equal(p->name, "lj-pt");
    assert_non_null(strstr(p->description, "Heinz"));
    gn_potential_free(p);
    p = make("lj-pt:sigma=2.6");
    assert_string_equal(p->name, "lj-pt:sigma=2.6");
    assert_int_equal(p->z, 78);
    gn_potential_free(p);
    p = make("eam-pt");
    assert_string_equal(gn_potential_spec(p), "eam-pt");
    gn_potential_free(p);
    /* general constructors get a canonical spec when a family describes them */
    gn_assert_ok(gn_pot_lj_alloc(0.5, 2.0, 4.0, 5.0, 78, &p, &err), &err);
    assert_string_equal(gn_potential_spec(p), "lj-pt:epsilon=0.5,sigma=2,rc=5,rs=4");
    gn_potential_free(p);
    gn_assert_ok(gn_pot_lj_alloc(0.5, 2.0, 4.0, 5.0, 29, &p, &err), &err);
    assert_string_equal(gn_potential_spec(p), "lj-custom");
    gn_potential_free(p);
    /* a buffer too small */
    assert_int_equal(gn_potential_spec_resolve("lj-pt", out, 10, &err), GN_ERANGE);
}

static void assert_refused(const char *spec, const char *named)
{
    gn_error err;
    gn_potential *p = (gn_potential *)&err;
    char out[GN_POTENTIAL_SPEC_MAX];
    int rc = gn_potential_alloc(spec, &p, &err);
    if (rc != GN_EINVAL)
        fail_msg("%s: status %d, expected GN_EINVAL", spec, rc);
    assert_null(p);
    if (!strstr(err.msg, named))
        fail_msg("%s: message '%s' does not name '%s'", spec, err.msg, named);
    assert_int_equal(gn_potential_spec_resolve(spec, out, sizeof out, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, named));
}

static void test_bad_specs(void **state)
{
    (void)state;
    assert_refused("lj:rx=3", "'rx'");
    assert_refused("lj:rx=3", "epsilon, sigma, rc, rs"); /* the valid keys */
    assert_refused("lj:rc=abc", "rc = 'abc'");
    assert_refused("lj:rc=6x", "rc = '6x'");
    assert_refused("lj:rc=inf", "rc = 'inf'");
    assert_refused("lj:rc=", "'rc='");
    assert_refused("lj:rc", "'rc'");
    assert_refused("lj:", "no parameters");
    assert_refused("lj:rc=3,rc=4", "'rc' is given twice");
    assert_refused("lj:sigma=-1", "sigma = -1");
    assert_refused("lj:epsilon=0", "epsilon = 0");
    assert_refused("lj:rs=3", "rs = 3");
    assert_refused("lj:rc=2,rs=2.1", "rs = 2.1");
    assert_refused("morse-pt:sigma=1", "'sigma'");
    assert_refused("lj-pt:D=1", "'D'");
    assert_refused("morse:D=1,alpha=2,r0=1", "rc");
    assert_refused("morse", "D");
    assert_refused("eam-pt:rc=7", "eam-pt takes no parameters");
}

static int split_all(const char *list, char out[][GN_POTENTIAL_SPEC_MAX], int max)
{
    const char *cur = list;
    int n = 0, r;
    while (n < max && (r = gn_potential_spec_split(&cur, out[n], GN_POTENTIAL_SPEC_MAX)) != 0) {
        if (r < 0)
            return -1;
        n++;
    }
    return n;
}

static void test_split(void **state)
{
    (void)state;
    char s[8][GN_POTENTIAL_SPEC_MAX];
    assert_int_equal(split_all("lj:epsilon=1,rc=6,eam-pt,lj-pt:rc=8", s, 8), 3);
    assert_string_equal(s[0], "lj:epsilon=1,rc=6");
    assert_string_equal(s[1], "eam-pt");
    assert_string_equal(s[2], "lj-pt:rc=8");
    assert_int_equal(split_all(" lj:rc=6 , rs=5 ,morse-pt, Pt_u3.eam", s, 8), 3);
    assert_string_equal(s[0], "lj:rc=6 , rs=5");
    assert_string_equal(s[1], "morse-pt");
    assert_string_equal(s[2], "Pt_u3.eam");
    /* the pieces of one spec build the potential with both parameters */
    gn_potential *p = make(s[0]);
    assert_string_equal(gn_potential_spec(p), "lj:epsilon=1,sigma=1,rc=6,rs=5");
    gn_potential_free(p);
    assert_int_equal(split_all("eam-pt,lj,lj-pt", s, 8), 3);
    assert_string_equal(s[2], "lj-pt");
    /* a name without parameters does not swallow a following KEY=VALUE piece */
    assert_int_equal(split_all("lj,rc=6", s, 8), 2);
    assert_string_equal(s[1], "rc=6");
    /* colons after the name (an external potential's address) start a new spec */
    assert_int_equal(split_all("lj:rc=6,ipi:inet:localhost:31415,lj", s, 8), 3);
    assert_string_equal(s[1], "ipi:inet:localhost:31415");
    assert_int_equal(split_all("", s, 8), 0);
    assert_int_equal(split_all("lj,,lj", s, 8), 3);
    assert_string_equal(s[1], "");
    const char *cur = "lj-pt:sigma=2.6,lj";
    char small[8];
    assert_int_equal(gn_potential_spec_split(&cur, small, sizeof small), -1);
}

/* The EAM bulk density: F(rho_b) + 1/2 sum phi over the neighbours is the fcc energy per atom
 * (an independent path through gn_fcc_energy); phi_eff has its minimum at r0. */
static void test_eam_curve(void **state)
{
    (void)state;
    gn_potential *p = make("eam-pt");
    gn_potcurve c;
    gn_error err;
    gn_assert_ok(gn_potcurve_init(p, &c, &err), &err);
    assert_true(c.eam);
    gn_assert_near(c.a0, 3.92, 0.01);
    gn_assert_near(c.r_cut, GN_EAM_PT_RCUT, 0.0);
    double F, dF, half_phi = 0.0;
    gn_assert_ok(gn_pot_eam_embed(p, 78, c.rho_bulk, &F, &dF, &err), &err);
    assert_true(dF == c.dF_bulk);
    const int m = 6;
    for (int i = -m; i <= m; i++)
        for (int j = -m; j <= m; j++)
            for (int k = -m; k <= m; k++) {
                double r = 0.5 * c.a0 * sqrt(i * i + j * j + k * k);
                if ((i + j + k) % 2 || r == 0.0 || r >= c.r_cut)
                    continue;
                double phi, dphi;
                gn_assert_ok(gn_pot_eam_pair(p, 78, 78, r, &phi, &dphi, &err), &err);
                half_phi += 0.5 * phi;
            }
    double e_atom;
    gn_assert_ok(gn_fcc_energy(p, 78, c.a0, &e_atom, &err), &err);
    print_message("  eam-pt: a0 %.6f, rho_b %.6f, F'(rho_b) %.3e, r0(phi_eff) %.6f, "
                  "V(2r0)/V(r0) %.3e\n", c.a0, c.rho_bulk, c.dF_bulk, c.r0, c.ratio);
    gn_assert_near(F + half_phi, e_atom, 1e-9);
    double vp, vm, h = 1e-5;
    gn_assert_ok(gn_potcurve_energy(&c, c.r0 + h, &vp, &err), &err);
    gn_assert_ok(gn_potcurve_energy(&c, c.r0 - h, &vm, &err), &err);
    gn_assert_near((vp - vm) / (2 * h), 0.0, 1e-5);
    assert_true(vp > c.v_r0 && vm > c.v_r0);
    gn_potential_free(p);
}

static const char *builddir(void)
{
    const char *bd = getenv("GN_BUILDDIR");
    return bd ? bd : GN_TEST_BUILDDIR;
}

/* Runs gapneb with arguments, stdout and stderr into files of dir; the exit status. */
static int run(const char *dir, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/gapneb' %s > out.txt 2> err.txt", dir, builddir(),
             args);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *buf;
    size_t len;
    gn_error err;
    gn_assert_ok(gn_file_read_all(path, &buf, &len, &err), &err);
    return buf;
}

static void assert_cli_refuses(const char *dir, const char *args, const char *named)
{
    int st = run(dir, args);
    char *e = slurp(dir, "err.txt");
    print_message("  gapneb %s -> %d: %s", args, st, e);
    assert_int_equal(st, 2);
    if (!strstr(e, named))
        fail_msg("stderr of 'gapneb %s' does not name '%s'", args, named);
    free(e);
}

static void test_cli_bad_specs(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("potspec");
    assert_cli_refuses(dir, "potentials --potential lj:rx=3", "'rx'");
    assert_cli_refuses(dir, "potentials --plot lj,lj:rc=abc", "rc = 'abc'");
    assert_cli_refuses(dir, "potentials --properties --potential lj-pt:sigma=-2", "sigma = -2");
    assert_cli_refuses(dir, "table --potential lj-pt:bogus=1 --no-figures --out t",
                       "'bogus'");
    assert_cli_refuses(dir, "potentials --plot eam-pt:rc=7", "eam-pt takes no parameters");
    gn_test_rm_rf(dir);
    free(dir);
}

/* potentials --plot: the ratios on stdout, the data, the script and (with gnuplot) the figure. */
static void test_cli_plot(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("potspec");
    int st = run(dir, "potentials --plot lj,lj:rc=1000 --out fig");
    assert_true(st == 0 || st == 1); /* 1: no gnuplot here */
    char *out = slurp(dir, "out.txt");
    print_message("%s", out);
    /* the rows: name, r0, V(r0), V(2r0), ratio %, untruncated % ... */
    const char *row = strstr(out, "\nlj:rc=1000 ");
    assert_non_null(row);
    char name[64];
    double r0, v0, v2, ratio, plain;
    assert_int_equal(sscanf(row, "%63s %lf %lf %lf %lf %lf", name, &r0, &v0, &v2, &ratio, &plain),
                     6);
    gn_assert_near(ratio, 100.0 * 0.031005859375, 1e-4);
    gn_assert_near(r0, pow(2.0, 1.0 / 6.0), 1e-6);
    row = strstr(out, "\nlj ");
    assert_non_null(row);
    assert_int_equal(sscanf(row, "%63s %lf %lf %lf %lf %lf", name, &r0, &v0, &v2, &ratio, &plain),
                     6);
    gn_assert_near(ratio, 1.6093, 1e-4);
    gn_assert_near(plain, 3.1006, 1e-4);
    free(out);
    char *data = slurp(dir, "fig/potential.tsv");
    assert_non_null(strstr(data, "spec lj:epsilon=1,sigma=1,rc=1000,rs=800"));
    free(data);
    char *gp = slurp(dir, "fig/potential.gp");
    assert_non_null(strstr(gp, "V(2r₀)/V(r₀) = 1.609 %"));
    assert_non_null(strstr(gp, "set object rect from 2, graph 0 to 2.5, graph 1"));
    free(gp);
    if (st == 0) {
        char path[1024];
        snprintf(path, sizeof path, "%s/fig/potential.png", dir);
        assert_int_equal(access(path, R_OK), 0);
        snprintf(path, sizeof path, "%s/fig/potential.svg", dir);
        assert_int_equal(access(path, R_OK), 0);
    }
    gn_test_rm_rf(dir);
    free(dir);
}

/* A real run with a parameterised potential: summary.json names the spec as given and the
 * canonical one, which rebuilds the same potential and reproduces the energies of path.xyz. */
static void test_summary_round_trip(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("potspec");
    int st = run(dir, "--quiet table --models s2s --processes hop --gaps 8 --refine 0 "
                      "--potential lj-pt:sigma=2.6 --no-figures --jobs 1 --out t");
    assert_int_equal(st, 0);
    char path[1024];
    snprintf(path, sizeof path, "%s/t/runs", dir);
    char sub[1200] = "";
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "ls '%s'", path);
    FILE *ls = popen(cmd, "r");
    assert_non_null(ls);
    assert_non_null(fgets(sub, sizeof sub, ls));
    pclose(ls);
    sub[strcspn(sub, "\n")] = '\0';
    snprintf(path, sizeof path, "%s/t/runs/%s/summary.json", dir, sub);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    assert_non_null(root);
    const char *given = json_string_value(json_object_get(root, "potential"));
    const char *spec = json_string_value(json_object_get(root, "potential_spec"));
    assert_non_null(given);
    assert_non_null(spec);
    print_message("  %s: potential '%s', potential_spec '%s'\n", sub, given, spec);
    assert_string_equal(given, "lj-pt:sigma=2.6");
    gn_potential *p = make(given), *q = make(spec);
    assert_same_pair(p, q);
    gn_pair_info in;
    gn_error err;
    gn_assert_ok(gn_pot_pair_info_get(q, &in, &err), &err);
    assert_true(in.par[1] == 2.6 && in.par[0] == GN_LJ_PT_EPSILON);
    assert_true(in.r_cut == 6.5 && in.r_on == 5.2);
    /* the energies written in path.xyz come back from the rebuilt potential */
    snprintf(path, sizeof path, "%s/t/runs/%s/path.xyz", dir, sub);
    gn_frame *fr;
    size_t nf;
    gn_assert_ok(gn_xyz_read(path, &fr, &nf, &err), &err);
    assert_true(nf >= 3 && fr[0].has_energy);
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(q, &c, &err), &err);
    for (size_t i = 0; i < nf; i += nf - 1) {
        double e;
        gn_assert_ok(gn_calc_compute(c, fr[i].atoms, &e, NULL, NULL, &err), &err);
        gn_assert_near(e, fr[i].energy, 1e-6 * (1.0 + fabs(e)));
    }
    gn_calc_free(c);
    gn_frames_free(fr, nf);
    gn_potential_free(p);
    gn_potential_free(q);
    json_decref(root);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_lj_ratio),
        cmocka_unit_test(test_switch_c2),
        cmocka_unit_test(test_truncated_shifted),
        cmocka_unit_test(test_forces_parameterised),
        cmocka_unit_test(test_canonical_specs),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_eam_curve),
        cmocka_unit_test(test_cli_bad_specs),
        cmocka_unit_test(test_cli_plot),
        cmocka_unit_test(test_summary_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
