/* The exchange barriers recomputed by another code (Å, eV): LAMMPS's own climbing-image NEB
 * (fix neb, REPLICA package, one MPI rank per replica) on the setfl file that `gapneb potentials
 * --write-setfl` writes for eam-pt, from the same endpoints (gn_model_process, relaxed first),
 * against gapneb's NEB on the same file. Both bands are converged tighter than the table's
 * default (0.002 eV/Å), so the two codes must meet at the same saddle: barriers within 2 meV.
 * Cases: pt100 exchange, and e2e exchange at an 8 Å gap (R = 9 Å keeps it small).
 * Skipped (exit 77) without lmp or mpirun, or when they do not run. */
#define _XOPEN_SOURCE 700
#include "config.h"
#include "gn_test.h"

#include <unistd.h>

#define NREPLICA 5 /* 3 movable images and the two endpoints: a climbing image needs no more */
#define FTOL 0.002 /* eV/Å */

static char dir[64];

static void gapneb_cmd(const char *args)
{
    char cmd[1024];
    const char *bd = getenv("GN_BUILDDIR");
    snprintf(cmd, sizeof cmd, "'%s/gapneb' --quiet %s", bd ? bd : GN_TEST_BUILDDIR, args);
    assert_int_equal(system(cmd), 0);
}

/* LAMMPS data file of a (the cell along periodic directions, 20 Å of room along free ones) and
 * the coordinates of b for `neb ... final`. */
static void write_lammps(const gn_atoms *a, const gn_atoms *b)
{
    char path[128];
    snprintf(path, sizeof path, "%s/init.lmp", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    double lo[3] = {1e30, 1e30, 1e30}, hi[3] = {-1e30, -1e30, -1e30};
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], fmin(a->pos[3 * i + k], b->pos[3 * i + k]));
            hi[k] = fmax(hi[k], fmax(a->pos[3 * i + k], b->pos[3 * i + k]));
        }
    fprintf(fp, "gapneb exchange endpoint\n\n%zu atoms\n1 atom types\n\n", a->n);
    const char *ax[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) /* the models' periodic vectors lie along the axes */
        fprintf(fp, "%.16g %.16g %slo %shi\n", a->cell.pbc[k] ? 0.0 : lo[k] - 20.0,
                a->cell.pbc[k] ? a->cell.h[k][k] : hi[k] + 20.0, ax[k], ax[k]);
    fprintf(fp, "\nMasses\n\n1 195.08\n\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++)
        fprintf(fp, "%zu 1 %.16g %.16g %.16g\n", i + 1, a->pos[3 * i], a->pos[3 * i + 1],
                a->pos[3 * i + 2]);
    fclose(fp);
    snprintf(path, sizeof path, "%s/final.coords", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "%zu\n", b->n);
    for (size_t i = 0; i < b->n; i++)
        fprintf(fp, "%zu %.16g %.16g %.16g\n", i + 1, b->pos[3 * i], b->pos[3 * i + 1],
                b->pos[3 * i + 2]);
    fclose(fp);
    snprintf(path, sizeof path, "%s/in.neb", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "units metal\natom_style atomic\natom_modify map array\nboundary %s %s %s\n"
                "read_data init.lmp\npair_style eam/alloy\npair_coeff * * eam-pt.eam.alloy Pt\n"
                "group fixed id",
            a->cell.pbc[0] ? "p" : "f", a->cell.pbc[1] ? "p" : "f", a->cell.pbc[2] ? "p" : "f");
    for (size_t i = 0; i < a->n; i++)
        if (a->fixed[i])
            fprintf(fp, " %zu", i + 1);
    /* the same spring constant as gapneb (5 eV/Å^2); FIRE; climbing in the second stage */
    fprintf(fp, "\nfix fz fixed setforce 0 0 0\nfix n all neb 5.0 parallel ideal\n"
                "timestep 0.01\nmin_style fire\nthermo 100\n"
                "neb 0.0 %g 5000 5000 100 final final.coords\n", FTOL);
    fclose(fp);
}

/* LAMMPS's forward barrier (EBF, the column after GradVc of the last log line). */
static int lammps_barrier(double *ebf)
{
    char cmd[512], path[128], line[65536], last[65536] = "";
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' --allow-run-as-root --oversubscribe -np %d '%s' "
             "-partition %dx1 -in in.neb -log log.lammps -screen none > mpirun.out 2>&1", dir,
             GN_MPIRUN_PATH, NREPLICA, GN_LMP_PATH, NREPLICA);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/log.lammps", dir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    while (fgets(line, sizeof line, fp))
        if (line[0] >= '0' && line[0] <= '9')
            memcpy(last, line, sizeof last);
    fclose(fp);
    double v[7];
    if (sscanf(last, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
               &v[6]) != 7)
        return -1;
    *ebf = v[6]; /* Step MaxReplicaForce MaxAtomForce GradV0 GradV1 GradVc EBF */
    return 0;
}

static void compare(const gn_model_opts *o, const char *what)
{
    gn_error err;
    gn_potential *pot;
    char path[128];
    snprintf(path, sizeof path, "%s/eam-pt.eam.alloy", dir);
    gn_assert_ok(gn_potential_alloc(path, &pot, &err), &err);
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(o, GN_PROCESS_EXCHANGE, &ini, &fin, &err), &err);
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = 1e-4;
    fo.max_steps = 10000;
    gn_fire_result fr;
    gn_assert_ok(gn_relax(pot, ini, &fo, &fr, &err), &err);
    assert_true(fr.converged);
    gn_assert_ok(gn_relax(pot, fin, &fo, &fr, &err), &err);
    assert_true(fr.converged);

    gn_neb_opts no;
    gn_neb_opts_default(&no);
    no.fmax = FTOL;
    no.nimages = NREPLICA - 2;
    no.max_steps = 5000;
    no.relax_endpoints = 0;
    gn_neb_result res;
    gn_assert_ok(gn_neb_run(pot, ini, fin, &no, &res, &err), &err);
    assert_true(res.converged);

    write_lammps(ini, fin);
    double ebf;
    if (lammps_barrier(&ebf) != 0)
        fail_msg("LAMMPS NEB failed (see %s/mpirun.out, log.lammps)", dir);
    print_message("%s exchange: gapneb %.5f eV, LAMMPS %.5f eV (diff %.1e eV)\n", what,
                  res.barrier_fwd, ebf, res.barrier_fwd - ebf);
    gn_assert_near(res.barrier_fwd, ebf, 2e-3);
    gn_neb_result_clear(&res);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_potential_free(pot);
}

static void test_exchange_lammps(void **state)
{
    (void)state;
    char args[256];
    snprintf(args, sizeof args, "potentials --write-setfl '%s/eam-pt.eam.alloy'", dir);
    gapneb_cmd(args);
    gn_error err;
    gn_potential *pot;
    gn_model_opts o;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    gn_model_opts_default(&o, GN_MODEL_PT100);
    gn_assert_ok(gn_lattice_constant(pot, pot->z, &o.a0, &err), &err);
    gn_potential_free(pot);
    compare(&o, "pt100");
    const double a0 = o.a0;
    gn_model_opts_default(&o, GN_MODEL_E2E);
    o.a0 = a0;
    o.gap = 8.0;
    o.R = 9.0;
    compare(&o, "e2e 8 Å");
}

int main(void)
{
    if (!GN_LMP_PATH[0] || !GN_MPIRUN_PATH[0] || access(GN_LMP_PATH, X_OK) != 0 ||
        access(GN_MPIRUN_PATH, X_OK) != 0) {
        fprintf(stderr, "LAMMPS (%s) or mpirun (%s) not available: skipped\n", GN_LMP_PATH,
                GN_MPIRUN_PATH);
        return 77;
    }
    snprintf(dir, sizeof dir, "/tmp/gn-exchange-lammps-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    /* a broken MPI or a LAMMPS without REPLICA is a skip, not a failure */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd '%s' && printf 'print ok\\n' > in.ok && '%s' --allow-run-as-root "
             "--oversubscribe -np 2 '%s' -partition 2x1 -in in.ok -log none -screen none "
             ">/dev/null 2>&1 && '%s' -h | grep -q REPLICA", dir, GN_MPIRUN_PATH, GN_LMP_PATH,
             GN_LMP_PATH);
    if (system(cmd) != 0) {
        fprintf(stderr, "mpirun %s with partitions does not run: skipped\n", GN_LMP_PATH);
        gn_test_rm_rf(dir);
        return 77;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_exchange_lammps)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0) /* a failure keeps the files to look at */
        gn_test_rm_rf(dir);
    return rc;
}
