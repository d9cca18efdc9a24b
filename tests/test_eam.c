/* Tests of the EAM module (eV, Å): forces against central finite differences of the energy for
 * eam-pt and a LAMMPS funcfl file on periodic, slab, free and sheared structures; the bulk energy
 * against an independent fcc lattice sum; continuity of F, F' at the switch points and of phi, f
 * and their derivatives across the cutoff taper; setfl output read back; a two-element setfl;
 * bad files each giving an error that names file and line. */
#include "gn_test.h"
#include "gapneb/neighbor.h"
#include "gapneb/pot_eam.h"

#include <unistd.h>

#define PT 78
#define AU 79
#define PT_U3 "/usr/share/lammps/potentials/Pt_u3.eam"

/* ---- structures ---- */

/* fcc conventional cubes nx x ny x nz of side a0; periodic along the flagged directions, with a
 * zero vector along a free one. */
static gn_atoms *fcc_block(double a0, int nx, int ny, int nz, const int pbc[3], int z)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            for (int k = 0; k < nz; k++)
                for (int b = 0; b < 4; b++) {
                    double r[3] = {(i + basis[b][0]) * a0, (j + basis[b][1]) * a0,
                                   (k + basis[b][2]) * a0};
                    gn_assert_ok(gn_atoms_push(a, z, r, 0, &err), &err);
                }
    double h[3][3] = {{nx * a0, 0, 0}, {0, ny * a0, 0}, {0, 0, nz * a0}};
    for (int k = 0; k < 3; k++)
        if (!pbc[k])
            memset(h[k], 0, sizeof h[k]);
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    return a;
}

static void jiggle(gn_atoms *a, double amp, uint64_t seed)
{
    gn_rng rng = {seed};
    for (size_t i = 0; i < 3 * a->n; i++)
        a->pos[i] += amp * (2.0 * gn_rng_uniform(&rng) - 1.0);
}

/* Pt(100) slab 3x3 cubes wide, 2 cubes (4 layers) thick, free along z, adatom in a hollow. */
static gn_atoms *slab_adatom(double a0)
{
    const int pbc[3] = {1, 1, 0};
    gn_atoms *a = fcc_block(a0, 3, 3, 2, pbc, PT);
    gn_error err;
    /* the top layer (z = 1.5 a0) has atoms at (i + 1/2, j) and (i, j + 1/2) a0: (1, 1) a0 is a
     * 4-fold hollow, above an atom of the layer below */
    double r[3] = {a0, a0, 2.0 * a0 + 0.05};
    gn_assert_ok(gn_atoms_push(a, PT, r, 0, &err), &err);
    return a;
}

/* 13-atom free cuboctahedron (an atom and its 12 fcc neighbours). */
static gn_atoms *cluster(double a0)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++)
            for (int k = -1; k <= 1; k++) {
                if (abs(i + j + k) % 2 == 1)
                    continue;
                double r[3] = {0.5 * a0 * i, 0.5 * a0 * j, 0.5 * a0 * k};
                gn_assert_ok(gn_atoms_push(a, PT, r, 0, &err), &err);
            }
    return a;
}

/* A sheared periodic cell: 2x2x2 fcc cubes with b tilted by 0.3 a0 along x and c by 0.2 a0 along
 * y (a lattice vector of the crystal, so the crystal is intact but the cell is triclinic). */
static gn_atoms *sheared(double a0)
{
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = fcc_block(a0, 2, 2, 2, pbc, PT);
    gn_error err;
    double h[3][3] = {{2 * a0, 0, 0}, {a0, 2 * a0, 0}, {0.5 * a0, 0.5 * a0, 2 * a0}};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    return a;
}

/* ---- evaluation ---- */

static double energy_of(const gn_potential *p, gn_nlist *nl, const gn_atoms *a, double *f)
{
    gn_error err;
    double e;
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    gn_assert_ok(p->ops->compute(p->self, a, nl, &e, f, NULL, &err), &err);
    return e;
}

/* Largest |F_analytic - F_fd| over all components (central differences, h = 1e-5 Å). */
static double fd_force_error(const gn_potential *p, gn_atoms *a)
{
    gn_nlist *nl;
    gn_error err;
    gn_assert_ok(gn_nlist_alloc(&nl, gn_potential_cutoff(p), 0.3, &err), &err);
    double *f = malloc(3 * a->n * sizeof *f), *pa = malloc(a->n * sizeof *pa);
    double e0 = energy_of(p, nl, a, f), e0b;
    gn_assert_ok(p->ops->compute(p->self, a, nl, &e0b, NULL, pa, &err), &err);
    double sum = 0;
    for (size_t i = 0; i < a->n; i++)
        sum += pa[i];
    gn_assert_near(sum, e0, 1e-9 * a->n);
    gn_assert_near(e0b, e0, 1e-12 * a->n);
    const double h = 1e-5;
    double worst = 0.0;
    for (size_t k = 0; k < 3 * a->n; k++) {
        double x = a->pos[k];
        a->pos[k] = x + h;
        double ep = energy_of(p, nl, a, NULL);
        a->pos[k] = x - h;
        double em = energy_of(p, nl, a, NULL);
        a->pos[k] = x;
        double fd = -(ep - em) / (2 * h);
        if (fabs(fd - f[k]) > worst)
            worst = fabs(fd - f[k]);
    }
    free(f);
    free(pa);
    gn_nlist_free(nl);
    return worst;
}

static void check_fd_all(const gn_potential *p, double a0)
{
    gn_atoms *s[4];
    const int pbc[3] = {1, 1, 1};
    s[0] = fcc_block(a0, 2, 2, 2, pbc, PT);
    s[1] = slab_adatom(a0);
    s[2] = cluster(a0);
    s[3] = sheared(a0);
    const char *names[4] = {"bulk", "slab+adatom", "cluster", "sheared"};
    for (int k = 0; k < 4; k++) {
        jiggle(s[k], 0.15, 1000 + k);
        double worst = fd_force_error(p, s[k]);
        print_message("  %s %s: max |F - F_fd| = %.2e eV/Å\n", p->name, names[k], worst);
        assert_true(worst < 1e-4);
        gn_atoms_free(s[k]);
    }
}

static void test_fd_eam_pt(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    check_fd_all(p, 3.92);
    gn_potential_free(p);
}

static void test_fd_funcfl(void **state)
{
    (void)state;
    if (access(PT_U3, R_OK) != 0) {
        print_message("  %s not installed: funcfl FD test skipped\n", PT_U3);
        skip();
    }
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_file_alloc(PT_U3, &p, &err), &err);
    assert_int_equal(p->z, PT);
    check_fd_all(p, 3.92);
    gn_potential_free(p);
}

/* ---- independent lattice sum ---- */

/* E/atom of perfect fcc from shells found by brute force over lattice vectors. */
static double fcc_lattice_sum(const gn_potential *p, double a0)
{
    gn_error err;
    double rc = gn_potential_cutoff(p), rho = 0.0, pair = 0.0;
    int n = (int)ceil(2 * rc / a0) + 1;
    for (int i = -n; i <= n; i++)
        for (int j = -n; j <= n; j++)
            for (int k = -n; k <= n; k++) {
                if ((i + j + k) % 2 != 0 || (i == 0 && j == 0 && k == 0))
                    continue;
                double r = 0.5 * a0 * sqrt((double)(i * i + j * j + k * k));
                if (r >= rc)
                    continue;
                double f, df, phi, dphi;
                gn_assert_ok(gn_pot_eam_density(p, PT, r, &f, &df, &err), &err);
                gn_assert_ok(gn_pot_eam_pair(p, PT, PT, r, &phi, &dphi, &err), &err);
                rho += f;
                pair += 0.5 * phi;
            }
    double F, dF;
    gn_assert_ok(gn_pot_eam_embed(p, PT, rho, &F, &dF, &err), &err);
    return F + pair;
}

static void test_lattice_sum(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    const int pbc[3] = {1, 1, 1};
    for (double a0 = 3.80; a0 < 4.1; a0 += 0.1) {
        double ref = fcc_lattice_sum(p, a0);
        /* a 3x3x3 block and the 1-atom primitive cell (every neighbour is a self-image) */
        gn_atoms *a = fcc_block(a0, 3, 3, 3, pbc, PT);
        gn_nlist *nl;
        gn_assert_ok(gn_nlist_alloc(&nl, gn_potential_cutoff(p), 0.3, &err), &err);
        gn_assert_near(energy_of(p, nl, a, NULL) / a->n, ref, 1e-10);
        gn_atoms_free(a);
        gn_assert_ok(gn_atoms_alloc(&a, 1, &err), &err);
        a->z[0] = PT;
        a->mass[0] = 195.08;
        double h[3][3] = {{0, a0 / 2, a0 / 2}, {a0 / 2, 0, a0 / 2}, {a0 / 2, a0 / 2, 0}};
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
        double f[3];
        gn_assert_near(energy_of(p, nl, a, f), ref, 1e-10);
        gn_assert_near(f[0], 0.0, 1e-10);
        gn_atoms_free(a);
        gn_nlist_free(nl);
    }
    /* At r_e = a0/sqrt2 Zhou's fit gives rho = rho_e only approximately: the 12 nearest
     * neighbours supply 12 f_e = 28.04 and the further shells the rest. E/atom at sqrt2 r_e is
     * close to the cohesive energy 5.77 eV the potential was fitted to (Zhou 2004). */
    double e = fcc_lattice_sum(p, sqrt(2.0) * GN_EAM_PT_RE);
    print_message("  eam-pt E/atom at a = sqrt2 r_e: %.6f eV\n", e);
    gn_assert_near(e, -5.77, 0.03);
    /* An isolated atom has zero energy. */
    double F, dF;
    gn_assert_ok(gn_pot_eam_embed(p, PT, 0.0, &F, &dF, &err), &err);
    gn_assert_near(F, 0.0, 1e-6);
    gn_potential_free(p);
}

/* ---- continuity ---- */

static void test_continuity(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    const double rhos[3] = {GN_EAM_PT_RHO_N, GN_EAM_PT_RHO_E, GN_EAM_PT_RHO_0};
    const char *names[3] = {"rho_n", "rho_e", "rho_0"};
    for (int k = 0; k < 3; k++) {
        double Fl, dFl, Fr, dFr;
        gn_assert_ok(gn_pot_eam_embed(p, PT, rhos[k] * (1 - 1e-13), &Fl, &dFl, &err), &err);
        gn_assert_ok(gn_pot_eam_embed(p, PT, rhos[k] * (1 + 1e-13), &Fr, &dFr, &err), &err);
        print_message("  F at %s = %.4f: jump in F %.2e eV, in F' %.2e eV\n", names[k], rhos[k],
                      fabs(Fr - Fl), fabs(dFr - dFl));
        /* The published parameters carry 6-7 digits: that is the continuity they can give
         * (measured: jumps of 6e-8 and 4e-7 eV in F, 2e-8 and 1e-9 eV in F'). */
        assert_true(fabs(Fr - Fl) < 2e-6);
        assert_true(fabs(dFr - dFl) < 1e-7);
    }
    /* dF/drho against a finite difference inside each branch */
    for (double rho = 1.0; rho < 60.0; rho += 3.7) {
        double F, dF, Fp, Fm, d;
        gn_assert_ok(gn_pot_eam_embed(p, PT, rho, &F, &dF, &err), &err);
        gn_assert_ok(gn_pot_eam_embed(p, PT, rho + 1e-6, &Fp, &d, &err), &err);
        gn_assert_ok(gn_pot_eam_embed(p, PT, rho - 1e-6, &Fm, &d, &err), &err);
        gn_assert_near(dF, (Fp - Fm) / 2e-6, 1e-6);
    }
    /* taper: values and slopes continuous at its start, zero at the cutoff */
    const double rs = GN_EAM_PT_RTAPER, rc = GN_EAM_PT_RCUT, eps = 1e-9;
    double f1, df1, f2, df2, p1, dp1, p2, dp2;
    gn_assert_ok(gn_pot_eam_density(p, PT, rs - eps, &f1, &df1, &err), &err);
    gn_assert_ok(gn_pot_eam_density(p, PT, rs + eps, &f2, &df2, &err), &err);
    gn_assert_ok(gn_pot_eam_pair(p, PT, PT, rs - eps, &p1, &dp1, &err), &err);
    gn_assert_ok(gn_pot_eam_pair(p, PT, PT, rs + eps, &p2, &dp2, &err), &err);
    /* across 2e-9 Å the values may differ by slope x 2e-9 */
    gn_assert_near(f1, f2, 1e-11);
    gn_assert_near(df1, df2, 1e-9);
    gn_assert_near(p1, p2, 1e-11);
    gn_assert_near(dp1, dp2, 1e-9);
    gn_assert_ok(gn_pot_eam_density(p, PT, rc - eps, &f1, &df1, &err), &err);
    gn_assert_ok(gn_pot_eam_pair(p, PT, PT, rc - eps, &p1, &dp1, &err), &err);
    gn_assert_near(f1, 0.0, 1e-15);
    gn_assert_near(df1, 0.0, 1e-12);
    gn_assert_near(p1, 0.0, 1e-15);
    gn_assert_near(dp1, 0.0, 1e-12);
    /* derivatives against finite differences, across the taper too */
    for (double r = 2.0; r < rc; r += 0.137) {
        double f, df, phi, dphi, a, b, d;
        gn_assert_ok(gn_pot_eam_density(p, PT, r, &f, &df, &err), &err);
        gn_assert_ok(gn_pot_eam_pair(p, PT, PT, r, &phi, &dphi, &err), &err);
        gn_assert_ok(gn_pot_eam_density(p, PT, r + 1e-6, &a, &d, &err), &err);
        gn_assert_ok(gn_pot_eam_density(p, PT, r - 1e-6, &b, &d, &err), &err);
        gn_assert_near(df, (a - b) / 2e-6, 1e-7);
        gn_assert_ok(gn_pot_eam_pair(p, PT, PT, r + 1e-6, &a, &d, &err), &err);
        gn_assert_ok(gn_pot_eam_pair(p, PT, PT, r - 1e-6, &b, &d, &err), &err);
        gn_assert_near(dphi, (a - b) / 2e-6, 1e-7);
    }
    gn_potential_free(p);
}

/* ---- setfl round trip and multi-element files ---- */

static char tmpdir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gn-test-eam-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_setfl_roundtrip(void **state)
{
    (void)state;
    gn_potential *p, *q;
    gn_error err;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    char path[128];
    snprintf(path, sizeof path, "%s/pt.eam.alloy", tmpdir);
    gn_assert_ok(gn_pot_eam_write_setfl(p, path, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_RHOMAX,
                                        GN_EAM_SETFL_NR, &err),
                 &err);
    gn_assert_ok(gn_pot_eam_file_alloc(path, &q, &err), &err);
    gn_assert_near(gn_potential_cutoff(q), GN_EAM_PT_RCUT, 1e-12);
    gn_atoms *a = slab_adatom(3.92);
    jiggle(a, 0.1, 5);
    gn_nlist *nl;
    gn_assert_ok(gn_nlist_alloc(&nl, GN_EAM_PT_RCUT, 0.3, &err), &err);
    double *f1 = malloc(3 * a->n * sizeof *f1), *f2 = malloc(3 * a->n * sizeof *f2);
    double e1 = energy_of(p, nl, a, f1), e2 = energy_of(q, nl, a, f2), worst = 0;
    for (size_t k = 0; k < 3 * a->n; k++)
        worst = fmax(worst, fabs(f1[k] - f2[k]));
    print_message("  setfl (nrho %d, nr %d) vs analytic: dE = %.2e eV/atom, max dF = %.2e eV/Å\n",
                  GN_EAM_SETFL_NRHO, GN_EAM_SETFL_NR, fabs(e1 - e2) / a->n, worst);
    assert_true(fabs(e1 - e2) / a->n < 1e-6);
    assert_true(worst < 1e-5);
    free(f1);
    free(f2);
    gn_nlist_free(nl);
    gn_atoms_free(a);
    gn_potential_free(q);
    gn_potential_free(p);
}

static void write_values(FILE *fp, int n, double (*fn)(double, int), double dx, int which)
{
    for (int m = 0; m < n; m++)
        fprintf(fp, "%.16e%s", fn(m * dx, which), m % 5 == 4 ? "\n" : " ");
    if (n % 5)
        fputc('\n', fp);
}

/* Simple smooth two-element functions: which = 0 Pt, 1 Au, 2 Pt-Pt, 3 Au-Pt, 4 Au-Au. */
static double emb(double rho, int w) { return -(w ? 1.3 : 1.0) * sqrt(rho + 0.01) + 0.02 * rho; }
static double dens(double r, int w) { double c = 5.0 - r; return (w ? 0.7 : 1.0) * c * c * c * c * exp(-r); }
static double rphi(double r, int w) { double c = 5.0 - r; return r * (0.5 + 0.1 * w) * c * c * c * exp(-1.5 * r); }

static void write_alloy(const char *path, int two)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    const int nrho = 400, nr = 600;
    const double drho = 0.05, dr = 5.0 / (nr - 1);
    fprintf(fp, "test\ntest\ntest\n%d Pt%s\n%d %.16e %d %.16e 5.0\n", two ? 2 : 1,
            two ? " Au" : "", nrho, drho, nr, dr);
    for (int e = 0; e < (two ? 2 : 1); e++) {
        fprintf(fp, "%d %g 4.0 fcc\n", e ? AU : PT, e ? 196.97 : 195.08);
        write_values(fp, nrho, emb, drho, e);
        write_values(fp, nr, dens, dr, e);
    }
    write_values(fp, nr, rphi, dr, 2);
    if (two) {
        write_values(fp, nr, rphi, dr, 3);
        write_values(fp, nr, rphi, dr, 4);
    }
    fclose(fp);
}

static void test_alloy(void **state)
{
    (void)state;
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/one.eam.alloy", tmpdir);
    snprintf(p2, sizeof p2, "%s/two.eam.alloy", tmpdir);
    write_alloy(p1, 0);
    write_alloy(p2, 1);
    gn_potential *q1, *q2;
    gn_error err;
    gn_assert_ok(gn_pot_eam_file_alloc(p1, &q1, &err), &err);
    gn_assert_ok(gn_pot_eam_file_alloc(p2, &q2, &err), &err);
    /* a Pt-only structure sees only the Pt parts of the two-element file */
    gn_atoms *a = cluster(3.3);
    jiggle(a, 0.1, 9);
    gn_nlist *nl;
    gn_assert_ok(gn_nlist_alloc(&nl, 5.0, 0.3, &err), &err);
    double e1 = energy_of(q1, nl, a, NULL), e2 = energy_of(q2, nl, a, NULL);
    gn_assert_near(e1, e2, 1e-12);
    assert_true(fabs(e1) > 0.1);
    /* mixed: forces match finite differences (exercises the asymmetric density terms) */
    for (size_t i = 0; i < a->n; i += 3) {
        a->z[i] = AU;
        a->mass[i] = 196.97;
    }
    double worst = fd_force_error(q2, a);
    print_message("  two-element setfl Pt/Au cluster: max |F - F_fd| = %.2e eV/Å\n", worst);
    assert_true(worst < 1e-4);
    /* the Pt-only file cannot describe Au */
    double e;
    gn_assert_ok(gn_nlist_update(nl, a, &err), &err);
    assert_int_equal(q1->ops->compute(q1->self, a, nl, &e, NULL, NULL, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "Au"));
    gn_nlist_free(nl);
    gn_atoms_free(a);
    gn_potential_free(q1);
    gn_potential_free(q2);
}

/* ---- bad files ---- */

typedef struct bad_case {
    const char *name;
    const char *text;
    int code;
    const char *needle; /* must appear in the message, beside the path */
} bad_case;

static void check_bad(const bad_case *c, int setfl)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s%s", tmpdir, c->name, setfl ? ".eam.alloy" : ".eam");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(c->text, fp);
    fclose(fp);
    gn_potential *p = NULL;
    gn_error err;
    gn_error_clear(&err);
    int rc = gn_pot_eam_file_alloc(path, &p, &err);
    print_message("  %-14s -> %s\n", c->name, err.msg);
    assert_null(p);
    assert_int_equal(rc, c->code);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, c->needle));
}

/* A good funcfl has 6 F values, 6 Z and 6 rho values. */
#define HDR "comment\n78 195.08 3.92 fcc\n"
#define TABS "1 2 3 4 5 6\n1 2 3 4 5 6\n1 2 3 4 5 6\n"

static void test_bad_files(void **state)
{
    (void)state;
    const bad_case funcfl[] = {
        {"truncated", HDR "6 0.1 6 1.0 5.0\n1 2 3 4 5 6\n1 2 3 4 5 6\n1 2 3\n", GN_EPARSE,
         ":6: file ends after 3 of the 6 values of the rho(r)"},
        {"extra", HDR "6 0.1 6 1.0 5.0\n" TABS "7\n", GN_EPARSE, ":7: unexpected data"},
        {"counts", HDR "6 0.1 6 1.0 5.0\n1 2 3 4 5 6 7\n1 2 3 4 5 6\n1 2 3 4 5 6\n", GN_EPARSE,
         ":4: unexpected value after the F(rho)"},
        {"zerospacing", HDR "6 0.0 6 1.0 5.0\n" TABS, GN_ERANGE, ":3: table spacings"},
        {"negspacing", HDR "6 0.1 6 -1.0 5.0\n" TABS, GN_ERANGE, ":3: table spacings"},
        {"nan", HDR "6 0.1 6 1.0 5.0\n1 2 3 4 5 6\n1 2 nan 4 5 6\n1 2 3 4 5 6\n", GN_ERANGE,
         ":5: value 3 of the Z(r) table is nan"},
        {"longcut", HDR "6 0.1 6 1.0 5.5\n" TABS, GN_ERANGE, ":3: cutoff 5.5"},
        {"header", HDR "6 0.1 six 1.0 5.0\n" TABS, GN_EPARSE, ":3: expected 'nrho"},
        {"notnumber", HDR "6 0.1 6 1.0 5.0\n1 2 3 4 5 6\n1 2 3 4 5 6\n1 2 x3 4 5 6\n",
         GN_EPARSE, ":6: 'x3' is not a number"},
        {"empty", "", GN_EPARSE, ":1: file ends"},
        /* a header that announces far more values than the file holds: refused before the
         * tables are allocated (a fuzzed header once made the reader allocate and fill 800 MB) */
        {"huge", HDR "99999999 0.1 6 1.0 5.0\n" TABS, GN_EPARSE,
         ":3: the table sizes announce 100000011 values"},
    };
    for (size_t k = 0; k < sizeof funcfl / sizeof funcfl[0]; k++)
        check_bad(&funcfl[k], 0);
    const bad_case setfl[] = {
        {"nelem", "c\nc\nc\n2 Pt\n5 0.1 5 1.0 4.0\n", GN_EPARSE, ":4: nelements = 2 but 1"},
        {"element", "c\nc\nc\n1 Qq\n5 0.1 5 1.0 4.0\n", GN_EPARSE, ":4: 'Qq' is not an element"},
        {"pairs", "c\nc\nc\n1 Pt\n5 0.1 5 1.0 4.0\n78 195 3.9 fcc\n1 2 3 4 5\n1 2 3 4 5\n1 2 3\n",
         GN_EPARSE, "r*phi(r) of Pt-Pt"},
    };
    for (size_t k = 0; k < sizeof setfl / sizeof setfl[0]; k++)
        check_bad(&setfl[k], 1);
    gn_potential *p = NULL;
    gn_error err;
    assert_int_equal(gn_pot_eam_file_alloc("/tmp/x.eam.fs", &p, &err), GN_ENOTIMPL);
    assert_non_null(strstr(err.msg, "eam/fs"));
    assert_int_equal(gn_pot_eam_file_alloc("/nonexistent/x.eam", &p, &err), GN_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.eam"));
}

/* eam-pt's pair and density functions against Zhou, Johnson and Wadley, PRB 69, 144113 (2004),
 * evaluated here directly from the published form and Pt parameters (REFERENCE-DATA.md), with
 * plain exp() and pow(), below the cutoff taper (r < 5.8 Å). */
static void test_eam_pt_published_form(void **state)
{
    (void)state;
    const double re = 2.771916, fe = 2.336509, alpha = 7.105782, beta = 3.789750;
    const double A = 0.556398, B = 0.696037, kappa = 0.385255, lambda = 0.770510;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &p, &err), &err);
    for (double r = 2.0; r < 5.79; r += 0.0137) {
        double x = r / re;
        double f_ref = fe * exp(-beta * (x - 1)) / (1 + pow(x - lambda, 20));
        double phi_ref = A * exp(-alpha * (x - 1)) / (1 + pow(x - kappa, 20)) -
                         B * exp(-beta * (x - 1)) / (1 + pow(x - lambda, 20));
        double f, df, phi, dphi;
        gn_assert_ok(gn_pot_eam_density(p, 78, r, &f, &df, &err), &err);
        gn_assert_ok(gn_pot_eam_pair(p, 78, 78, r, &phi, &dphi, &err), &err);
        gn_assert_near(f, f_ref, 1e-12 * fabs(f_ref) + 1e-15);
        gn_assert_near(phi, phi_ref, 1e-12 * (fabs(A * exp(-alpha * (x - 1))) + fabs(phi_ref)) + 1e-15);
        /* derivatives against central differences of the same closed form */
        const double h = 1e-5;
        double xp = (r + h) / re, xm = (r - h) / re;
        double fp = fe * exp(-beta * (xp - 1)) / (1 + pow(xp - lambda, 20));
        double fm = fe * exp(-beta * (xm - 1)) / (1 + pow(xm - lambda, 20));
        gn_assert_near(df, (fp - fm) / (2 * h), 1e-7);
    }
    gn_potential_free(p);
}

/* Energy and forces of eam-pt from gn_calc (cell lists, batched pair evaluation) against a plain
 * brute-force sum over periodic images that uses only the per-pair public functions:
 * E = sum_i F(rho_i) + 1/2 sum_ij phi(r_ij), F_i = sum_j [(F'_i + F'_j) f'(r_ij) + phi'(r_ij)] d_ij/r_ij. */
static void brute_eam(const gn_potential *p, const gn_atoms *a, double *energy, double *force)
{
    gn_error err;
    const double rc = gn_potential_cutoff(p);
    int reach[3];
    for (int k = 0; k < 3; k++)
        reach[k] = a->cell.pbc[k] ? (int)ceil(rc / gn_cell_plane_spacing(&a->cell, k)) : 0;
    double *rho = calloc(a->n, sizeof *rho), *dF = calloc(a->n, sizeof *dF);
    assert_non_null(rho);
    assert_non_null(dF);
    double epair = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < a->n; i++)
            for (size_t j = 0; j < a->n; j++)
                for (int n0 = -reach[0]; n0 <= reach[0]; n0++)
                    for (int n1 = -reach[1]; n1 <= reach[1]; n1++)
                        for (int n2 = -reach[2]; n2 <= reach[2]; n2++) {
                            if (i == j && !n0 && !n1 && !n2)
                                continue;
                            double d[3];
                            for (int x = 0; x < 3; x++)
                                d[x] = a->pos[3 * j + x] - a->pos[3 * i + x] +
                                       n0 * a->cell.h[0][x] + n1 * a->cell.h[1][x] +
                                       n2 * a->cell.h[2][x];
                            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                            if (r >= rc)
                                continue;
                            double f, df, phi, dphi;
                            gn_assert_ok(gn_pot_eam_density(p, a->z[j], r, &f, &df, &err), &err);
                            gn_assert_ok(gn_pot_eam_pair(p, a->z[i], a->z[j], r, &phi, &dphi, &err),
                                         &err);
                            if (pass == 0) {
                                rho[i] += f;
                                epair += 0.5 * phi;
                            } else {
                                double s = (dF[i] + dF[j]) * df + dphi;
                                for (int x = 0; x < 3; x++)
                                    force[3 * i + x] += s * d[x] / r;
                            }
                        }
        if (pass == 0) {
            *energy = epair;
            memset(force, 0, 3 * a->n * sizeof *force);
            for (size_t i = 0; i < a->n; i++) {
                double F;
                gn_assert_ok(gn_pot_eam_embed(p, a->z[i], rho[i], &F, &dF[i], &err), &err);
                *energy += F;
            }
        }
    }
    free(rho);
    free(dF);
}

static void test_eam_pt_against_brute_force(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &p, &err), &err);
    const int pbc[3] = {1, 1, 1};
    gn_atoms *structs[3] = {fcc_block(3.92, 3, 3, 3, pbc, PT), cluster(3.92), slab_adatom(3.92)};
    for (int s = 0; s < 3; s++) {
        gn_atoms *a = structs[s];
        jiggle(a, 0.15, 4242 + (uint64_t)s);
        double *fc = malloc(3 * a->n * sizeof *fc), *fb = malloc(3 * a->n * sizeof *fb);
        assert_non_null(fc);
        assert_non_null(fb);
        gn_calc *c;
        double ec, eb;
        gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
        gn_assert_ok(gn_calc_compute(c, a, &ec, fc, NULL, &err), &err);
        brute_eam(p, a, &eb, fb);
        gn_assert_near(ec, eb, 1e-10 * fabs(eb));
        for (size_t i = 0; i < 3 * a->n; i++)
            gn_assert_near(fc[i], fb[i], 1e-9);
        gn_calc_free(c);
        free(fc);
        free(fb);
        gn_atoms_free(a);
    }
    gn_potential_free(p);
}

/* ---- one force call on several threads ---- */

/* Energy and forces of a with nthreads threads (a fresh calculator each time). */
static double threaded(const gn_potential *p, const gn_atoms *a, int nthreads, double *f)
{
    gn_calc *c;
    gn_error err;
    double e;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    gn_assert_ok(gn_calc_set_threads(c, nthreads, &err), &err);
    assert_int_equal(gn_calc_threads(c), nthreads);
    gn_assert_ok(gn_calc_compute(c, a, &e, f, NULL, &err), &err);
    gn_calc_free(c);
    return e;
}

/* The threaded sums only change the order of the additions: energies and forces agree with one
 * thread to 1e-12 relative, for the analytic functions, tables and a two-element table, in bulk
 * and at a free surface, with even and uneven splits. */
static void test_threads(void **state)
{
    (void)state;
    gn_error err;
    char setfl[128], alloy[128];
    snprintf(setfl, sizeof setfl, "%s/threads.eam.alloy", tmpdir);
    snprintf(alloy, sizeof alloy, "%s/threads2.eam.alloy", tmpdir);
    write_alloy(alloy, 1);
    gn_potential *pots[3];
    gn_assert_ok(gn_pot_eam_pt_alloc(&pots[0], &err), &err);
    gn_assert_ok(gn_pot_eam_write_setfl(pots[0], setfl, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_RHOMAX,
                                        GN_EAM_SETFL_NR, &err),
                 &err);
    gn_assert_ok(gn_pot_eam_file_alloc(setfl, &pots[1], &err), &err);
    gn_assert_ok(gn_pot_eam_file_alloc(alloy, &pots[2], &err), &err);
    const int bulk[3] = {1, 1, 1}, slab[3] = {1, 1, 0};
    for (int s = 0; s < 2; s++) {
        gn_atoms *a = fcc_block(3.92, 8, 8, 8, s ? slab : bulk, PT); /* 2048 atoms */
        assert_true(a->n >= GN_CALC_THREADS_MIN_ATOMS);
        jiggle(a, 0.15, 77 + (uint64_t)s);
        for (int q = 0; q < 3; q++) {
            if (q == 2)
                for (size_t i = 0; i < a->n; i += 3)
                    a->z[i] = AU;
            double *f1 = malloc(3 * a->n * sizeof *f1), *fn = malloc(3 * a->n * sizeof *fn);
            assert_non_null(f1);
            assert_non_null(fn);
            double e1 = threaded(pots[q], a, 1, f1), fscale = 0.0;
            for (size_t k = 0; k < 3 * a->n; k++)
                fscale = fmax(fscale, fabs(f1[k]));
            const int counts[] = {2, 3, 4, 7};
            for (int c = 0; c < 4; c++) {
                double en = threaded(pots[q], a, counts[c], fn), worst = 0.0;
                for (size_t k = 0; k < 3 * a->n; k++)
                    worst = fmax(worst, fabs(fn[k] - f1[k]));
                gn_assert_near(en, e1, 1e-12 * fabs(e1));
                assert_true(worst <= 1e-12 * fscale);
                if (c == 0)
                    print_message("  %s, %s, 2 threads: dE/E %.1e, max dF/max F %.1e\n",
                                  q == 0 ? "eam-pt" : q == 1 ? "setfl" : "Pt/Au setfl",
                                  s ? "slab" : "bulk", fabs(en - e1) / fabs(e1),
                                  worst / fscale);
            }
            free(f1);
            free(fn);
        }
        gn_atoms_free(a);
    }
    /* below the size limit, and with per-atom energies, the serial code runs: bit for bit */
    gn_atoms *small = slab_adatom(3.92);
    jiggle(small, 0.1, 3);
    double fs1[3 * 100], fs2[3 * 100];
    assert_true(small->n <= 100);
    double e1 = threaded(pots[0], small, 1, fs1), e2 = threaded(pots[0], small, 2, fs2);
    assert_true(e1 == e2);
    assert_memory_equal(fs1, fs2, 3 * small->n * sizeof *fs1);
    /* one calculator keeps its work arrays between calls: growing them for a large structure
     * and reusing them for a small one changes nothing */
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pots[0], &c, &err), &err);
    gn_assert_ok(gn_calc_set_threads(c, 2, &err), &err);
    gn_atoms *big = fcc_block(3.92, 8, 8, 8, bulk, PT);
    double *fb = malloc(3 * big->n * sizeof *fb), e3;
    assert_non_null(fb);
    gn_assert_ok(gn_calc_compute(c, small, &e3, fs2, NULL, &err), &err);
    gn_assert_ok(gn_calc_compute(c, big, &e3, fb, NULL, &err), &err);
    gn_assert_ok(gn_calc_compute(c, small, &e3, fs2, NULL, &err), &err);
    assert_true(e3 == e1);
    assert_memory_equal(fs1, fs2, 3 * small->n * sizeof *fs1);
    free(fb);
    gn_atoms_free(big);
    assert_int_equal(gn_calc_set_threads(c, 0, &err), GN_EINVAL);
    assert_int_equal(gn_calc_set_threads(c, 65, &err), GN_EINVAL);
    gn_calc_free(c);
    gn_atoms_free(small);
    for (int q = 0; q < 3; q++)
        gn_potential_free(pots[q]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_continuity),
        cmocka_unit_test(test_lattice_sum),
        cmocka_unit_test(test_fd_eam_pt),
        cmocka_unit_test(test_fd_funcfl),
        cmocka_unit_test(test_setfl_roundtrip),
        cmocka_unit_test(test_alloy),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_eam_pt_published_form),
        cmocka_unit_test(test_eam_pt_against_brute_force),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
