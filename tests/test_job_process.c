/* Tests of custom processes in jobs ([process NAME] sections, --process NAME=I->F): parsing in
 * either order of sections, every refusal with its file and line, the written INI read back to
 * the same job, the command-line form, and row keys and run folders that follow the definition
 * (two definitions under one name never share a key). */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"

static void load(gn_job *job, const char *text)
{
    gn_error err;
    gn_assert_ok(gn_job_init(job, &err), &err);
    gn_assert_ok(gn_job_load_ini_string(job, text, "t.ini", &err), &err);
}

static void refused(const char *text, const char *what)
{
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    int rc = gn_job_load_ini_string(&job, text, "t.ini", &err);
    if (rc == GN_OK)
        rc = gn_job_validate(&job, &err);
    if (rc == GN_OK || !strstr(err.msg, what))
        fail_msg("expected an error containing '%s', got %d: %s", what, rc, err.msg);
    gn_job_clear(&job);
}

static void test_sections(void **state)
{
    (void)state;
    gn_job job;
    gn_error err;
    /* the process list names the process before its section */
    load(&job, "[table]\nprocesses = hop, pair\n\n[process pair]\ninitial = A100:0, A100:1\n"
               "final = A100:2, A100:1\n");
    assert_int_equal(job.ncustom, 1);
    assert_int_equal(job.nprocesses, 2);
    assert_int_equal(job.processes[0], GN_PROCESS_HOP);
    assert_true(gn_process_is_custom(job.processes[1]));
    const gn_job_process *c = gn_job_custom_process(&job, job.processes[1]);
    assert_non_null(c);
    assert_string_equal(c->name, "pair");
    assert_int_equal(c->nadatoms, 2);
    assert_string_equal(c->initial[1], "A100:1");
    assert_string_equal(c->final[0], "A100:2");
    assert_string_equal(gn_job_process_name(&job, job.processes[1]), "pair");
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    gn_job_clear(&job);
    /* without a process list, a definition joins the default one */
    gn_job def;
    gn_assert_ok(gn_job_init(&def, &err), &err);
    load(&job, "[process x]\ninitial = A100:0\nfinal = B100:0\n[process y]\ninitial = A100:0\n"
               "final = A100:1\n");
    assert_int_equal(job.nprocesses, def.nprocesses + 2);
    assert_string_equal(gn_job_process_name(&job, job.processes[def.nprocesses + 1]), "y");
    gn_job_clear(&def);
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    gn_job_clear(&job);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("[table]\nprocesses = hop\n[process pair]\ninitial = A100:0\nfinal = A100:1\n",
            "defined but not in the process list");
    refused("[table]\nmodels = s2s\n[process pair]\ninitial = A100:0\n", "t.ini:3:");
    refused("[process pair]\ninitial = A100:0, A100:1\nfinal = A100:2\n",
            "2 initial and 1 final");
    refused("[process hop]\ninitial = A100:0\nfinal = A100:1\n", "built-in process");
    refused("[process p]\ninitial = A100:0\nfinal = A100:1\n[process p]\ninitial = A100:0\n"
            "final = A100:1\n", "appears twice");
    refused("[process p]\ninitial = A100:0\nfinal = A100:1\nsites = 3\n", "t.ini:4: unknown key");
    refused("[process p]\ninitial = A100:0, A100:0\nfinal = A100:1, A100:2\n", "listed twice");
    refused("[process p]\ninitial = A100:0\ninitial = A100:1\nfinal = A100:1\n",
            "t.ini:3: initial is given twice");
    refused("[process a/b]\ninitial = A100:0\nfinal = A100:1\n", "process name");
    refused("[table]\nprocesses = hop, nosuch\n", "unknown process 'nosuch'");
}

static void test_round_trip(void **state)
{
    (void)state;
    gn_job job, back;
    gn_error err;
    load(&job, "[table]\nmodels = s2s\ngaps = 5\nprocesses = pair, transfer\n"
               "[process pair]\ninitial = A100:0, A100:1\nfinal = A100:2, A100:1\n");
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    gn_settings_write_ini(fp, &job);
    fclose(fp);
    load(&back, text);
    assert_int_equal(back.ncustom, 1);
    assert_int_equal(back.nprocesses, 2);
    assert_string_equal(gn_job_process_name(&back, back.processes[0]), "pair");
    assert_int_equal(back.processes[1], GN_PROCESS_TRANSFER);
    assert_memory_equal(&back.custom[0], &job.custom[0], sizeof job.custom[0]);
    free(text);
    gn_job_clear(&back);
    gn_job_clear(&job);
    /* the command-line form */
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_define_process_spec(&job, " swap = A100:0 , B100:0 -> B100:0,A100:0 ",
                                            "--process", &err), &err);
    assert_string_equal(job.custom[0].name, "swap");
    assert_string_equal(job.custom[0].final[1], "A100:0");
    assert_int_equal(gn_job_define_process_spec(&job, "bad A100:0", "--process", &err),
                     GN_EINVAL);
    gn_job_clear(&job);
}

/* One job with a custom process "p" from A100:0 to fin; its row's key and run folder. */
static void custom_row(const char *fin, char *key, char *rundir)
{
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "s2s", "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "5", "t", &err), &err);
    gn_assert_ok(gn_job_define_process(&job, "p", "A100:0", fin, "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "p", "t", &err), &err);
    gn_table t;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    assert_int_equal(t.n, 1);
    assert_string_equal(gn_row_process_name(&t.rows[0]), "p");
    strcpy(key, t.rows[0].key);
    strcpy(rundir, t.rows[0].rundir);
    gn_table_clear(&t);
    gn_job_clear(&job);
}

static void test_keys(void **state)
{
    (void)state;
    char k1[32], k2[32], d1[300], d2[300];
    custom_row("A100:1", k1, d1);
    custom_row("B100:0", k2, d2);
    assert_string_not_equal(k1, k2);
    assert_string_equal(d1, "runs/s2s-p-5");
    /* a row read back from a file keeps the custom name */
    gn_table_row r;
    gn_error err;
    gn_table_row_clear(&r);
    gn_assert_ok(gn_row_set_process_name(&r, "p", &err), &err);
    assert_true(gn_process_is_custom(r.process));
    assert_string_equal(gn_row_process_name(&r), "p");
    gn_assert_ok(gn_row_set_process_name(&r, "hop", &err), &err);
    assert_int_equal(r.process, GN_PROCESS_HOP);
    assert_int_equal(gn_row_set_process_name(&r, "a b", &err), GN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
