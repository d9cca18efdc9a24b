/* Interoperability with ASE (lengths Å, energy eV, forces eV/Å): files gapneb writes are read by
 * ASE with the same positions, cell, pbc, FixAtoms indices, energy and forces, and files ASE
 * writes (extxyz with FixAtoms, POSCAR with selective dynamics) are read by gapneb the same way as
 * ASE reads them. ASE's side is tests/io_ase_check.py, run with the python3 found by configure.
 * Without python3 and ASE the tests are skipped (exit 77: SKIP for automake). */
#include "config.h"
#include "gn_test.h"

#include <dirent.h>
#include <unistd.h>

typedef struct ctx {
    int avail;
    char dir[64];
} ctx;

static int run(const char *cmd)
{
    int rc = system(cmd);
    return rc == 0 ? 0 : -1;
}

static int ase_available(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' -c 'import ase, numpy' >/dev/null 2>&1", GN_PYTHON3_PATH);
    return GN_PYTHON3_PATH[0] != '\0' && run(cmd) == 0;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[512];
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int setup(void **state)
{
    ctx *c = *state;
    if (!c->avail)
        return 0;
    strcpy(c->dir, "/tmp/gn_io_ase_XXXXXX");
    return mkdtemp(c->dir) ? 0 : -1;
}

static int teardown(void **state)
{
    ctx *c = *state;
    if (c->avail)
        remove_dir(c->dir);
    return 0;
}

static void python(const ctx *c, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' '%s/tests/io_ase_check.py' %s", GN_PYTHON3_PATH,
             gn_test_srcdir(), args);
    if (run(cmd) != 0)
        fail_msg("ASE helper failed: %s", cmd);
    (void)c;
}

/* ---- the numbers ASE reports (see io_ase_check.py for the layout) ---- */

typedef struct ref_frame {
    size_t n, nfix;
    double h[3][3];
    int pbc[3];
    size_t *fix;
    int *z;
    double *pos;
    int has_energy, has_forces;
    double energy;
    double *forces;
} ref_frame;

static void read_doubles(FILE *fp, double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fscanf(fp, "%lf", &v[i]), 1);
}

static void read_frame(FILE *fp, ref_frame *r)
{
    assert_int_equal(fscanf(fp, "%zu", &r->n), 1);
    read_doubles(fp, &r->h[0][0], 9);
    for (int k = 0; k < 3; k++)
        assert_int_equal(fscanf(fp, "%d", &r->pbc[k]), 1);
    assert_int_equal(fscanf(fp, "%zu", &r->nfix), 1);
    r->fix = calloc(r->nfix + 1, sizeof *r->fix);
    for (size_t i = 0; i < r->nfix; i++)
        assert_int_equal(fscanf(fp, "%zu", &r->fix[i]), 1);
    r->z = calloc(r->n, sizeof *r->z);
    for (size_t i = 0; i < r->n; i++)
        assert_int_equal(fscanf(fp, "%d", &r->z[i]), 1);
    r->pos = calloc(3 * r->n, sizeof *r->pos);
    read_doubles(fp, r->pos, 3 * r->n);
    assert_int_equal(fscanf(fp, "%d %lf %d", &r->has_energy, &r->energy, &r->has_forces), 3);
    r->forces = NULL;
    if (r->has_forces) {
        r->forces = calloc(3 * r->n, sizeof *r->forces);
        read_doubles(fp, r->forces, 3 * r->n);
    }
}

static ref_frame *read_ref(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s", path);
    assert_int_equal(fscanf(fp, "%zu", n), 1);
    ref_frame *r = calloc(*n, sizeof *r);
    for (size_t k = 0; k < *n; k++)
        read_frame(fp, &r[k]);
    fclose(fp);
    return r;
}

static void free_ref(ref_frame *r, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(r[k].fix);
        free(r[k].z);
        free(r[k].pos);
        free(r[k].forces);
    }
    free(r);
}

/* Compares what gapneb holds with what ASE reports; f may be NULL (no energy or forces). */
static void compare(const gn_atoms *a, const gn_frame *f, const ref_frame *r, double tol)
{
    assert_int_equal(a->n, r->n);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(a->cell.pbc[k], r->pbc[k]);
        for (int d = 0; d < 3; d++)
            gn_assert_near(a->cell.h[k][d], r->h[k][d], tol);
    }
    unsigned char *fixed = calloc(a->n, 1);
    for (size_t i = 0; i < r->nfix; i++) {
        assert_true(r->fix[i] < a->n);
        fixed[r->fix[i]] = 1;
    }
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->z[i], r->z[i]);
        if (a->fixed[i] != fixed[i])
            fail_msg("atom %zu: gapneb fixed=%d, ASE FixAtoms says %d", i, a->fixed[i], fixed[i]);
        for (int d = 0; d < 3; d++)
            gn_assert_near(a->pos[3 * i + d], r->pos[3 * i + d], tol);
    }
    free(fixed);
    if (!f)
        return;
    assert_int_equal(f->has_energy, r->has_energy);
    if (f->has_energy)
        gn_assert_near(f->energy, r->energy, tol);
    assert_int_equal(f->forces != NULL, r->has_forces);
    for (size_t i = 0; f->forces && i < 3 * a->n; i++)
        gn_assert_near(f->forces[i], r->forces[i], tol);
}

/* A two-layer Pt(100)-like slab with an Au adatom, periodic in x and y, no c vector; b is
 * sheared so that a transposed Lattice would show. */
static gn_frame make_frame(gn_rng *rng, int k)
{
    gn_frame f = {NULL, 0, 0, NULL};
    gn_error err;
    const double h[3][3] = {{5.544, 0, 0}, {0.7, 5.544, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_assert_ok(gn_atoms_alloc(&f.atoms, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&f.atoms->cell, h, pbc, &err), &err);
    for (int layer = 0; layer < 2; layer++)
        for (int i = 0; i < 4; i++) {
            double r[3] = {2.772 * (i % 2) + 1.386 * layer, 2.772 * (i / 2) + 1.386 * layer,
                           1.96 * layer};
            for (int d = 0; d < 3; d++)
                r[d] += 0.01 * (gn_rng_uniform(rng) - 0.5);
            gn_assert_ok(gn_atoms_push(f.atoms, 78, r, layer == 0, &err), &err);
        }
    const double ad[3] = {1.386 + 0.3 * k, 1.386, 3.92};
    gn_assert_ok(gn_atoms_push(f.atoms, 79, ad, 0, &err), &err);
    f.has_energy = 1;
    f.energy = -45.123456789 + 0.25 * k;
    if (k == 0) {
        f.forces = malloc(3 * f.atoms->n * sizeof *f.forces);
        for (size_t i = 0; i < 3 * f.atoms->n; i++)
            f.forces[i] = gn_rng_uniform(rng) - 0.5;
    }
    return f;
}

static void test_ase_reads_gapneb(void **state)
{
    ctx *c = *state;
    if (!c->avail)
        skip();
    gn_rng rng = {31337};
    gn_frame band[2] = {make_frame(&rng, 0), make_frame(&rng, 1)};
    gn_error err;
    char path[256], out[256], args[700];
    snprintf(path, sizeof path, "%s/band.xyz", c->dir);
    snprintf(out, sizeof out, "%s/band_ase.txt", c->dir);
    gn_assert_ok(gn_xyz_write(path, band, 2, &err), &err);
    snprintf(args, sizeof args, "dump '%s' extxyz '%s'", path, out);
    python(c, args);
    size_t n;
    ref_frame *r = read_ref(out, &n);
    assert_int_equal(n, 2);
    for (size_t k = 0; k < 2; k++)
        compare(band[k].atoms, &band[k], &r[k], 1e-9);
    free_ref(r, n);

    /* POSCAR: ASE sees all three directions periodic and the c vector gapneb made up, which is
     * also what gapneb reads back. */
    snprintf(path, sizeof path, "%s/POSCAR", c->dir);
    gn_assert_ok(gn_poscar_write(path, band[1].atoms, NULL, &err), &err);
    snprintf(args, sizeof args, "dump '%s' vasp '%s'", path, out);
    python(c, args);
    r = read_ref(out, &n);
    assert_int_equal(n, 1);
    gn_atoms *back;
    gn_assert_ok(gn_poscar_read(path, &back, &err), &err);
    compare(back, NULL, &r[0], 1e-9);
    for (size_t i = 0; i < 3 * back->n; i++)
        gn_assert_near(r[0].pos[i], band[1].atoms->pos[i], 1e-9);
    double zlo = INFINITY, zhi = -INFINITY;
    for (size_t i = 0; i < band[1].atoms->n; i++) {
        zlo = fmin(zlo, band[1].atoms->pos[3 * i + 2]);
        zhi = fmax(zhi, band[1].atoms->pos[3 * i + 2]);
    }
    gn_assert_near(r[0].h[2][2], zhi - zlo + GN_POSCAR_VACUUM, 1e-9);
    gn_atoms_free(back);
    free_ref(r, n);
    for (int k = 0; k < 2; k++) {
        gn_atoms_free(band[k].atoms);
        free(band[k].forces);
    }
}

static void test_gapneb_reads_ase(void **state)
{
    ctx *c = *state;
    if (!c->avail)
        skip();
    char args[300], path[256];
    snprintf(args, sizeof args, "make '%s'", c->dir);
    python(c, args);
    gn_error err;
    size_t n, nr;
    gn_frame *fr;
    snprintf(path, sizeof path, "%s/ase.xyz", c->dir);
    gn_assert_ok(gn_xyz_read(path, &fr, &n, &err), &err);
    snprintf(path, sizeof path, "%s/ase_xyz_ref.txt", c->dir);
    ref_frame *r = read_ref(path, &nr);
    assert_int_equal(n, nr);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].nfix, 4); /* the bottom layer of the 2x2x3 slab */
    assert_true(r[0].has_forces);
    for (size_t k = 0; k < n; k++)
        compare(fr[k].atoms, &fr[k], &r[k], 1e-12);
    gn_frames_free(fr, n);
    free_ref(r, nr);

    gn_atoms *a;
    snprintf(path, sizeof path, "%s/POSCAR_ase", c->dir);
    gn_assert_ok(gn_poscar_read(path, &a, &err), &err);
    snprintf(path, sizeof path, "%s/ase_poscar_ref.txt", c->dir);
    r = read_ref(path, &nr);
    assert_int_equal(nr, 1);
    assert_int_equal(r[0].nfix, 4);
    compare(a, NULL, &r[0], 1e-9);
    gn_atoms_free(a);
    free_ref(r, nr);
}

int main(void)
{
    ctx c = {ase_available(), ""};
    if (!c.avail)
        fprintf(stderr, "SKIP: '%s' cannot import ase\n", GN_PYTHON3_PATH);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate_setup_teardown(test_ase_reads_gapneb, setup, teardown, &c),
        cmocka_unit_test_prestate_setup_teardown(test_gapneb_reads_ase, setup, teardown, &c),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed == 0 && !c.avail ? 77 : failed;
}
