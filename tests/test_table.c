/* Tests of the barrier table with real physics (eam-pt), kept small:
 * - at a 12 Å gap the s2s hop barrier equals the single-surface Pt(100) hop barrier (computed
 *   here independently, from the single-crystal model) within 5 meV;
 * - symmetric processes are symmetric: s2s hop and e2e transfer between mirror-image sites have
 *   reaction energies below 1 meV; the row's numbers obey dE = Eads_f - Eads_i, and its
 *   elementary steps join up from 0 to dE with E_fwd - E_rev = dE for each step;
 * - rows whose endpoints collapse (e2e transfer at 2.5 and 3 Å gaps, where the adatom has a
 *   single minimum between the edges) are reported as collapsed, `gapneb run` exits with status
 *   1, and the other row (4.5 Å) is intact;
 * - --resume recomputes nothing when nothing changed (zero new force calls), and everything when
 *   a setting changed. */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"
#include "gapneb/table_io.h"

#include <sys/wait.h>
#include <unistd.h>


/* A job of one model, one process and the given gaps, eam-pt, output in dir, quiet. */
static void small_job(gn_job *job, const char *model, const char *process, const char *gaps,
                      const char *dir)
{
    gn_error err;
    gn_assert_ok(gn_job_init(job, &err), &err);
    gn_assert_ok(gn_job_set_models(job, model, "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(job, process, "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(job, gaps, "t", &err), &err);
    snprintf(job->out, sizeof job->out, "%s", dir);
    job->jobs = 2;
}

static void run_table(const gn_job *job, gn_table *t)
{
    gn_error err;
    gn_assert_ok(gn_table_init(job, t, &err), &err);
    if (job->resume)
        gn_table_resume(job, t);
    gn_assert_ok(gn_table_run(job, t, NULL, &err), &err);
}

static void test_wide_gap_limit(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("table");
    gn_job job;
    gn_table t;
    gn_error err;
    small_job(&job, "s2s", "hop", "12", dir);
    run_table(&job, &t);
    const gn_table_row *r = &t.rows[0];
    if (r->state != GN_ROW_OK)
        fail_msg("s2s hop at 12 Å: %s: %s", gn_row_state_name(r->state), r->reason);

    /* the same hop on crystal A alone, with the same a0 and NEB defaults */
    gn_potential *pot;
    gn_assert_ok(gn_potential_alloc("eam-pt", &pot, &err), &err);
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = r->a0;
    mo.gap = INFINITY;
    mo.single = 1;
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(&mo, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    gn_neb_result res;
    gn_assert_ok(gn_neb_run(pot, ini, fin, &no, &res, &err), &err);
    assert_true(res.converged);
    /* a0 itself: the fcc minimum of ZJW04 Pt is sqrt(2) r_e = 3.92010 Å (REFERENCE-DATA.md) */
    gn_assert_near(r->a0, 3.92010, 2e-3);
    print_message("s2s hop at 12 Å: %.6f eV; single-surface Pt(100) hop: %.6f eV; a0 %.6f Å\n",
                  r->barrier_fwd, res.barrier_fwd, r->a0);
    gn_assert_near(r->barrier_fwd, res.barrier_fwd, 0.005);
    gn_neb_result_clear(&res);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_potential_free(pot);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

static void check_consistent(const gn_table_row *r)
{
    if (r->state != GN_ROW_OK)
        fail_msg("%s %s %g: %s: %s", gn_model_kind_name(r->model), gn_process_name(r->process),
                 r->gap, gn_row_state_name(r->state), r->reason);
    /* elementary steps join up: each starts where the previous ended, from the initial state
     * (0) to the final (dE); each step's barriers differ by its own reaction energy; the first
     * step's forward and the last step's reverse barrier are the row's */
    assert_true(r->nsteps >= 1);
    gn_assert_near(r->steps[0].e_from, 0.0, 1e-12);
    gn_assert_near(r->steps[r->nsteps - 1].e_to, r->reaction_energy, 1e-9);
    for (int k = 0; k < r->nsteps; k++) {
        const gn_row_step *st = &r->steps[k];
        if (k)
            gn_assert_near(st->e_from, r->steps[k - 1].e_to, 1e-12);
        gn_assert_near(st->barrier_fwd - st->barrier_rev, st->e_to - st->e_from, 1e-9);
        assert_int_equal(st->saddle_order, 1);
        assert_true(st->e_saddle <= r->ea_eff + 1e-12);
    }
    gn_assert_near(r->barrier_fwd, r->steps[0].barrier_fwd, 0);
    gn_assert_near(r->barrier_rev, r->steps[r->nsteps - 1].barrier_rev, 0);
    gn_assert_near(r->e_ads_final - r->e_ads_initial, r->reaction_energy, 1e-6);
    /* an adsorbed Pt atom is bound by several eV; a barrier is positive and below a few eV */
    assert_true(r->e_ads_initial < -2.0 && r->e_ads_initial > -10.0);
    assert_true(r->barrier_fwd > 0.0 && r->interp_max >= r->ea_eff - 1e-3);
}

static void test_symmetric_processes(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("table");
    gn_job job;
    gn_table t;
    small_job(&job, "s2s", "hop", "8", dir);
    run_table(&job, &t);
    check_consistent(&t.rows[0]);
    print_message("s2s hop at 8 Å: reaction energy %.2e eV\n", t.rows[0].reaction_energy);
    assert_true(fabs(t.rows[0].reaction_energy) < 1e-3);
    gn_table_clear(&t);
    gn_job_clear(&job);

    small_job(&job, "e2e", "transfer", "5", dir);
    run_table(&job, &t);
    check_consistent(&t.rows[0]);
    print_message("e2e transfer at 5 Å: reaction energy %.2e eV\n", t.rows[0].reaction_energy);
    assert_true(fabs(t.rows[0].reaction_energy) < 1e-3);
    /* the run folder was written */
    char path[1200];
    snprintf(path, sizeof path, "%s/%s/path.xyz", dir, t.rows[0].rundir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/%s/log.txt", dir, t.rows[0].rundir);
    assert_int_equal(access(path, R_OK), 0);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_collapse_exit_status(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("table");
    char ini[1200], cmd[4096], json[1200];
    snprintf(ini, sizeof ini, "%s/job.ini", dir);
    char text[2048];
    /* R = 9 Å keeps the crystals small; 2.5 Å leaves the adatom one minimum between the edges */
    snprintf(text, sizeof text,
             "[table]\nmodels = e2e\nprocesses = transfer\ngaps = 2.5, 3, 4.5\nout = %s/out\n"
             "jobs = 2\n[model]\ne2e_radius = 9\n",
             dir);
    gn_error err;
    gn_assert_ok(gn_file_write_string(ini, text, &err), &err);
    const char *bd = getenv("GN_BUILDDIR");
    snprintf(cmd, sizeof cmd, "'%s/gapneb' --quiet run --no-figures '%s' > '%s/stdout.txt'",
             bd ? bd : GN_TEST_BUILDDIR, ini, dir);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    gn_table t = {0};
    snprintf(json, sizeof json, "%s/out/barriers.json", dir);
    gn_assert_ok(gn_table_read_json(json, &t, &err), &err);
    assert_int_equal(t.n, 3);
    const gn_table_row *c = &t.rows[0], *ok = &t.rows[2];
    /* at 3 Å the relaxed endpoints stop 0.12 Å apart on a flat basin, just beyond the NEB's
     * 0.1 Å collapse tolerance, and the band finds no barrier either way: still a collapse */
    assert_int_equal(t.rows[1].state, GN_ROW_COLLAPSED);
    assert_non_null(strstr(t.rows[1].reason, "same minimum"));
    gn_assert_near(c->gap, 2.5, 0);
    assert_int_equal(c->state, GN_ROW_COLLAPSED);
    assert_int_equal(c->collapsed, 1);
    assert_true(isnan(c->barrier_fwd));
    assert_non_null(strstr(c->reason, "same minimum"));
    gn_assert_near(ok->gap, 4.5, 0);
    check_consistent(ok);
    /* the stdout table names the collapse too */
    char path[1200], *out;
    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    gn_assert_ok(gn_file_read_all(path, &out, NULL, &err), &err);
    assert_non_null(strstr(out, "collapsed"));
    free(out);
    gn_table_clear(&t);
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_resume(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("table");
    gn_job job;
    gn_table t;
    gn_error err;
    small_job(&job, "s2s", "hop,transfer", "6", dir);
    job.s2s_size = 3;
    job.resume = 1; /* nothing to resume from yet */
    run_table(&job, &t);
    assert_int_equal(t.nreused, 0);
    assert_true(t.new_force_calls > 100);
    double b0 = t.rows[0].barrier_fwd;
    gn_assert_ok(gn_table_write(dir, &t, &err), &err);
    gn_table_clear(&t);

    run_table(&job, &t);
    print_message("resume: %zu rows reused, %lu new force calls\n", t.nreused,
                  t.new_force_calls);
    assert_int_equal(t.nreused, 2);
    assert_int_equal(t.new_force_calls, 0);
    assert_true(t.rows[0].reused);
    gn_assert_near(t.rows[0].barrier_fwd, b0, 0);
    gn_table_clear(&t);

    /* another NEB setting: nothing may be taken over */
    job.images = 5;
    run_table(&job, &t);
    assert_int_equal(t.nreused, 0);
    assert_true(t.new_force_calls > 100);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_gap_limit),
        cmocka_unit_test(test_symmetric_processes),
        cmocka_unit_test(test_collapse_exit_status),
        cmocka_unit_test(test_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
