/* Tests of the potentials, generic over every built-in (gn_potential_builtins): forces against
 * central finite differences of the energy on perturbed slabs, clusters and periodic blocks;
 * per-atom energies summing to the total; invariance under translation, rotation, permutation
 * and lattice translations of single atoms; a smooth cutoff. Then the pair potentials against
 * their published forms: the LJ well and V(2 r0)/V(r0), the Morse well, and the fcc lattice
 * constants (Morse-Pt: 3.881 Å from eOn / the Pt heptamer benchmark; LJ: 1.5422 sigma).
 * Units: Å and eV (reduced units for "lj"). */
#include "gn_test.h"

#include <pthread.h>

#include "gapneb/neighbor.h"
#include "gapneb/pot_eam.h"
#include "gapneb/pot_pair.h"

#include <unistd.h>

/* A lattice constant at which each built-in is near equilibrium. */
static double test_a0(const gn_potential *p) { return p->z == GN_Z_DUMMY ? 1.55 : 3.92; }

static gn_atoms *new_atoms(const double h[3][3], const int pbc[3])
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    return a;
}

static void push(gn_atoms *a, int z, double x, double y, double zc)
{
    gn_error err;
    const double r[3] = {x, y, zc};
    gn_assert_ok(gn_atoms_push(a, z, r, 0, &err), &err);
}

static const double fcc_basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};

/* n x n x n conventional cubic cells, periodic. */
static gn_atoms *fcc_block(double a0, int n, int z)
{
    const double L = n * a0;
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, L}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = new_atoms(h, pbc);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                for (int b = 0; b < 4; b++)
                    push(a, z, (i + fcc_basis[b][0]) * a0, (j + fcc_basis[b][1]) * a0,
                         (k + fcc_basis[b][2]) * a0);
    return a;
}

/* fcc(100) slab of n x n conventional cells laterally and `layers` layers (a0/2 apart), periodic
 * in x and y, free along z, with an adatom in a 4-fold hollow of the top layer. */
static gn_atoms *fcc100_slab(double a0, int n, int layers, int z)
{
    const double h[3][3] = {{n * a0, 0, 0}, {0, n * a0, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_atoms *a = new_atoms(h, pbc);
    for (int l = 0; l <= layers; l++) {
        double off = (l % 2) * 0.5;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (l == layers) { /* the adatom: one site of the next layer */
                    if (i == 1 && j == 1)
                        push(a, z, (i + off) * a0, j * a0, l * 0.5 * a0);
                    continue;
                }
                push(a, z, (i + off) * a0, j * a0, l * 0.5 * a0);
                push(a, z, (i + off + 0.5) * a0, (j + 0.5) * a0, l * 0.5 * a0);
            }
    }
    return a;
}

/* fcc lattice points within radius R of the origin, free space. */
static gn_atoms *fcc_cluster(double a0, double R, int z)
{
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_atoms *a = new_atoms(h, pbc);
    int m = (int)ceil(R / a0) + 1;
    for (int i = -m; i <= m; i++)
        for (int j = -m; j <= m; j++)
            for (int k = -m; k <= m; k++)
                for (int b = 0; b < 4; b++) {
                    double r[3] = {(i + fcc_basis[b][0]) * a0, (j + fcc_basis[b][1]) * a0,
                                   (k + fcc_basis[b][2]) * a0};
                    if (r[0] * r[0] + r[1] * r[1] + r[2] * r[2] <= R * R)
                        push(a, z, r[0], r[1], r[2]);
                }
    return a;
}

static void perturb(gn_atoms *a, double amp, gn_rng *rng)
{
    for (size_t i = 0; i < 3 * a->n; i++)
        a->pos[i] += amp * (2.0 * gn_rng_uniform(rng) - 1.0);
}

static double energy_of(gn_calc *c, const gn_atoms *a)
{
    gn_error err;
    double e;
    gn_assert_ok(gn_calc_compute(c, a, &e, NULL, NULL, &err), &err);
    return e;
}

/* Forces against central differences (h = 1e-5 length units), per-atom sum, zero net force. */
static void check_forces(const gn_potential *p, gn_atoms *a, const char *what)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    double e, e2;
    double *f = malloc(3 * a->n * sizeof *f), *pa = malloc(a->n * sizeof *pa);
    gn_assert_ok(gn_calc_compute(c, a, &e, f, pa, &err), &err);
    gn_assert_ok(gn_calc_compute(c, a, &e2, NULL, NULL, &err), &err);
    gn_assert_near(e2, e, 1e-12 * fabs(e));
    double sum = 0.0, net[3] = {0, 0, 0};
    for (size_t i = 0; i < a->n; i++) {
        sum += pa[i];
        for (int k = 0; k < 3; k++)
            net[k] += f[3 * i + k];
    }
    gn_assert_near(sum, e, 1e-10 * (1.0 + fabs(e)));
    for (int k = 0; k < 3; k++)
        gn_assert_near(net[k], 0.0, 1e-9 * (double)a->n);
    const double h = 1e-5;
    double maxerr = 0.0, maxf = 0.0;
    for (size_t q = 0; q < 3 * a->n; q++) {
        double x0 = a->pos[q];
        a->pos[q] = x0 + h;
        double ep = energy_of(c, a);
        a->pos[q] = x0 - h;
        double em = energy_of(c, a);
        a->pos[q] = x0;
        double fd = -(ep - em) / (2.0 * h);
        maxerr = fmax(maxerr, fabs(fd - f[q]));
        maxf = fmax(maxf, fabs(f[q]));
    }
    assert_int_equal(gn_calc_calls(c), 2 + 6 * a->n);
    assert_ptr_equal(gn_calc_potential(c), p);
    print_message("  %-8s %-18s %4zu atoms  E = %12.6f  max|F| = %7.4f  max FD error = %.2e\n",
                  p->name, what, a->n, e, maxf, maxerr);
    if (!(maxerr < 1e-4))
        fail_msg("%s, %s: force differs from finite differences by %.3g", p->name, what, maxerr);
    /* the structures are strained and perturbed: zero forces would mean nothing was checked */
    assert_true(maxf > 1e-3);
    free(f);
    free(pa);
    gn_calc_free(c);
}

static void test_forces_all_builtins(void **state)
{
    (void)state;
    gn_rng rng = {2024};
    for (const char *const *name = gn_potential_builtins(); *name; name++) {
        gn_error err;
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(*name, &p, &err), &err);
        double a0 = test_a0(p), amp = 0.05 * a0;
        gn_atoms *a = fcc100_slab(a0, 2, 4, p->z);
        perturb(a, amp, &rng);
        check_forces(p, a, "fcc(100) slab");
        gn_atoms_free(a);
        a = fcc_cluster(a0, 1.1 * a0, p->z);
        perturb(a, amp, &rng);
        check_forces(p, a, "cluster");
        gn_atoms_free(a);
        /* 2 x 2 x 2 cells: shorter than twice cutoff + skin for every built-in */
        a = fcc_block(0.98 * a0, 2, p->z);
        perturb(a, amp, &rng);
        check_forces(p, a, "periodic block");
        gn_atoms_free(a);
        gn_potential_free(p);
    }
}

static void rotate(gn_atoms *a, const double R[3][3])
{
    for (size_t i = 0; i < a->n; i++) {
        double *x = a->pos + 3 * i, y[3];
        for (int r = 0; r < 3; r++)
            y[r] = R[r][0] * x[0] + R[r][1] * x[1] + R[r][2] * x[2];
        memcpy(x, y, sizeof y);
    }
}

/* Rotation from a random unit quaternion. */
static void random_rotation(gn_rng *rng, double R[3][3])
{
    double q[4], n = 0.0;
    for (int k = 0; k < 4; k++) {
        q[k] = gn_rng_uniform(rng) - 0.5;
        n += q[k] * q[k];
    }
    n = sqrt(n);
    double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
    double M[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                      {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                      {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    memcpy(R, M, sizeof M);
}

static void check_invariance(const gn_potential *p, const gn_atoms *a0, int rotatable, gn_rng *rng)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    gn_atoms *a;
    gn_assert_ok(gn_atoms_copy(a0, &a, &err), &err);
    size_t n = a->n;
    double *f0 = malloc(3 * n * sizeof *f0), *f1 = malloc(3 * n * sizeof *f1), e0, e1;
    gn_assert_ok(gn_calc_compute(c, a, &e0, f0, NULL, &err), &err);
    const double tol = 1e-9 * (1.0 + fabs(e0));

    /* translation of everything */
    double t[3] = {3.3 * gn_rng_uniform(rng), -7.1 * gn_rng_uniform(rng),
                   5.0 * gn_rng_uniform(rng)};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            a->pos[3 * i + k] += t[k];
    gn_assert_near(energy_of(c, a), e0, tol);

    /* single atoms moved by lattice vectors of periodic directions */
    for (size_t i = 0; i < n; i += 3)
        for (int k = 0; k < 3; k++)
            if (a->cell.pbc[k])
                for (int x = 0; x < 3; x++)
                    a->pos[3 * i + x] += (i % 2 ? -1.0 : 2.0) * a->cell.h[k][x];
    gn_assert_near(energy_of(c, a), e0, tol);

    /* permutation: reverse the order; forces follow their atoms */
    for (size_t i = 0; i < n / 2; i++)
        for (int k = 0; k < 3; k++) {
            double s = a->pos[3 * i + k];
            a->pos[3 * i + k] = a->pos[3 * (n - 1 - i) + k];
            a->pos[3 * (n - 1 - i) + k] = s;
        }
    gn_assert_ok(gn_calc_compute(c, a, &e1, f1, NULL, &err), &err);
    gn_assert_near(e1, e0, tol);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            gn_assert_near(f1[3 * (n - 1 - i) + k], f0[3 * i + k], 1e-8);

    if (rotatable) {
        double R[3][3];
        random_rotation(rng, R);
        rotate(a, R);
        gn_assert_ok(gn_calc_compute(c, a, &e1, f1, NULL, &err), &err);
        gn_assert_near(e1, e0, tol);
        /* forces rotate with the structure */
        for (size_t i = 0; i < n; i++)
            for (int r = 0; r < 3; r++) {
                const double *g = f0 + 3 * (n - 1 - i);
                gn_assert_near(f1[3 * i + r], R[r][0] * g[0] + R[r][1] * g[1] + R[r][2] * g[2],
                               1e-8);
            }
    }
    free(f0);
    free(f1);
    gn_atoms_free(a);
    gn_calc_free(c);
}

static void test_invariance_all_builtins(void **state)
{
    (void)state;
    gn_rng rng = {77};
    for (const char *const *name = gn_potential_builtins(); *name; name++) {
        gn_error err;
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(*name, &p, &err), &err);
        double a0 = test_a0(p);
        gn_atoms *a = fcc_cluster(a0, 1.3 * a0, p->z);
        perturb(a, 0.05 * a0, &rng);
        check_invariance(p, a, 1, &rng);
        gn_atoms_free(a);
        a = fcc100_slab(a0, 2, 3, p->z);
        perturb(a, 0.05 * a0, &rng);
        check_invariance(p, a, 0, &rng);
        gn_atoms_free(a);
        a = fcc_block(a0, 2, p->z);
        perturb(a, 0.05 * a0, &rng);
        check_invariance(p, a, 0, &rng);
        gn_atoms_free(a);
        gn_potential_free(p);
    }
}

/* Dimer energy and the force on atom 2 along the axis (positive = repulsive). */
static double dimer(gn_calc *c, int z, double r, double *force)
{
    gn_error err;
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_atoms *a = new_atoms(h, pbc);
    push(a, z, 0.3, -0.2, 0.1);
    push(a, z, 0.3 + r / sqrt(3.0), -0.2 + r / sqrt(3.0), 0.1 + r / sqrt(3.0));
    double e, f[6];
    gn_assert_ok(gn_calc_compute(c, a, &e, f, NULL, &err), &err);
    *force = (f[3] + f[4] + f[5]) / sqrt(3.0);
    gn_atoms_free(a);
    return e;
}

/* Energy and force reach zero at the cutoff as (rc - r)^3 and (rc - r)^2: both continuous, and
 * the force derivative too. Zero beyond. */
static void test_smooth_cutoff_all_builtins(void **state)
{
    (void)state;
    for (const char *const *name = gn_potential_builtins(); *name; name++) {
        gn_error err;
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(*name, &p, &err), &err);
        gn_calc *c;
        gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
        double rc = gn_potential_cutoff(p), f1, f2, f3;
        double d = 0.004 * (p->z == GN_Z_DUMMY ? 1.0 : 3.0);
        double e1 = dimer(c, p->z, rc - d, &f1), e2 = dimer(c, p->z, rc - 0.5 * d, &f2);
        print_message("  %-8s cutoff %.4f: E(rc-%.3f) = %.3e, E(rc-%.3f) = %.3e, F: %.3e, %.3e\n",
                      p->name, rc, d, e1, 0.5 * d, e2, f1, f2);
        assert_true(fabs(e1) > 0.0 && fabs(f1) > 0.0);
        gn_assert_near(e2 / e1, 0.125, 0.02);
        gn_assert_near(f2 / f1, 0.25, 0.03);
        assert_true(dimer(c, p->z, rc + 1e-9, &f3) == 0.0 && f3 == 0.0);
        gn_calc_free(c);
        gn_potential_free(p);
    }
}

/* The pure 12-6 form: minimum -eps at 2^(1/6) sigma; V(2 r0)/V(r0) = 0.0310 (1/32 - 1/4096 =
 * 0.031006); the r^-6 term alone at 2 r0 is 3.125 % of the well. */
static void test_lj_published_form(void **state)
{
    (void)state;
    const double r0 = pow(2.0, 1.0 / 6.0);
    double dv, dv2;
    double v0 = gn_lj_pair(1.0, 1.0, r0, &dv);
    gn_assert_near(v0, -1.0, 1e-12);
    gn_assert_near(dv, 0.0, 1e-12);
    double v2 = gn_lj_pair(1.0, 1.0, 2.0 * r0, &dv2);
    gn_assert_near(v2 / v0, 0.0310, 5e-5);
    gn_assert_near(4.0 * pow(2.0 * r0, -6) / fabs(v0), 0.03125, 1e-12);
    /* scaling: V_eps,sigma(r) = eps V_1,1(r / sigma) */
    double dvs;
    gn_assert_near(gn_lj_pair(0.338, 2.534, 2.534 * 1.3, &dvs),
                   0.338 * gn_lj_pair(1.0, 1.0, 1.3, &dv), 1e-14);
    gn_assert_near(dvs, 0.338 / 2.534 * dv, 1e-13);
    /* derivative of the pure function by central differences */
    for (double r = 0.95; r < 3.0; r += 0.13) {
        double dd, dm, dp;
        gn_lj_pair(1.0, 1.0, r, &dd);
        double fd =
            (gn_lj_pair(1.0, 1.0, r + 1e-6, &dp) - gn_lj_pair(1.0, 1.0, r - 1e-6, &dm)) / 2e-6;
        gn_assert_near(dd, fd, 1e-6 * (1.0 + fabs(dd)));
    }

    /* The "lj" and "lj-pt" potentials through the calculator: the well is outside the switch. */
    gn_error err;
    const char *names[2] = {"lj", "lj-pt"};
    /* lj-pt: r0 = 2.845 Å and eps = 7.80 kcal/mol (Heinz et al. 2008; INTERFACE FF v1.5) */
    const double sig[2] = {1.0, 2.845 / r0}, eps[2] = {1.0, 7.80 * 4184.0 / 96485.33212};
    for (int k = 0; k < 2; k++) {
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(names[k], &p, &err), &err);
        gn_calc *c;
        gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
        double f, e = dimer(c, p->z, r0 * sig[k], &f);
        gn_assert_near(e, -eps[k], 1e-12);
        gn_assert_near(f, 0.0, 1e-10);
        gn_assert_near(gn_potential_cutoff(p), 2.5 * sig[k], 1e-12);
        gn_calc_free(c);
        gn_potential_free(p);
    }
}

/* Morse: minimum -D at r0; derivative by finite differences. */
static void test_morse_published_form(void **state)
{
    (void)state;
    double dv;
    gn_assert_near(gn_morse_pair(0.7102, 1.6047, 2.8970, 2.8970, &dv), -0.7102, 1e-14);
    gn_assert_near(dv, 0.0, 1e-14);
    /* V(r0 + ln2 / alpha) = -3/4 D: exp(-alpha x) = 1/2 */
    gn_assert_near(gn_morse_pair(0.7102, 1.6047, 2.8970, 2.8970 + log(2.0) / 1.6047, &dv),
                   -0.75 * 0.7102, 1e-14);
    for (double r = 2.0; r < 9.0; r += 0.37) {
        double dd, dm, dp;
        gn_morse_pair(0.7102, 1.6047, 2.8970, r, &dd);
        double fd = (gn_morse_pair(0.7102, 1.6047, 2.8970, r + 1e-6, &dp) -
                     gn_morse_pair(0.7102, 1.6047, 2.8970, r - 1e-6, &dm)) / 2e-6;
        gn_assert_near(dd, fd, 1e-7);
    }
    gn_error err;
    gn_potential *p;
    gn_assert_ok(gn_potential_alloc("morse-pt", &p, &err), &err);
    assert_int_equal(p->z, 78);
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    double f, e = dimer(c, 78, 2.8970, &f);
    gn_assert_near(e, -0.7102, 1e-12);
    gn_assert_near(f, 0.0, 1e-10);
    gn_calc_free(c);
    gn_potential_free(p);
}

/* Energy per atom of fcc with lattice constant a0, from the one-atom primitive cell (every
 * neighbour is an image of the atom itself). */
static double fcc_energy(gn_calc *c, int z, double a0)
{
    const double h[3][3] = {{0, a0 / 2, a0 / 2}, {a0 / 2, 0, a0 / 2}, {a0 / 2, a0 / 2, 0}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = new_atoms(h, pbc);
    push(a, z, 0.1, 0.2, 0.3);
    double e = energy_of(c, a);
    gn_atoms_free(a);
    return e;
}

/* Golden-section search for the minimum of the fcc energy per atom over a0 in [lo, hi]. */
static double fcc_a0(const gn_potential *p, double lo, double hi, double *emin)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    const double g = (sqrt(5.0) - 1.0) / 2.0;
    double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    double f1 = fcc_energy(c, p->z, x1), f2 = fcc_energy(c, p->z, x2);
    while (hi - lo > 1e-7) {
        if (f1 < f2) {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = fcc_energy(c, p->z, x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = fcc_energy(c, p->z, x2);
        }
    }
    *emin = fcc_energy(c, p->z, 0.5 * (lo + hi));
    gn_calc_free(c);
    return 0.5 * (lo + hi);
}

static void test_fcc_lattice_constants(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *p;
    double e;
    /* eOn's Morse Pt: nearest neighbour 2.74412 Å, i.e. a0 = 3.8808 Å (Pt heptamer benchmark) */
    gn_assert_ok(gn_potential_alloc("morse-pt", &p, &err), &err);
    double a = fcc_a0(p, 3.6, 4.2, &e);
    print_message("  morse-pt: fcc a0 = %.5f Å, E = %.5f eV/atom\n", a, e);
    gn_assert_near(a, 2.74412 * sqrt(2.0), 2e-3);
    gn_potential_free(p);
    /* 12-6 LJ fcc with complete lattice sums: a0 = 1.5422 sigma (nn 1.0905 sigma); the
     * truncation at 2.5 sigma shifts it by well under 1 %. */
    gn_assert_ok(gn_potential_alloc("lj", &p, &err), &err);
    a = fcc_a0(p, 1.4, 1.7, &e);
    print_message("  lj: fcc a0 = %.5f sigma, E = %.5f eps/atom\n", a, e);
    gn_assert_near(a, 1.5422, 0.01 * 1.5422);
    gn_potential_free(p);
    /* Heinz et al. fitted lj-pt to the Pt lattice (3.92 Å) */
    gn_assert_ok(gn_potential_alloc("lj-pt", &p, &err), &err);
    a = fcc_a0(p, 3.6, 4.2, &e);
    print_message("  lj-pt: fcc a0 = %.5f Å, E = %.5f eV/atom\n", a, e);
    gn_assert_near(a, 3.92, 0.01 * 3.92);
    gn_potential_free(p);
}

static void test_switch(void **state)
{
    (void)state;
    double d;
    gn_assert_near(gn_switch_quintic(1.0, 2.0, 3.0, &d), 1.0, 0.0);
    gn_assert_near(gn_switch_quintic(2.5, 2.0, 3.0, &d), 0.5, 1e-15);
    gn_assert_near(d, -1.875, 1e-12);
    gn_assert_near(gn_switch_quintic(3.0, 2.0, 3.0, &d), 0.0, 0.0);
    for (double r = 2.01; r < 3.0; r += 0.07) {
        double dm, dp;
        gn_switch_quintic(r, 2.0, 3.0, &d);
        double fd = (gn_switch_quintic(r + 1e-6, 2.0, 3.0, &dp) -
                     gn_switch_quintic(r - 1e-6, 2.0, 3.0, &dm)) / 2e-6;
        gn_assert_near(d, fd, 1e-8);
    }
}

static void test_registry(void **state)
{
    (void)state;
    const char *const *names = gn_potential_builtins();
    assert_string_equal(names[0], GN_POTENTIAL_DEFAULT);
    int n = 0;
    for (; names[n]; n++) {
        gn_error err;
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(names[n], &p, &err), &err);
        assert_string_equal(p->name, names[n]);
        assert_true(strlen(p->description) > 10);
        assert_true(gn_potential_cutoff(p) > 0.0);
        gn_potential_free(p);
    }
    assert_true(n >= 4);
    gn_error err;
    gn_potential *p = (gn_potential *)&err;
    assert_int_equal(gn_potential_alloc("no-such-potential", &p, &err), GN_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err.msg, "no-such-potential"));
    assert_non_null(strstr(err.msg, "morse-pt"));
    /* a missing EAM file is an I/O error naming the file */
    int rc = gn_potential_alloc("/nonexistent/Pt_u3.eam", &p, &err);
    assert_int_equal(rc, GN_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/Pt_u3.eam"));
    assert_int_equal(gn_potential_alloc("Pt.eam.fs", &p, &err), GN_ENOTIMPL);
    assert_non_null(strstr(err.msg, "Pt.eam.fs"));
    /* files go to the EAM reader: a setfl written from eam-pt comes back as an EAM potential,
     * and an existing file of any other name is read (here: fails to parse), not "unknown" */
    char dir[] = "/tmp/gn_test_potential_XXXXXX", path[64], junk[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/Pt.eam.alloy", dir);
    snprintf(junk, sizeof junk, "%s/notes.txt", dir);
    gn_potential *eam;
    gn_assert_ok(gn_potential_alloc("eam-pt", &eam, &err), &err);
    gn_assert_ok(gn_pot_eam_write_setfl(eam, path, 2000, 100.0, 2000, &err), &err);
    gn_potential_free(eam);
    gn_assert_ok(gn_potential_alloc(path, &p, &err), &err);
    assert_true(gn_pot_eam_is(p));
    assert_int_equal(p->z, 78);
    gn_potential_free(p);
    gn_assert_ok(gn_file_write_string(junk, "not a potential\n", &err), &err);
    rc = gn_potential_alloc(junk, &p, &err);
    assert_int_not_equal(rc, GN_OK);
    assert_null(strstr(err.msg, "unknown potential"));
    assert_non_null(strstr(err.msg, "notes.txt"));
    remove(path);
    remove(junk);
    rmdir(dir);
    gn_potential_free(NULL);
    assert_int_equal(gn_pot_lj_alloc(1.0, 1.0, 2.5, 2.0, 0, &p, &err), GN_EINVAL);
    assert_int_equal(gn_pot_morse_alloc(-1.0, 1.0, 1.0, 2.0, 3.0, 78, &p, &err), GN_EINVAL);
    gn_assert_ok(gn_pot_morse_alloc(1.0, 1.0, 1.0, 2.0, 3.0, 78, &p, &err), &err);
    gn_potential_free(p);
}

/* Two atoms on top of each other are an error, not a NaN. */
static void test_overlap_error(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *p;
    gn_assert_ok(gn_potential_alloc("lj", &p, &err), &err);
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    const double h[3][3] = {{0}};
    const int pbc[3] = {0, 0, 0};
    gn_atoms *a = new_atoms(h, pbc);
    push(a, 0, 1, 1, 1);
    push(a, 0, 1, 1, 1);
    double e;
    assert_int_not_equal(gn_calc_compute(c, a, &e, NULL, NULL, &err), GN_OK);
    assert_non_null(strstr(err.msg, "atoms 1 and 2"));
    gn_atoms_free(a);
    gn_calc_free(c);
    gn_potential_free(p);
}

/* Cross-check with LAMMPS (29 Sep 2021, Update 2) on a 32-atom triclinic cell with
 * several images of each atom inside the cutoff: the atoms of a 2x2x2 fcc block (fractional
 * coordinates of the sheared cell below) displaced by 0.15 sin(1.7 i + 2.1 c) Å. LAMMPS input:
 * units metal, pair_style morse 6.0 (pair_coeff 1 1 0.7102 1.6047 2.8970) or lj/cut 5.0
 * (pair_coeff 1 1 0.33824 2.53458), pair_modify shift no, run 0, dump of fx fy fz and pe/atom.
 * Here the switch is made 1e-9 Å wide so that the potentials are the plain truncated forms. */
static gn_atoms *lammps_cell(void)
{
    const double h[3][3] = {{7.9, 0, 0}, {1.2, 7.6, 0}, {-0.8, 0.9, 8.1}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = new_atoms(h, pbc);
    int i = 0;
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++)
            for (int z = 0; z < 2; z++)
                for (int b = 0; b < 4; b++, i++) {
                    double s[3] = {(x + fcc_basis[b][0]) / 2, (y + fcc_basis[b][1]) / 2,
                                   (z + fcc_basis[b][2]) / 2},
                           r[3];
                    for (int c = 0; c < 3; c++)
                        r[c] = s[0] * h[0][c] + s[1] * h[1][c] + s[2] * h[2][c] +
                               0.15 * sin(1.7 * i + 2.1 * c);
                    push(a, 78, r[0], r[1], r[2]);
                }
    return a;
}

static void check_against_lammps(gn_potential *p, double e_ref, const double f_ref[3][3],
                                 const double pe_ref[3])
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    gn_atoms *a = lammps_cell();
    double e, f[96], pe[32];
    gn_assert_ok(gn_calc_compute(c, a, &e, f, pe, &err), &err);
    print_message("  %s: E = %.10f eV (LAMMPS %.10f)\n", p->description, e, e_ref);
    gn_assert_near(e, e_ref, 1e-8);
    for (int i = 0; i < 3; i++) {
        gn_assert_near(pe[i], pe_ref[i], 1e-9);
        for (int k = 0; k < 3; k++)
            gn_assert_near(f[3 * i + k], f_ref[i][k], 1e-9);
    }
    gn_atoms_free(a);
    gn_calc_free(c);
}

static void test_pair_vs_lammps(void **state)
{
    (void)state;
    gn_error err;
    gn_potential *p;
    gn_assert_ok(gn_pot_morse_alloc(0.7102, 1.6047, 2.8970, 6.0, 6.0 + 1e-9, 78, &p, &err), &err);
    const double fm[3][3] = {{1.983242801947, -2.787609471394, 1.500815134093},
                             {-1.813587305299, 0.122357290860, 0.377776475836},
                             {0.902116965505, 1.101178050219, -2.710673915260}};
    const double pm[3] = {-5.271289028042, -5.364710680176, -5.618496499394};
    check_against_lammps(p, -150.9526725555, fm, pm);
    gn_potential_free(p);
    gn_assert_ok(gn_pot_lj_alloc(0.33824, 2.53458, 5.0, 5.0 + 1e-9, 78, &p, &err), &err);
    const double fl[3][3] = {{3.117343372689, -3.693702947119, 1.039298476642},
                             {-1.887956247370, 0.334344392028, -0.101520029472},
                             {0.280752035982, 1.041583408042, -1.941040276322}};
    const double pl[3] = {-2.049424662435, -2.151577594530, -2.369274018550};
    check_against_lammps(p, -40.9683906649, fl, pl);
    gn_potential_free(p);
}

/* One potential shared by two threads, each with its own calculator, gives the serial results:
 * the potential is immutable and all mutable state lives in gn_calc. */
typedef struct thread_job {
    const gn_potential *p;
    const gn_atoms *a;
    double energy;
    int rc;
} thread_job;

static void *thread_run(void *arg)
{
    thread_job *job = arg;
    gn_error err;
    gn_calc *c;
    job->rc = gn_calc_alloc(job->p, &c, &err);
    for (int it = 0; it < 20 && !job->rc; it++)
        job->rc = gn_calc_compute(c, job->a, &job->energy, NULL, NULL, &err);
    gn_calc_free(c);
    return NULL;
}

static void test_threads_share_potential(void **state)
{
    (void)state;
    gn_rng rng = {31};
    for (const char *const *name = gn_potential_builtins(); *name; name++) {
        gn_error err;
        gn_potential *p;
        gn_assert_ok(gn_potential_alloc(*name, &p, &err), &err);
        double a0 = test_a0(p);
        gn_atoms *a1 = fcc_block(a0, 2, p->z), *a2 = fcc_cluster(a0, 1.2 * a0, p->z);
        perturb(a1, 0.05 * a0, &rng);
        perturb(a2, 0.05 * a0, &rng);
        thread_job jobs[2] = {{p, a1, 0.0, 0}, {p, a2, 0.0, 0}};
        pthread_t t[2];
        for (int k = 0; k < 2; k++)
            assert_int_equal(pthread_create(&t[k], NULL, thread_run, &jobs[k]), 0);
        for (int k = 0; k < 2; k++)
            assert_int_equal(pthread_join(t[k], NULL), 0);
        gn_calc *c;
        gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(jobs[k].rc, GN_OK);
            assert_true(jobs[k].energy == energy_of(c, jobs[k].a));
        }
        gn_calc_free(c);
        gn_atoms_free(a1);
        gn_atoms_free(a2);
        gn_potential_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_switch),
        cmocka_unit_test(test_lj_published_form),
        cmocka_unit_test(test_morse_published_form),
        cmocka_unit_test(test_forces_all_builtins),
        cmocka_unit_test(test_invariance_all_builtins),
        cmocka_unit_test(test_smooth_cutoff_all_builtins),
        cmocka_unit_test(test_fcc_lattice_constants),
        cmocka_unit_test(test_overlap_error),
        cmocka_unit_test(test_pair_vs_lammps),
        cmocka_unit_test(test_threads_share_potential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
