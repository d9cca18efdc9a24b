/* Tests of what a table run keeps when it is stopped, run by the real program:
 * - SIGINT after some rows: exit status 130, barriers.tsv/json hold every finished row (ok) and
 *   the others as pending, each finished row's run folder has its row.json;
 * - --resume then takes over exactly the finished rows and computes only the others: its new
 *   force calls equal the force calls of those rows in an uninterrupted run, and every barrier
 *   equals the uninterrupted run's;
 * - SIGTERM gives 143;
 * - a second run on the same output folder is refused (exit 3) while the first holds it;
 * - rows whose run folders a run with other settings has rewritten are computed again, never
 *   taken over (the folder's row.json must carry the row's settings key). */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/table_io.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROWS_ARGS "table --models s2s --processes hop --sweep 5:8:0.5 --s2s-size 3 --jobs 1 " \
                  "--no-figures --quiet"
#define NROWS 7

static const char *builddir(void)
{
    const char *bd = getenv("GN_BUILDDIR");
    return bd ? bd : GN_TEST_BUILDDIR;
}

/* Starts `gapneb ARGS --out OUT` in the background, its output to LOG (OUT.log if NULL). */
static pid_t start_log(const char *args, const char *out, const char *log)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec '%s/gapneb' %s --out '%s' > '%s%s' 2>&1", builddir(), args,
             out, log ? log : out, log ? "" : ".log");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static pid_t start(const char *args, const char *out) { return start_log(args, out, NULL); }

static int wait_status(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(const char *args, const char *out) { return wait_status(start(args, out)); }

/* Rows of OUT/barriers.json in the given state (0 without the file). */
static size_t count_state(const char *out, int state)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/barriers.json", out);
    gn_table t = {0};
    gn_error e;
    if (gn_table_read_json(path, &t, &e) != GN_OK)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < t.n; i++)
        n += t.rows[i].state == state;
    gn_table_clear(&t);
    return n;
}

static size_t count_ok(const char *out) { return count_state(out, GN_ROW_OK); }

/* Starts a run, waits until it has saved at least `rows` finished rows of its own (a table
 * with pending rows: this run's, not an earlier complete one), sends sig, returns the status. */
static int interrupt_after(const char *args, const char *out, size_t rows, int sig)
{
    pid_t pid = start(args, out);
    struct timespec ts = {0, 20 * 1000 * 1000};
    for (int k = 0; k < 3000 && (count_ok(out) < rows || !count_state(out, GN_ROW_PENDING)); k++)
        nanosleep(&ts, NULL);
    kill(pid, sig);
    return wait_status(pid);
}

static void read_table(const char *out, gn_table *t)
{
    char path[1200];
    gn_error e;
    snprintf(path, sizeof path, "%s/barriers.json", out);
    gn_assert_ok(gn_table_read_json(path, t, &e), &e);
}

static unsigned long new_calls(const char *out)
{
    char path[1200], *log;
    gn_error e;
    snprintf(path, sizeof path, "%s.log", out);
    gn_assert_ok(gn_file_read_all(path, &log, NULL, &e), &e);
    const char *p = strstr(log, "new force calls");
    unsigned long n = 0;
    if (p) {
        while (p > log && p[-1] != '(')
            p--;
        n = strtoul(p, NULL, 10);
    }
    free(log);
    return n;
}

static void test_interrupt_and_resume(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("interrupt");
    char full[1024], part[1024];
    snprintf(full, sizeof full, "%s/full", dir);
    snprintf(part, sizeof part, "%s/part", dir);
    assert_int_equal(run(ROWS_ARGS, full), 0);

    assert_int_equal(interrupt_after(ROWS_ARGS, part, 2, SIGINT), 130);
    gn_table t = {0}, ref = {0};
    read_table(part, &t);
    assert_int_equal(t.n, NROWS);
    size_t done = 0;
    for (size_t i = 0; i < t.n; i++) {
        const gn_table_row *r = &t.rows[i];
        assert_true(r->state == GN_ROW_OK || r->state == GN_ROW_PENDING);
        if (r->state != GN_ROW_OK)
            continue;
        done++;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s/row.json", part, r->rundir);
        assert_int_equal(access(path, R_OK), 0);
    }
    print_message("interrupted after %zu of %d rows\n", done, NROWS);
    assert_true(done >= 2 && done < NROWS);

    /* the resumed run computes exactly the rows that were not finished */
    read_table(full, &ref);
    unsigned long expect = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.rows[i].state != GN_ROW_OK)
            expect += ref.rows[i].force_calls;
    gn_table_clear(&t);
    char args[512];
    snprintf(args, sizeof args, "%s --resume --verbose", ROWS_ARGS);
    assert_int_equal(run(args, part), 0);
    assert_int_equal(new_calls(part), expect);
    read_table(part, &t);
    for (size_t i = 0; i < t.n; i++) {
        assert_int_equal(t.rows[i].state, GN_ROW_OK);
        gn_assert_near(t.rows[i].barrier_fwd, ref.rows[i].barrier_fwd, 1e-9);
    }
    gn_table_clear(&t);
    gn_table_clear(&ref);

    /* SIGTERM: 143 */
    snprintf(part, sizeof part, "%s/term", dir);
    assert_int_equal(interrupt_after(ROWS_ARGS, part, 1, SIGTERM), 143);
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_lock(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("interrupt");
    char out[1024];
    snprintf(out, sizeof out, "%s/out", dir);
    pid_t first = start(ROWS_ARGS, out);
    struct timespec ts = {0, 20 * 1000 * 1000};
    for (int k = 0; k < 3000 && count_ok(out) < 1; k++)
        nanosleep(&ts, NULL);
    char path[1200], *log;
    snprintf(path, sizeof path, "%s/second.log", dir);
    int st = wait_status(start_log(ROWS_ARGS, out, path));
    kill(first, SIGINT);
    wait_status(first);
    assert_int_equal(st, 3);
    gn_error e;
    gn_assert_ok(gn_file_read_all(path, &log, NULL, &e), &e);
    assert_non_null(strstr(log, "in use"));
    free(log);
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_other_settings_not_mixed(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("interrupt");
    char out[1024], args[512];
    snprintf(out, sizeof out, "%s/out", dir);
    const char *a = "table --models s2s --processes hop --gaps 5,6,7 --s2s-size 3 --jobs 1 "
                    "--no-figures --quiet";
    assert_int_equal(run(a, out), 0);
    /* the same rows with another fmax, into the same folder, stopped after one row */
    snprintf(args, sizeof args, "%s --fmax 0.02", a);
    assert_int_equal(interrupt_after(args, out, 1, SIGINT), 130);
    gn_table t = {0};
    read_table(out, &t);
    size_t rewritten = 0;
    for (size_t i = 0; i < t.n; i++)
        rewritten += t.rows[i].state == GN_ROW_OK;
    gn_table_clear(&t);
    /* resuming the first settings keeps only the folders the second run did not rewrite */
    snprintf(args, sizeof args, "%s --resume --verbose", a);
    assert_int_equal(run(args, out), 0);
    char path[1200], *log, want[64];
    gn_error e;
    snprintf(path, sizeof path, "%s.log", out);
    gn_assert_ok(gn_file_read_all(path, &log, NULL, &e), &e);
    snprintf(want, sizeof want, "resume: %zu of 3 rows", 3 - rewritten);
    if (3 - rewritten == 0)
        assert_null(strstr(log, "resume:"));
    else if (!strstr(log, want))
        fail_msg("expected '%s' (%zu rows rewritten by the other settings) in:\n%s", want,
                 rewritten, log);
    free(log);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interrupt_and_resume),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_other_settings_not_mixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
