/* ASE's SocketClient as an i-PI client of gapneb (tests/ipi_client.py), against the same ASE
 * calculator called directly on the same structure. Energies eV, forces eV/Å.
 *
 * - EMT on the 129-atom s2s model (periodic x, y; the engine box pads z): energy and forces to
 *   1e-6. The remaining difference is ASE's Bohr and Hartree (CODATA 2014: 0.5291772106 Å,
 *   27.2113860 eV) against gapneb's CODATA 2018, 8e-9 relative.
 * - EMT on a periodic triclinic cell that is not in LAMMPS's form: gapneb rotates it, ASE reads
 *   the cell from POSDATA (so a transposed cell layout would give another crystal), forces come
 *   back rotated: energy and forces to 1e-6.
 * - GPAW, LCAO, on a Pt3 cluster: the cell the client received is the box gapneb promises
 *   (extent + vacuum along x, y, z, atoms centred: ASE's atoms.center(vacuum=V/2)), and the
 *   energy and forces equal GPAW called directly in that box to 1e-6 eV and eV/Å. Skipped when
 *   GPAW is missing; a few seconds on two cores.
 * Skipped (77) when the system python has no ASE. UNIX sockets only, every run bounded.
 */
#include "config.h"
#include "gn_test_proc.h"

#include <jansson.h>

static char dir[64];
static char script[512];

static int python_has(const char *module)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' -c 'import %s' >/dev/null 2>&1", GN_PYTHON3_PATH, module);
    return GN_PYTHON3_PATH[0] && system(cmd) == 0;
}

/* Energy and forces printed by gapneb energy --forces. */
static void read_gapneb(const char *path, size_t n, double *e, double *f)
{
    char *text = gn_test_slurp(path);
    *e = gn_test_value_after(text, "\nenergy ");
    assert_true(isfinite(*e));
    const char *p = strstr(text, "# atom");
    assert_non_null(p);
    p = strchr(p, '\n');
    for (size_t i = 0; i < n; i++) {
        size_t id;
        char sp[16];
        assert_non_null(p);
        assert_int_equal(sscanf(p, "%zu %15s %lf %lf %lf", &id, sp, &f[3 * i], &f[3 * i + 1],
                                &f[3 * i + 2]), 5);
        p = strchr(p + 1, '\n');
    }
    free(text);
}

static json_t *read_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s", path, je.text);
    return j;
}

/* The socket run and the direct run of calc on structure file xyz; compares to tol. record:
 * also checks the cell the client received against the direct run's cell. */
static void compare(const char *calc, const char *xyz, size_t n, double vacuum, double tol,
                    const char *tag)
{
    char cmd[4096], client[2048], vac[64] = "";
    if (vacuum > 0)
        snprintf(vac, sizeof vac, "--engine-vacuum %g", vacuum);
    snprintf(client, sizeof client, "'%s' '%s' client --calc %s --structure '%s/%s' --socket "
             "\\$GAPNEB_IPI_ADDRESS --record '%s/%s.rec.json'", GN_PYTHON3_PATH, script, calc, dir,
             xyz, dir, tag);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' energy %s -p ipi:unix:gn-ase-%s-%ld %s "
             "--engine-command \"%s\" --forces > %s.sock 2> %s.err", dir, gn_test_gapneb(), xyz,
             tag, (long)getpid(), vac, client, tag, tag);
    int st = gn_proc_run(cmd, 300.0);
    char path[256];
    if (st != 0) {
        snprintf(path, sizeof path, "%s/%s.err", dir, tag);
        char *err = gn_test_slurp(path);
        fail_msg("exit %d: %s\n%s", st, cmd, err);
    }
    char dvac[64] = "";
    if (vacuum > 0)
        snprintf(dvac, sizeof dvac, "--vacuum %g", vacuum);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' '%s' direct --calc %s --structure %s %s > "
             "%s.direct.json", dir, GN_PYTHON3_PATH, script, calc, xyz, dvac, tag);
    assert_int_equal(gn_proc_run(cmd, 300.0), 0);
    double e, *f = malloc(3 * n * sizeof *f);
    snprintf(path, sizeof path, "%s/%s.sock", dir, tag);
    read_gapneb(path, n, &e, f);
    snprintf(path, sizeof path, "%s/%s.direct.json", dir, tag);
    json_t *d = read_json(path);
    double ed = json_number_value(json_object_get(d, "energy"));
    json_t *fd = json_object_get(d, "forces");
    assert_int_equal(json_array_size(fd), n);
    double worst = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 3; k++)
            worst = fmax(worst, fabs(f[3 * i + k] -
                                     json_number_value(json_array_get(json_array_get(fd, i), k))));
    /* the cell the client computed in, against the direct run's cell */
    snprintf(path, sizeof path, "%s/%s.rec.json", dir, tag);
    json_t *r = read_json(path);
    double dcell = 0.0;
    json_t *cr = json_object_get(r, "cell"), *cd = json_object_get(d, "cell");
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < 3; k++)
            dcell = fmax(dcell, fabs(json_number_value(json_array_get(json_array_get(cr, i), k)) -
                                     json_number_value(json_array_get(json_array_get(cd, i), k))));
    print_message("  %s: socket %.9f eV, direct %.9f eV (%.1e); largest force difference %.1e "
                  "eV/Å; cell lengths received vs direct %.1e Å\n", tag, e, ed, e - ed, worst,
                  dcell);
    gn_assert_near(e, ed, tol);
    assert_true(worst < tol);
    if (vacuum > 0)
        assert_true(dcell < 1e-6);
    json_decref(r);
    json_decref(d);
    free(f);
}

static void test_emt_slab(void **state)
{
    (void)state;
    compare("emt", "m0.xyz", 129, 0.0, 1e-6, "emt-slab");
}

static void test_emt_triclinic(void **state)
{
    (void)state;
    /* 2x2x2 fcc Pt, a0 3.92 Å, cell vectors rotated away from LAMMPS's form, atoms jiggled */
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const double h[3][3] = {{0.0, 7.84, 0.0}, {7.84, 0.0, 0.0}, {1.0, 1.5, -7.84}};
    const int pbc[3] = {1, 1, 1};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    gn_rng rng = {99};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 2; k++)
                for (int q = 0; q < 4; q++) {
                    double s[3] = {(i + basis[q][0]) / 2, (j + basis[q][1]) / 2,
                                   (k + basis[q][2]) / 2}, r[3];
                    gn_cell_to_cart(&a->cell, s, r);
                    for (int d = 0; d < 3; d++)
                        r[d] += 0.15 * (2 * gn_rng_uniform(&rng) - 1);
                    gn_assert_ok(gn_atoms_push(a, 78, r, 0, &err), &err);
                }
    char path[256];
    snprintf(path, sizeof path, "%s/tri.xyz", dir);
    gn_assert_ok(gn_structure_write(path, a, &err), &err);
    compare("emt", "tri.xyz", a->n, 0.0, 1e-6, "emt-triclinic");
    gn_atoms_free(a);
}

static void test_gpaw_cluster(void **state)
{
    (void)state;
    if (!python_has("gpaw"))
        skip();
    char path[256];
    snprintf(path, sizeof path, "%s/pt3.xyz", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "3\nProperties=species:S:1:pos:R:3 pbc=\"F F F\"\n"
                "Pt 0.0 0.0 0.0\nPt 2.6 0.0 0.0\nPt 1.3 2.2 0.1\n");
    fclose(fp);
    compare("gpaw", "pt3.xyz", 3, 8.0, 1e-6, "gpaw-pt3");
}

int main(void)
{
    if (!python_has("ase.calculators.socketio")) {
        fprintf(stderr, "no python3 with ASE (%s): skipped\n", GN_PYTHON3_PATH);
        return 77;
    }
    const char *src = gn_test_srcdir();
    snprintf(script, sizeof script, "%s/tests/ipi_client.py", src);
    snprintf(dir, sizeof dir, "/tmp/gn-ipi-ase-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' -q build s2s --gap 5 --site A100:0 --a0 3.92 "
             "-o m0.xyz", dir, gn_test_gapneb());
    if (system(cmd) != 0)
        return 99;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emt_slab),
        cmocka_unit_test(test_emt_triclinic),
        cmocka_unit_test(test_gpaw_cluster),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0)
        gn_test_rm_rf(dir);
    return rc;
}
