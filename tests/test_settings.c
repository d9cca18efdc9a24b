/* Tests of the settings table against everything derived from it:
 * - `gapneb table --help` documents every setting's option with the table's default, and no
 *   option the table does not have; `gapneb run --help` documents every INI key likewise;
 * - an INI file setting every key to a value other than its default gives exactly those values
 *   (read back field by field), and the command line gives the same job;
 * - a value out of range is refused by the INI reader (file:line, key named) and by the command
 *   line (exit 2, option named): the same limits everywhere;
 * - the table's NEB and model defaults are the library's (gn_neb_opts_default,
 *   gn_model_opts_default), so a job and a direct library call compute the same thing;
 * - the settings hash changes with every hashed setting and with no other. */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/job.h"
#include "gapneb/settings.h"

#include <sys/wait.h>
#include <unistd.h>

static const char *builddir(void)
{
    const char *bd = getenv("GN_BUILDDIR");
    return bd ? bd : GN_TEST_BUILDDIR;
}

/* Output of `gapneb ARGS` (stdout), and its exit status in *status. */
static char *run_gapneb(const char *args, int *status)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s/gapneb' %s%s", builddir(), args,
             strstr(args, "2>&1") ? "" : " 2>/dev/null");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

/* The help text of one entry: from its first line (starting with start) to the next line that
 * is not a continuation (indented by more than two spaces). */
static char *entry_text(const char *help, const char *start)
{
    const char *p = strstr(help, start);
    if (!p)
        return NULL;
    const char *end = p + strlen(start);
    while ((end = strchr(end, '\n')) && !strncmp(end + 1, "   ", 3))
        end++;
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *s = strndup(p, len);
    /* join wrapped lines so that "default 0.01" is found even when broken */
    for (char *q = s; *q; q++)
        if (*q == '\n')
            *q = ' ';
    return s;
}

static void squeeze_spaces(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (!(*r == ' ' && w > s && w[-1] == ' '))
            *w++ = *r;
    *w = '\0';
}

static void check_default_in(const char *text, const gn_setting *s, const char *where)
{
    char want[256];
    if (s->def[0])
        snprintf(want, sizeof want, "default %s", s->def);
    else if (s->type == GN_SETTING_LIST)
        return; /* sweep: no default, gaps are */
    else
        snprintf(want, sizeof want, "default none");
    if (!strstr(text, want))
        fail_msg("%s: the entry of %s does not say '%s':\n%s", where, s->key, want, text);
}

static void test_table_help(void **state)
{
    (void)state;
    int st;
    char *help = run_gapneb("table --help", &st);
    assert_int_equal(st, 0);
    size_t n;
    const gn_setting *s = gn_settings(&n);
    for (size_t i = 0; i < n; i++) {
        char start[96];
        snprintf(start, sizeof start, "\n  --%s%s", s[i].option,
                 s[i].type == GN_SETTING_BOOL ? "," : " ");
        char *text = entry_text(help, start);
        if (!text)
            fail_msg("gapneb table --help has no entry '%s'", start + 1);
        squeeze_spaces(text);
        check_default_in(text, &s[i], "table --help");
        if (s[i].unit[0] && !strstr(text, s[i].unit))
            fail_msg("table --help: %s does not name its unit %s", s[i].option, s[i].unit);
        free(text);
    }
    /* every documented option is a setting (or a common one) */
    for (const char *p = strstr(help, "\n  --"); p; p = strstr(p + 1, "\n  --")) {
        char name[64];
        if (sscanf(p + 5, "%63[a-z0-9-]", name) != 1)
            continue;
        if (!gn_setting_by_option(name) && strcmp(name, "quiet") && strcmp(name, "verbose") &&
            strcmp(name, "help") && strcmp(name, "dry-run") &&
            strcmp(name, "process") /* custom processes: a list of their own (job.h) */)
            fail_msg("table --help documents --%s, which is not in the settings table", name);
    }
    free(help);
}

static void test_run_help(void **state)
{
    (void)state;
    int st;
    char *help = run_gapneb("run --help", &st);
    assert_int_equal(st, 0);
    size_t n;
    const gn_setting *s = gn_settings(&n);
    const char *section = "";
    for (size_t i = 0; i < n; i++) {
        char sec[32], start[96];
        if (strcmp(section, s[i].section)) {
            section = s[i].section;
            snprintf(sec, sizeof sec, "[%s]", section);
            assert_non_null(strstr(help, sec));
        }
        snprintf(start, sizeof start, "\n  %s = ", s[i].key);
        char *text = entry_text(help, start);
        if (!text)
            fail_msg("gapneb run --help has no key '%s'", s[i].key);
        squeeze_spaces(text);
        check_default_in(text, &s[i], "run --help");
        free(text);
    }
    free(help);
}

/* A valid value other than the default, as text, for a scalar setting. */
static void other_value(const gn_setting *s, char *buf, size_t cap)
{
    if (s->type == GN_SETTING_BOOL) {
        int d = !strcmp(s->def, "yes");
        snprintf(buf, cap, "%s", d ? "no" : "yes");
    } else if (s->type == GN_SETTING_CHOICE) {
        const char *last = strrchr(s->choices, '|');
        snprintf(buf, cap, "%s", last ? last + 1 : s->choices);
        if (!strcmp(buf, s->def)) /* the default is the last: take the first */
            snprintf(buf, cap, "%.*s", (int)strcspn(s->choices, "|"), s->choices);
    } else if (s->type == GN_SETTING_STRING) {
        snprintf(buf, cap, "test-%s", s->key);
    } else {
        double d = atof(s->def), v = d * 1.5 + 1.0;
        if (v > s->max)
            v = (d + s->min) / 2 + (s->type == GN_SETTING_INT);
        if (s->type == GN_SETTING_INT)
            snprintf(buf, cap, "%d", (int)v);
        else
            snprintf(buf, cap, "%.17g", v);
    }
}

/* Compares the job's field of s with the text value (parsed independently of the table). */
static void check_field(const gn_job *job, const gn_setting *s, const char *value)
{
    const char *f = (const char *)job + s->offset;
    switch (s->type) {
    case GN_SETTING_INT: assert_int_equal(*(const int *)f, atoi(value)); break;
    case GN_SETTING_DOUBLE: gn_assert_near(*(const double *)f, atof(value), 0); break;
    case GN_SETTING_BOOL: assert_int_equal(*(const int *)f, !strcmp(value, "yes")); break;
    default: assert_string_equal(f, value); break;
    }
}

static void test_ini_and_cli_every_key(void **state)
{
    (void)state;
    size_t n;
    const gn_setting *s = gn_settings(&n);
    char ini[8192] = "", values[64][128];
    const char *section = "";
    size_t len = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        if (strcmp(section, s[i].section)) {
            section = s[i].section;
            len += (size_t)snprintf(ini + len, sizeof ini - len, "[%s]\n", section);
        }
        if (s[i].type == GN_SETTING_LIST)
            continue; /* lists below */
        other_value(&s[i], values[i], sizeof values[i]);
        len += (size_t)snprintf(ini + len, sizeof ini - len, "%s = %s\n", s[i].key, values[i]);
    }
    /* the lists, appended to [table] through a second reader pass would repeat the section:
     * they go into their own file */
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_load_ini_string(&job, ini, "every.ini", &err), &err);
    for (size_t i = 0; i < n && i < 64; i++)
        if (s[i].type != GN_SETTING_LIST)
            check_field(&job, &s[i], values[i]);
    gn_job_clear(&job);

    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_load_ini_string(&job,
                                        "[table]\nmodels = e2e\nprocesses = transfer\n"
                                        "gaps = 4.5, 6\npotentials = lj-pt, morse-pt\n",
                                        "lists.ini", &err),
                 &err);
    assert_int_equal(job.nmodels, 1);
    assert_int_equal(job.models[0], GN_MODEL_E2E);
    assert_int_equal(job.processes[0], GN_PROCESS_TRANSFER);
    assert_int_equal(job.ngaps, 2);
    gn_assert_near(job.gaps[1], 6, 0);
    assert_int_equal(job.npotentials, 2);
    assert_string_equal(job.potentials[1], "morse-pt");
    gn_job_clear(&job);

    /* the command line reaches the same job through the same table: every option set to the
     * same value gives the job the INI file gives (both written out by --dry-run) */
    char cmd[8192] = "table --dry-run", *w = cmd + strlen(cmd), path[1024];
    for (size_t i = 0; i < n && i < 64; i++) {
        if (s[i].type == GN_SETTING_LIST)
            continue;
        if (s[i].type == GN_SETTING_BOOL)
            w += snprintf(w, sizeof cmd - (size_t)(w - cmd), " --%s%s",
                          strcmp(values[i], "yes") ? "no-" : "", s[i].option);
        else
            w += snprintf(w, sizeof cmd - (size_t)(w - cmd), " --%s '%s'", s[i].option,
                          values[i]);
    }
    int st;
    char *from_cli = run_gapneb(cmd, &st);
    assert_int_equal(st, 0);
    char *dir = gn_test_tmpdir("settings");
    snprintf(path, sizeof path, "%s/every.ini", dir);
    gn_assert_ok(gn_file_write_string(path, ini, &err), &err);
    snprintf(cmd, sizeof cmd, "run --dry-run '%s'", path);
    char *from_ini = run_gapneb(cmd, &st);
    assert_int_equal(st, 0);
    assert_string_equal(from_cli, from_ini);
    /* and the written job reads back to itself */
    snprintf(path, sizeof path, "%s/again.ini", dir);
    gn_assert_ok(gn_file_write_string(path, from_ini, &err), &err);
    snprintf(cmd, sizeof cmd, "run --dry-run '%s'", path);
    char *again = run_gapneb(cmd, &st);
    assert_int_equal(st, 0);
    assert_string_equal(again, from_ini);
    for (size_t i = 0; i < n && i < 64; i++) {
        char line[256];
        if (s[i].type == GN_SETTING_LIST)
            continue;
        snprintf(line, sizeof line, "\n%s = %s\n", s[i].key, values[i]);
        if (!strstr(from_ini, line))
            fail_msg("the resolved job lacks '%s'", line + 1);
    }
    free(from_cli);
    free(from_ini);
    free(again);
    gn_test_rm_rf(dir);
    free(dir);
}

/* A value beyond each end of a numeric setting's range. */
static void test_ranges_everywhere(void **state)
{
    (void)state;
    size_t n;
    const gn_setting *s = gn_settings(&n);
    for (size_t i = 0; i < n; i++) {
        if (s[i].type != GN_SETTING_INT && s[i].type != GN_SETTING_DOUBLE)
            continue;
        double bad[2] = {s[i].flags & GN_SETTING_MIN_OPEN ? s[i].min : s[i].min - 1,
                         s[i].max * 2 + 1};
        for (int k = 0; k < 2; k++) {
            char text[256], val[64];
            snprintf(val, sizeof val, "%.17g", bad[k]);
            snprintf(text, sizeof text, "\n[%s]\n%s = %s\n", s[i].section, s[i].key, val);
            gn_job job;
            gn_error err;
            gn_assert_ok(gn_job_init(&job, &err), &err);
            int rc = gn_job_load_ini_string(&job, text, "range.ini", &err);
            gn_job_clear(&job);
            if (rc == GN_OK || strncmp(err.msg, "range.ini:3:", 12) || !strstr(err.msg, s[i].key))
                fail_msg("INI %s = %s: expected an error at range.ini:3 naming the key, got %d "
                         "'%s'", s[i].key, val, rc, err.msg);
            char cmd[512], opt[96];
            snprintf(cmd, sizeof cmd, "table --%s %s 2>&1", s[i].option, val);
            snprintf(opt, sizeof opt, "--%s", s[i].option);
            int st;
            char *out = run_gapneb(cmd, &st);
            if (st != 2 || !strstr(out, opt) || !strstr(out, "out of range"))
                fail_msg("gapneb %s: expected exit 2 naming %s, got %d: %s", cmd, opt, st, out);
            free(out);
        }
    }
}

static double setting_number(const char *key)
{
    size_t n;
    const gn_setting *s = gn_settings(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].key, key))
            return atof(s[i].def);
    fail_msg("no setting %s", key);
    return NAN;
}

static void test_library_defaults(void **state)
{
    (void)state;
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    assert_int_equal((int)setting_number("images"), no.nimages);
    gn_assert_near(setting_number("fmax"), no.fmax, 0);
    assert_int_equal((int)setting_number("max_steps"), no.max_steps);
    gn_assert_near(setting_number("spring"), no.k, 0);
    gn_assert_near(setting_number("climb_threshold"), no.climb_fmax, 0);
    gn_assert_near(setting_number("perturb"), no.perturb, 0);
    gn_assert_near(setting_number("refine_step"), no.refine_step, 0);
    gn_assert_near(setting_number("endpoint_fmax"), no.endpoint_fmax, 0);
    /* threads: the job says 0 = automatic; the library, which knows nothing of the row threads,
     * uses 1 */
    assert_int_equal((int)setting_number("threads"), 0);
    assert_int_equal(no.threads, 1);
    {
        size_t n;
        const gn_setting *s = gn_settings(&n);
        gn_minimizer m = GN_MIN_FIRE;
        gn_error err;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(s[i].key, "optimizer"))
                gn_assert_ok(gn_minimizer_parse(s[i].def, &m, &err), &err);
        assert_int_equal(m, no.optimizer);
    }
    gn_model_opts s2s, e2e, nc;
    gn_model_opts_default(&nc, GN_MODEL_NC);
    gn_assert_near(setting_number("nc_diameter"), nc.diameter, 0);
    assert_int_equal((int)setting_number("nc_atoms"), nc.natoms);
    gn_assert_near(setting_number("nc_fix_shell"), nc.fix_shell, 0);
    gn_model_opts_default(&s2s, GN_MODEL_S2S);
    gn_model_opts_default(&e2e, GN_MODEL_E2E);
    assert_int_equal((int)setting_number("s2s_size"), s2s.n);
    assert_int_equal((int)setting_number("s2s_layers"), s2s.layers);
    assert_int_equal((int)setting_number("e2e_length"), e2e.m);
    gn_assert_near(setting_number("e2e_radius"), e2e.R, 0);
    /* the table's gap guard is the model module's */
    gn_assert_near(setting_number("gap_max"), GN_MODEL_GAP_MAX, 0);
    gn_assert_near(gn_setting_by_key("table", "gap_max")->max, GN_MODEL_GAP_LIMIT, 0);
    /* the split of paths into elementary steps (steps.h) */
    gn_steps_opts so;
    gn_steps_opts_default(&so);
    gn_assert_near(setting_number("split_tol"), so.tol, 0);
    assert_int_equal((int)setting_number("split_depth"), so.max_depth);
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    assert_int_equal(job.split, so.split);
    assert_int_equal(job.saddle_order, so.check_order);
    gn_job_clear(&job);
}

static void test_hash(void **state)
{
    (void)state;
    gn_job a, b;
    gn_error err;
    gn_assert_ok(gn_job_init(&a, &err), &err);
    size_t n;
    const gn_setting *s = gn_settings(&n);
    unsigned long long h0 = gn_settings_hash(&a);
    for (size_t i = 0; i < n; i++) {
        if (s[i].type == GN_SETTING_LIST)
            continue;
        gn_assert_ok(gn_job_init(&b, &err), &err);
        char v[128], what[64];
        other_value(&s[i], v, sizeof v);
        snprintf(what, sizeof what, "%s", s[i].key);
        gn_assert_ok(gn_setting_apply(&s[i], &b, v, what, NULL, &err), &err);
        int changed = gn_settings_hash(&b) != h0;
        int hashed = !(s[i].flags & (GN_SETTING_NOHASH | GN_SETTING_ROW));
        if (changed != hashed)
            fail_msg("setting %s: hash %s but the setting %s a result", s[i].key,
                     changed ? "changed" : "did not change", hashed ? "changes" : "does not change");
        gn_job_clear(&b);
    }
    gn_job_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_help),        cmocka_unit_test(test_run_help),
        cmocka_unit_test(test_ini_and_cli_every_key), cmocka_unit_test(test_ranges_everywhere),
        cmocka_unit_test(test_library_defaults),  cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
