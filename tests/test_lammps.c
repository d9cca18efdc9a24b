/* Cross-check of the EAM module against LAMMPS (eV, Å): the same structures, written from C as a
 * LAMMPS data file, evaluated by `lmp` (pair_style eam with Pt_u3.eam; pair_style eam/alloy with
 * the setfl file gapneb writes for eam-pt) and by gapneb. Energies must agree within 1e-6 eV/atom
 * and every force component within 1e-5 eV/Å; for the setfl case gapneb reads the same file, and
 * the analytic eam-pt is compared with LAMMPS's interpolation of it as well.
 * Structures: a Pt(100) slab with an adatom (periodic x, y, free z: LAMMPS boundary p p f with
 * the box well beyond the atoms, so nothing interacts across z), a free cluster (f f f) and a
 * sheared periodic triclinic cell, and a cell compressed to a = 2.6 Å, whose densities lie beyond
 * the F(rho) tables (LAMMPS's linear extension of F, and its funcfl quirk of starting it one grid
 * point past the resampled table). Skipped (exit 77) if LAMMPS or Pt_u3.eam is not installed. */
#include "config.h"
#include "gn_test.h"
#include "gapneb/pot_eam.h"

#include <unistd.h>

#define PT 78
#define PT_U3 "/usr/share/lammps/potentials/Pt_u3.eam"

static char dir[64];
/* LAMMPS atom types by atomic number (type k + 1 is type_z[k]), and whether make() turns every
 * third atom into Au */
static int type_z[2] = {PT, 0}, ntypes = 1, mix_au = 0;

/* ---- structures (fcc Pt, a0 = 3.92 Å, jiggled so that forces are not zero by symmetry) ---- */

static void push(gn_atoms *a, double x, double y, double z)
{
    gn_error err;
    double r[3] = {x, y, z};
    gn_assert_ok(gn_atoms_push(a, PT, r, 0, &err), &err);
}

static gn_atoms *fcc(double a0, int nx, int ny, int nz)
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            for (int k = 0; k < nz; k++)
                for (int b = 0; b < 4; b++)
                    push(a, (i + basis[b][0]) * a0, (j + basis[b][1]) * a0,
                         (k + basis[b][2]) * a0);
    return a;
}

static void jiggle(gn_atoms *a, double amp, uint64_t seed)
{
    gn_rng rng = {seed};
    for (size_t i = 0; i < 3 * a->n; i++)
        a->pos[i] += amp * (2.0 * gn_rng_uniform(&rng) - 1.0);
}

static gn_atoms *make(int kind)
{
    const double a0 = 3.92;
    gn_error err;
    gn_atoms *a;
    if (kind == 0) { /* slab 3x3 cubes, 4 layers, adatom in a 4-fold hollow */
        a = fcc(a0, 3, 3, 2);
        push(a, a0, a0, 2.0 * a0);
        double h[3][3] = {{3 * a0, 0, 0}, {0, 3 * a0, 0}, {0, 0, 0}};
        const int pbc[3] = {1, 1, 0};
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    } else if (kind == 1) { /* free 2x2x2-cube cluster, 32 atoms */
        a = fcc(a0, 2, 2, 2);
    } else if (kind == 3) { /* compressed to a = 2.6 Å: densities beyond both files' tables */
        a = fcc(2.6, 3, 3, 3);
        double h[3][3] = {{3 * 2.6, 0, 0}, {0, 3 * 2.6, 0}, {0, 0, 3 * 2.6}};
        const int pbc[3] = {1, 1, 1};
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    } else { /* 3x3x3 cubes with b and c tilted by crystal lattice vectors */
        a = fcc(a0, 3, 3, 3);
        double h[3][3] = {{3 * a0, 0, 0}, {a0, 3 * a0, 0}, {0.5 * a0, 0.5 * a0, 3 * a0}};
        const int pbc[3] = {1, 1, 1};
        gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    }
    jiggle(a, 0.12, 42 + kind);
    for (size_t i = 0; mix_au && i < a->n; i += 3) {
        a->z[i] = GN_TEST_AU;
        a->mass[i] = gn_element_mass(GN_TEST_AU);
    }
    return a;
}

static const char *kind_name(int kind)
{
    static const char *names[4] = {"slab+adatom (p p f)", "cluster (f f f)", "triclinic (p p p)",
                                   "compressed (p p p)"};
    return names[kind];
}

/* ---- LAMMPS side ---- */

static void write_data(const gn_atoms *a, const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    double lo[3] = {1e30, 1e30, 1e30}, hi[3] = {-1e30, -1e30, -1e30};
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], a->pos[3 * i + k]);
            hi[k] = fmax(hi[k], a->pos[3 * i + k]);
        }
    const double (*h)[3] = a->cell.h;
    fprintf(fp, "gapneb test structure\n\n%zu atoms\n%d atom types\n\n", a->n, ntypes);
    const char *ax[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) {
        /* periodic: the cell (LAMMPS wraps the atoms into it); free: 20 Å of vacuum */
        double l = a->cell.pbc[k] ? 0.0 : lo[k] - 20.0;
        double u = a->cell.pbc[k] ? h[k][k] : hi[k] + 20.0;
        fprintf(fp, "%.16g %.16g %slo %shi\n", l, u, ax[k], ax[k]);
    }
    if (a->cell.pbc[0] && a->cell.pbc[1] && a->cell.pbc[2])
        fprintf(fp, "%.16g %.16g %.16g xy xz yz\n", h[1][0], h[2][0], h[2][1]);
    fprintf(fp, "\nMasses\n\n");
    for (int t = 0; t < ntypes; t++)
        fprintf(fp, "%d %.4f\n", t + 1, gn_element_mass(type_z[t]));
    fprintf(fp, "\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++) {
        int t = 0;
        while (t + 1 < ntypes && type_z[t] != a->z[i])
            t++;
        assert_int_equal(type_z[t], a->z[i]);
        fprintf(fp, "%zu %d %.16g %.16g %.16g\n", i + 1, t + 1, a->pos[3 * i], a->pos[3 * i + 1],
                a->pos[3 * i + 2]);
    }
    fclose(fp);
}

/* Runs lmp on the structure; returns 0 and fills energy and forces (by atom id), -1 on failure. */
static int run_lammps(const gn_atoms *a, const char *pair_style, const char *pair_coeff,
                      double *energy, double *forces)
{
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/data.lmp", dir);
    write_data(a, path);
    snprintf(path, sizeof path, "%s/in.lmp", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp,
            "units metal\natom_style atomic\natom_modify map array\nboundary %s %s %s\n"
            "read_data data.lmp\npair_style %s\npair_coeff %s\nneighbor 1.0 bin\n"
            "thermo_style custom step pe\nthermo_modify format float %%.15g\nrun 0\n"
            "print \"PE $(pe:%%.15g)\" file pe.txt\n"
            "write_dump all custom forces.dump id fx fy fz modify format float %%.15g\n",
            a->cell.pbc[0] ? "p" : "f", a->cell.pbc[1] ? "p" : "f", a->cell.pbc[2] ? "p" : "f",
            pair_style, pair_coeff);
    fclose(fp);
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -f pe.txt forces.dump && '%s' -in in.lmp -log none "
             "-screen none > lmp.out 2>&1", dir, GN_LMP_PATH);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/pe.txt", dir);
    fp = fopen(path, "r");
    if (!fp || fscanf(fp, "PE %lf", energy) != 1) {
        if (fp)
            fclose(fp);
        return -1;
    }
    fclose(fp);
    snprintf(path, sizeof path, "%s/forces.dump", dir);
    fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[512];
    for (int k = 0; k < 9; k++)
        if (!fgets(line, sizeof line, fp))
            break;
    size_t got = 0;
    long id;
    double f[3];
    while (fscanf(fp, "%ld %lf %lf %lf", &id, &f[0], &f[1], &f[2]) == 4)
        if (id >= 1 && (size_t)id <= a->n) {
            memcpy(forces + 3 * (id - 1), f, sizeof f);
            got++;
        }
    fclose(fp);
    return got == a->n ? 0 : -1;
}

/* ---- comparison ---- */

static void compare(const gn_potential *p, const char *pair_style, const char *pair_coeff,
                    int nkinds, double tol_e, double tol_f)
{
    for (int kind = 0; kind < nkinds; kind++) {
        gn_atoms *a = make(kind);
        double *fl = calloc(3 * a->n, sizeof *fl), *fg = calloc(3 * a->n, sizeof *fg), el, eg;
        if (run_lammps(a, pair_style, pair_coeff, &el, fl) != 0)
            fail_msg("LAMMPS failed on %s with pair_style %s (see %s/lmp.out)", kind_name(kind),
                     pair_style, dir);
        gn_calc *c;
        gn_error err;
        gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
        gn_assert_ok(gn_calc_compute(c, a, &eg, fg, NULL, &err), &err);
        double worst = 0.0;
        for (size_t k = 0; k < 3 * a->n; k++)
            worst = fmax(worst, fabs(fl[k] - fg[k]));
        double de = fabs(el - eg) / a->n;
        print_message("  %-28s %-20s E/N %.9f (LAMMPS %.9f): dE %.1e eV/atom, max dF %.1e eV/Å\n",
                      p->name[0] == '/' ? strrchr(p->name, '/') + 1 : p->name, kind_name(kind),
                      eg / a->n, el / a->n, de, worst);
        assert_true(de < tol_e);
        assert_true(worst < tol_f);
        gn_calc_free(c);
        free(fl);
        free(fg);
        gn_atoms_free(a);
    }
}

static void test_funcfl(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_file_alloc(PT_U3, &p, &err), &err);
    char coeff[256];
    snprintf(coeff, sizeof coeff, "1 1 %s", PT_U3);
    compare(p, "eam", coeff, 4, 1e-6, 1e-5);
    gn_potential_free(p);
}

static void test_setfl(void **state)
{
    (void)state;
    gn_potential *p, *q;
    gn_error err;
    char path[128], coeff[256];
    snprintf(path, sizeof path, "%s/eam-pt.eam.alloy", dir);
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    gn_assert_ok(gn_pot_eam_write_setfl(p, path, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_RHOMAX,
                                        GN_EAM_SETFL_NR, &err),
                 &err);
    gn_assert_ok(gn_pot_eam_file_alloc(path, &q, &err), &err);
    snprintf(coeff, sizeof coeff, "* * %s Pt", path);
    compare(q, "eam/alloy", coeff, 4, 1e-6, 1e-5);
    /* the analytic potential against LAMMPS's interpolation of its tables, inside the tables:
     * the compressed cell has densities beyond rhomax = 100 (3 rho_e), where the file's F is
     * extended linearly and the analytic F is not */
    compare(p, "eam/alloy", coeff, 3, 1e-6, 1e-5);
    gn_potential_free(q);
    gn_potential_free(p);
}

/* A two-element setfl (Au listed first) on structures with Au and Pt mixed: every element's
 * functions and the cross pair are read and used as LAMMPS eam/alloy uses them. */
static void test_setfl_two_elements(void **state)
{
    (void)state;
    char path[128], coeff[256];
    snprintf(path, sizeof path, "%s/AuPt.eam.alloy", dir);
    gn_test_write_aupt_setfl(path, 1);
    gn_potential *q;
    gn_error err;
    gn_assert_ok(gn_pot_eam_file_alloc(path, &q, &err), &err);
    snprintf(coeff, sizeof coeff, "* * %s Au Pt", path);
    type_z[0] = GN_TEST_AU;
    type_z[1] = PT;
    ntypes = 2;
    mix_au = 1;
    compare(q, "eam/alloy", coeff, 4, 1e-6, 1e-5);
    type_z[0] = PT;
    ntypes = 1;
    mix_au = 0;
    gn_potential_free(q);
}

int main(void)
{
    if (!GN_LMP_PATH[0] || access(GN_LMP_PATH, X_OK) != 0 || access(PT_U3, R_OK) != 0) {
        fprintf(stderr, "LAMMPS (%s) or %s not available: skipped\n", GN_LMP_PATH, PT_U3);
        return 77;
    }
    snprintf(dir, sizeof dir, "/tmp/gn-lammps-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    /* one quick run to see that lmp works at all; a broken install is a skip, not a failure */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cd '%s' && echo 'print ok' | '%s' -log none -screen none "
             ">/dev/null 2>&1", dir, GN_LMP_PATH);
    if (system(cmd) != 0) {
        fprintf(stderr, "%s does not run: skipped\n", GN_LMP_PATH);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 77 : 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_funcfl),
        cmocka_unit_test(test_setfl),
        cmocka_unit_test(test_setfl_two_elements),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return rc;
}
