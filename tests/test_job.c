/* Tests of the job module: option lists, sweeps (counted by hand), INI job files whose errors
 * must name the file and the line, and data/jobs/default.ini against the built-in defaults. */
#include "gn_test.h"
#include "gapneb/job.h"
#include "gapneb/settings.h"

static void test_sweep(void **state)
{
    (void)state;
    gn_error err;
    double *g;
    size_t n;
    /* 4, 4.25, ..., 10: (10 - 4) / 0.25 + 1 = 25 values */
    gn_assert_ok(gn_parse_sweep("4:10:0.25", &g, &n, &err), &err);
    assert_int_equal(n, 25);
    gn_assert_near(g[0], 4.0, 0);
    gn_assert_near(g[1], 4.25, 1e-15);
    gn_assert_near(g[24], 10.0, 1e-12);
    free(g);
    /* 0.1 is not exact in binary: 60 steps must still reach 10 */
    gn_assert_ok(gn_parse_sweep("4:10:0.1", &g, &n, &err), &err);
    assert_int_equal(n, 61);
    gn_assert_near(g[60], 10.0, 1e-9);
    free(g);
    /* STOP not on the grid: stops below it */
    gn_assert_ok(gn_parse_sweep("5:6:0.4", &g, &n, &err), &err);
    assert_int_equal(n, 3);
    gn_assert_near(g[2], 5.8, 1e-12);
    free(g);
    gn_assert_ok(gn_parse_sweep("5:5:1", &g, &n, &err), &err);
    assert_int_equal(n, 1);
    free(g);
    static const char *const bad[] = {"4:10", "4:10:0", "4:10:-1", "10:4:1", "a:5:1",
                                      "0:5:1", "4:10:1:2", "", "4::1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gn_parse_sweep(bad[i], &g, &n, &err), GN_EINVAL);
        assert_null(g);
    }
}

static void test_lists(void **state)
{
    (void)state;
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    assert_int_equal(gn_job_nrows(&job), 18); /* 2 models x 3 processes x 3 gaps x 1 potential */
    assert_true(job.all_processes);
    /* the terraces: no transfer, one row (gap inf) per process and potential */
    gn_assert_ok(gn_job_set_models(&job, "s2s,pt100,pt111", "--models", &err), &err);
    assert_int_equal(gn_job_nrows(&job), 3 * 3 + 2 + 2);
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "exchange,transfer", "--processes", &err), &err);
    assert_false(job.all_processes);
    assert_int_equal(gn_job_nrows(&job), 2 * 3 + 1 + 1);
    gn_assert_ok(gn_job_set_models(&job, "pt100,pt111", "--models", &err), &err);
    /* transfer named, but no model defines it */
    assert_int_equal(gn_job_validate(&job, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "transfer"));
    gn_assert_ok(gn_job_set_processes(&job, "all", "--processes", &err), &err);
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    assert_int_equal(gn_job_nrows(&job), 4);
    assert_int_equal(gn_job_set_processes(&job, "all,hop", "--processes", &err), GN_EINVAL);
    gn_assert_ok(gn_job_set_models(&job, " e2e ", "--models", &err), &err);
    assert_int_equal(job.nmodels, 1);
    assert_int_equal(job.models[0], GN_MODEL_E2E);
    assert_int_equal(gn_job_set_models(&job, "s2s,x2x", "--models", &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "--models"));
    assert_int_equal(gn_job_set_models(&job, "s2s,s2s", "--models", &err), GN_EINVAL);
    assert_int_equal(gn_job_set_processes(&job, "", "--processes", &err), GN_EINVAL);
    assert_int_equal(job.nmodels, 1); /* failures leave the list alone */
    gn_assert_ok(gn_job_set_gaps(&job, "4.5, 6", "--gaps", &err), &err);
    assert_int_equal(job.ngaps, 2);
    gn_assert_near(job.gaps[1], 6.0, 0);
    assert_int_equal(gn_job_set_gaps(&job, "4.5,-1", "--gaps", &err), GN_EINVAL);
    assert_int_equal(gn_job_set_gaps(&job, "4.5,,6", "--gaps", &err), GN_EINVAL);
    /* a gap given twice would make duplicate rows */
    assert_int_equal(gn_job_set_gaps(&job, "5,5.8,5", "--gaps", &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "twice"));
    assert_int_equal(gn_job_set_sweep(&job, "5:5.5:0.25", "--sweep", &err), GN_OK);
    assert_int_equal(job.ngaps, 3);
    gn_assert_ok(gn_job_set_gaps(&job, "4.5, 6", "--gaps", &err), &err);
    gn_assert_ok(gn_job_add_potentials(&job, "eam-pt,morse-pt", 1, "--potential", &err), &err);
    gn_assert_ok(gn_job_add_potentials(&job, "lj-pt", 0, "--potential", &err), &err);
    assert_int_equal(job.npotentials, 3);
    assert_int_equal(gn_job_add_potentials(&job, "lj-pt", 0, "--potential", &err), GN_EINVAL);
    assert_int_equal(gn_job_nrows(&job), 1 * 3 * 2 * 3); /* e2e, all 3 processes */
    gn_job_clear(&job);
}

/* Loads text over the default job and returns the status; the message is in err. */
static int load(const char *text, gn_job *job, gn_error *err)
{
    gn_error e2;
    gn_assert_ok(gn_job_init(job, &e2), &e2);
    return gn_job_load_ini_string(job, text, "job.ini", err);
}

static void test_ini_values(void **state)
{
    (void)state;
    gn_job job;
    gn_error err;
    const char *text = "; a job\n"
                       "[table]\n"
                       "models = e2e\n"
                       "processes = transfer, hop\n"
                       "sweep = 4:6:0.5   ; inline comment\n"
                       "potential = eam-pt\n"
                       "potential = morse-pt\n"
                       "out = results\n"
                       "jobs = 2\n"
                       "resume = yes\n"
                       "modes = true\n"
                       "temperature = 450\n"
                       "reference = ref.csv\n"
                       "[neb]\n"
                       "images = 5\n"
                       "fmax = 0.02\n"
                       "max_steps = 300\n"
                       "spring = 2.5\n"
                       "climb = off\n"
                       "climb_threshold = 0.3\n"
                       "interpolation = linear\n"
                       "perturb = 0.07\n"
                       "refine = 0\n"
                       "[model]\n"
                       "s2s_size = 3\n"
                       "s2s_layers = 5\n"
                       "s2s_registry = top\n"
                       "e2e_length = 6\n"
                       "e2e_radius = 10.5\n"
                       "e2e_registry = staggered\n";
    gn_assert_ok(load(text, &job, &err), &err);
    assert_int_equal(job.nmodels, 1);
    assert_int_equal(job.processes[0], GN_PROCESS_TRANSFER);
    assert_int_equal(job.ngaps, 5);
    gn_assert_near(job.gaps[4], 6.0, 1e-12);
    assert_int_equal(job.npotentials, 2); /* the first key replaced the default, the second added */
    assert_string_equal(job.potentials[1], "morse-pt");
    assert_string_equal(job.out, "results");
    assert_int_equal(job.jobs, 2);
    assert_int_equal(job.resume, 1);
    assert_int_equal(job.modes, 1);
    gn_assert_near(job.temperature, 450, 0);
    assert_string_equal(job.reference, "ref.csv");
    assert_int_equal(job.images, 5);
    gn_assert_near(job.fmax, 0.02, 0);
    assert_int_equal(job.max_steps, 300);
    gn_assert_near(job.spring, 2.5, 0);
    assert_int_equal(job.climb, 0);
    gn_assert_near(job.climb_threshold, 0.3, 0);
    assert_string_equal(job.interpolation, "linear");
    gn_assert_near(job.perturb, 0.07, 0);
    assert_int_equal(job.refine, 0); /* 0 is a value (off), not "the default" */
    assert_int_equal(job.s2s_size, 3);
    assert_int_equal(job.s2s_layers, 5);
    assert_string_equal(job.s2s_registry, "top");
    assert_int_equal(job.e2e_length, 6);
    gn_assert_near(job.e2e_radius, 10.5, 0);
    assert_string_equal(job.e2e_registry, "staggered");
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    gn_job_clear(&job);
}

/* Each bad job must fail with GN_EPARSE and a message starting "job.ini:LINE:" and naming the
 * problem. */
static void expect_error(const char *text, int line, const char *needle)
{
    gn_job job;
    gn_error err;
    int rc = load(text, &job, &err);
    gn_job_clear(&job);
    if (rc != GN_EPARSE)
        fail_msg("expected a parse error for:\n%s\ngot %d (%s)", text, rc, err.msg);
    char head[32];
    snprintf(head, sizeof head, "job.ini:%d:", line);
    if (strncmp(err.msg, head, strlen(head)) != 0 || !strstr(err.msg, needle))
        fail_msg("message '%s' should start with '%s' and mention '%s'", err.msg, head, needle);
}

static void test_ini_errors(void **state)
{
    (void)state;
    expect_error("[table]\nmodels = s2s\n\ncolour = red\n", 4, "colour");
    expect_error("[table]\ngaps = 5, five\n", 2, "five");
    expect_error("# c\n[neb]\nimages = 0\n", 3, "images");
    expect_error("[neb]\nfmax = -1\n", 2, "fmax");
    expect_error("[neb]\nclimb = maybe\n", 2, "climb");
    expect_error("[neb]\ninterpolation = spline\n", 2, "spline");
    expect_error("[neb]\nperturb = -0.1\n", 2, "perturb");
    expect_error("[neb]\nrefine = two\n", 2, "refine");
    expect_error("[tabel]\nmodels = s2s\n", 2, "tabel");
    expect_error("models = s2s\n", 1, "outside a section");
    expect_error("[table]\nmodels = s2s\nthis line has no equals sign\n", 3, "syntax");
    expect_error("[table]\nmodels = s2s\n[broken\n", 3, "syntax");
    expect_error("[table]\ngaps = 5\nsweep = 4:6:1\n", 3, "not both");
    expect_error("[table]\nsweep = 6:4:1\n", 2, "sweep");
    expect_error("[table]\ntemperature = 0\n", 2, "temperature");
    expect_error("[model]\ns2s_registry = diagonal\n", 2, "diagonal");
    expect_error("[table]\nprocesses = hop, jump\n", 2, "processes");
    /* the first error is reported, not a later one */
    expect_error("[table]\njobs = x\nmodels = y\n", 2, "jobs");
    /* CRLF line ends count lines the same way */
    expect_error("[table]\r\nmodels = s2s\r\nbogus = 1\r\n", 3, "bogus");
    /* a key or a section given twice would silently keep one value: refused */
    expect_error("[neb]\nfmax = 0.02\nimages = 5\nfmax = 0.05\n", 4, "twice");
    expect_error("[neb]\nfmax = 0.02\n[table]\nmodels = s2s\n[neb]\nimages = 5\n", 5,
                 "[neb]");
    /* zero is a value, and these settings must be positive: refused like the command line */
    expect_error("[neb]\nfmax = 0\n", 2, "fmax");
    expect_error("[neb]\nspring = 0\n", 2, "spring");
    expect_error("[neb]\nmax_steps = 0\n", 2, "max_steps");
    expect_error("[neb]\nimages = 1001\n", 2, "images");
    expect_error("[table]\ngaps = 5, 5.8, 5\n", 2, "twice");
}

/* A job's validation is where the gap list meets gap_max, whichever was given first. */
static void test_validate(void **state)
{
    (void)state;
    gn_job job;
    gn_error err;
    gn_assert_ok(load("[table]\ngaps = 5, 60\n", &job, &err), &err);
    assert_int_equal(gn_job_validate(&job, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "60"));
    assert_non_null(strstr(err.msg, "gap_max"));
    gn_job_clear(&job);
    gn_assert_ok(load("[table]\ngaps = 5, 60\ngap_max = 100\n", &job, &err), &err);
    gn_assert_ok(gn_job_validate(&job, &err), &err);
    gn_job_clear(&job);
}

static void test_ini_file(void **state)
{
    (void)state;
    gn_job job, def;
    gn_error err;
    char path[2048];
    snprintf(path, sizeof path, "%s/data/jobs/default.ini", gn_test_srcdir());
    gn_assert_ok(gn_job_init(&def, &err), &err);
    /* start from an empty job so that the file alone has to produce the default table */
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "e2e", "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "9", "t", &err), &err);
    gn_assert_ok(gn_job_load_ini(&job, path, &err), &err);
    assert_int_equal(job.nmodels, def.nmodels);
    for (int i = 0; i < def.nmodels; i++)
        assert_int_equal(job.models[i], def.models[i]);
    assert_int_equal(job.nprocesses, def.nprocesses);
    assert_int_equal(job.ngaps, def.ngaps);
    for (size_t i = 0; i < def.ngaps; i++)
        gn_assert_near(job.gaps[i], def.gaps[i], 0);
    assert_int_equal(job.npotentials, 1);
    assert_string_equal(job.potentials[0], "eam-pt");
    assert_string_equal(job.out, def.out);
    /* the file states the defaults of the symmetry breaking too */
    gn_assert_near(job.perturb, def.perturb, 0);
    assert_int_equal(job.refine, def.refine);
    assert_int_equal(def.refine, 3); /* the documented default (README, settings table) */
    gn_job_clear(&job);
    gn_job_clear(&def);
    /* the other example jobs must at least load and validate */
    static const char *const others[] = {"sweep.ini", "potentials.ini"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/data/jobs/%s", gn_test_srcdir(), others[i]);
        gn_assert_ok(gn_job_init(&job, &err), &err);
        gn_assert_ok(gn_job_load_ini(&job, path, &err), &err);
        gn_assert_ok(gn_job_validate(&job, &err), &err);
        gn_job_clear(&job);
    }
    gn_assert_ok(gn_job_init(&job, &err), &err);
    assert_int_equal(gn_job_load_ini(&job, "/nonexistent/job.ini", &err), GN_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/job.ini"));
    gn_job_clear(&job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep),      cmocka_unit_test(test_lists),
        cmocka_unit_test(test_ini_values), cmocka_unit_test(test_ini_errors),
        cmocka_unit_test(test_ini_file),   cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
