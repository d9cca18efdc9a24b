/* Engine faults through the command line: the real gapneb program as i-PI server, against no
 * client, a client that sends garbage, a client that goes silent (then SIGINT and SIGTERM), and
 * an engine command that fails; each must end with a clear message and the documented exit
 * status (3 for an engine that fails, 128 + signal when interrupted, 2 for bad options) within
 * its time bound, the socket file removed; SIGTERM and bad engine options for `search` as well.
 * Also `build -o *.data`. UNIX sockets only.
 */
#include "gn_test_proc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>

static char dir[64];

static void name_for(char *name, size_t size, const char *tag)
{
    snprintf(name, size, "gn-cli-%s-%ld", tag, (long)getpid());
}

static void write_cluster(const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "3\nProperties=species:S:1:pos:R:3 pbc=\"F F F\"\n"
                "Pt 0.0 0.0 0.0\nPt 2.6 0.0 0.0\nPt 1.3 2.2 0.1\n");
    fclose(fp);
}

/* ---- a minimal client ---------------------------------------------------------------------- */

typedef struct tiny {
    char path[100];
    int garbage;            /* answer STATUS with garbage; else READY, then silence */
    atomic_int got_pos, got_exit, connected;
    pthread_t th;
} tiny;

static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void *tiny_main(void *arg)
{
    tiny *t = arg;
    int fd = -1;
    double t0 = gn_test_now();
    while (gn_test_now() - t0 < 10.0) {
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        memcpy(sa.sun_path, t->path, strlen(t->path) + 1);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            break;
        close(fd);
        fd = -1;
        gn_test_sleep(0.01);
    }
    if (fd < 0)
        return NULL;
    atomic_store(&t->connected, 1);
    char h[13] = {0};
    int answered = 0;
    while (read_all(fd, h, 12) == 0) {
        if (!strncmp(h, "EXIT", 4)) {
            atomic_store(&t->got_exit, 1);
            break;
        }
        if (!strncmp(h, "STATUS", 6) && t->garbage) {
            if (write(fd, "I AM NOT IPI", 12) != 12)
                break;
        } else if (!strncmp(h, "STATUS", 6) && !answered) {
            answered = 1;
            if (write(fd, "READY       ", 12) != 12)
                break;
        } else if (!strncmp(h, "POSDATA", 7)) {
            double cell[18];
            int32_t n;
            read_all(fd, cell, sizeof cell);
            read_all(fd, &n, 4);
            double *x = malloc(24 * (size_t)n);
            read_all(fd, x, 24 * (size_t)n);
            free(x);
            atomic_store(&t->got_pos, 1);
        }
    }
    close(fd);
    return NULL;
}

static tiny *tiny_start(const char *name, int garbage)
{
    tiny *t = calloc(1, sizeof *t);
    assert_non_null(t);
    snprintf(t->path, sizeof t->path, "/tmp/ipi_%s", name);
    t->garbage = garbage;
    assert_int_equal(pthread_create(&t->th, NULL, tiny_main, t), 0);
    return t;
}

/* ---- tests ---------------------------------------------------------------------------------- */

/* No client: exit 3 after the timeout, a message that says so, no socket file left. */
static void test_no_client(void **state)
{
    (void)state;
    char name[64], cmd[2048], errf[256];
    name_for(name, sizeof name, "none");
    snprintf(errf, sizeof errf, "%s/none.err", dir);
    snprintf(cmd, sizeof cmd, "'%s' energy '%s/c.xyz' -p ipi:unix:%s --engine-timeout 1 "
             ">/dev/null 2>'%s'", gn_test_gapneb(), dir, name, errf);
    double t0 = gn_test_now();
    int st = gn_proc_run(cmd, 20.0);
    double dt = gn_test_now() - t0;
    char *err = gn_test_slurp(errf);
    if (st != 3 || !strstr(err, "no client connected to /tmp/ipi_"))
        fail_msg("exit %d, stderr: %s", st, err);
    assert_true(dt >= 1.0 && dt < 8.0);
    char sock[128];
    snprintf(sock, sizeof sock, "/tmp/ipi_%s", name);
    assert_int_equal(access(sock, F_OK), -1);
    free(err);
}

/* A client that answers STATUS with garbage: exit 3, the garbage named, the client told EXIT. */
static void test_garbage_client(void **state)
{
    (void)state;
    char name[64], cmd[2048], errf[256];
    name_for(name, sizeof name, "garbage");
    snprintf(errf, sizeof errf, "%s/garbage.err", dir);
    tiny *t = tiny_start(name, 1);
    snprintf(cmd, sizeof cmd, "'%s' energy '%s/c.xyz' -p ipi:unix:%s --engine-timeout 20 "
             ">/dev/null 2>'%s'", gn_test_gapneb(), dir, name, errf);
    int st = gn_proc_run(cmd, 20.0);
    pthread_join(t->th, NULL);
    char *err = gn_test_slurp(errf);
    if (st != 3 || !strstr(err, "sent 'I AM NOT IPI' where READY or NEEDINIT was expected"))
        fail_msg("exit %d, stderr: %s", st, err);
    assert_true(atomic_load(&t->connected));
    free(t);
    free(err);
}

/* A client that takes the structure and goes silent; the signal ends gapneb (subcommand sub on
 * the cluster, args after it): the client gets EXIT, the socket file goes, the exit status is
 * 128 + the signal. */
static void interrupted(int sig, const char *sub, const char *args)
{
    char name[96], tag[48], cmd[2048], errf[256], sock[128];
    snprintf(tag, sizeof tag, "%s-%s", sub, sig == SIGINT ? "int" : "term");
    name_for(name, sizeof name, tag);
    snprintf(sock, sizeof sock, "/tmp/ipi_%s", name);
    snprintf(errf, sizeof errf, "%s/%s.err", dir, name);
    tiny *t = tiny_start(name, 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s' %s c.xyz %s -p ipi:unix:%s --engine-timeout "
             "60 >/dev/null 2>'%s'", dir, gn_test_gapneb(), sub, args, name, errf);
    pid_t pid = gn_proc_start(cmd);
    double t0 = gn_test_now();
    while (!atomic_load(&t->got_pos) && gn_test_now() - t0 < 10.0)
        gn_test_sleep(0.01);
    assert_true(atomic_load(&t->got_pos));
    assert_int_equal(access(sock, F_OK), 0);
    kill(pid, sig);
    t0 = gn_test_now();
    int st = gn_proc_wait(pid, 10.0, "gapneb after the signal");
    assert_true(gn_test_now() - t0 < 5.0);
    pthread_join(t->th, NULL);
    char *err = gn_test_slurp(errf);
    if (st != 128 + sig || !strstr(err, "interrupted by"))
        fail_msg("exit %d, stderr: %s", st, err);
    assert_true(atomic_load(&t->got_exit));
    assert_int_equal(access(sock, F_OK), -1);
    free(t);
    free(err);
}

static void test_sigint(void **state)
{
    (void)state;
    interrupted(SIGINT, "energy", "");
}

static void test_sigterm(void **state)
{
    (void)state;
    interrupted(SIGTERM, "energy", "");
}

/* search relaxes the start on the engine first: the client goes silent there */
static void test_search_sigterm(void **state)
{
    (void)state;
    interrupted(SIGTERM, "search", "--searches 2 -o search-term");
}

/* Clients started with --engine-command that all end before connecting: exit 3 at once. */
static void test_command_fails(void **state)
{
    (void)state;
    char name[64], cmd[2048], errf[256];
    name_for(name, sizeof name, "cmd");
    snprintf(errf, sizeof errf, "%s/cmd.err", dir);
    snprintf(cmd, sizeof cmd, "'%s' energy '%s/c.xyz' -p ipi:unix:%s --engine-command 'exit 7' "
             "--engine-count 2 >/dev/null 2>'%s'", gn_test_gapneb(), dir, name, errf);
    double t0 = gn_test_now();
    int st = gn_proc_run(cmd, 20.0);
    char *err = gn_test_slurp(errf);
    if (st != 3 || !strstr(err, "every client started with the engine command has ended") ||
        !strstr(err, "exited with status 7"))
        fail_msg("exit %d, stderr: %s", st, err);
    assert_true(gn_test_now() - t0 < 5.0);
    free(err);
}

/* Bad engine options are usage errors (exit 2), named. */
static void test_bad_options(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"-p ipi:unix:x --engine-timeout -1", "--engine-timeout"},
        {"-p ipi:unix:x --engine-vacuum 0", "--engine-vacuum"},
        {"-p ipi:unix:x --engine-count 0", "--engine-count"},
        {"-p ipi:unix:x --engine-count 2", "--engine-count needs --engine-command"},
        {"-p eam-pt --engine-command true", "need an engine potential"},
        {"-p ipi:unix:a/b", "NAME may hold"},
        {"search -p eam-pt --engine-timeout 5", "need an engine potential"},
        {"search -p ipi:unix:x --engine-count 2", "--engine-count needs --engine-command"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char cmd[2048], errf[256];
        snprintf(errf, sizeof errf, "%s/bad.err", dir);
        /* energy unless the subcommand is named */
        int named = !strncmp(bad[i][0], "search ", 7);
        snprintf(cmd, sizeof cmd, "'%s' %s '%s/c.xyz' %s >/dev/null 2>'%s'", gn_test_gapneb(),
                 named ? "search" : "energy", dir, bad[i][0] + (named ? 7 : 0), errf);
        int st = gn_proc_run(cmd, 10.0);
        char *err = gn_test_slurp(errf);
        if (st != 2 || !strstr(err, bad[i][1]))
            fail_msg("%s: exit %d, stderr: %s", bad[i][0], st, err);
        free(err);
    }
}

/* build -o *.data: a LAMMPS data file of the model; reading one is refused. */
static void test_build_data(void **state)
{
    (void)state;
    char cmd[2048], path[256];
    snprintf(path, sizeof path, "%s/m.data", dir);
    snprintf(cmd, sizeof cmd, "'%s' -q build s2s --gap 5 --site A100:0 --a0 3.92 "
             "--engine-vacuum 10 -o '%s'", gn_test_gapneb(), path);
    assert_int_equal(gn_proc_run(cmd, 20.0), 0);
    char *text = gn_test_slurp(path);
    assert_non_null(strstr(text, "\n129 atoms\n1 atom types\n"));
    assert_non_null(strstr(text, "Atoms # atomic"));
    assert_non_null(strstr(text, "10 A of vacuum"));
    free(text);
    snprintf(cmd, sizeof cmd, "'%s' -q energy '%s' 2>/dev/null", gn_test_gapneb(), path);
    assert_int_equal(gn_proc_run(cmd, 10.0), 2);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gn-ipi-cli-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    char path[128];
    snprintf(path, sizeof path, "%s/c.xyz", dir);
    write_cluster(path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_client),
        cmocka_unit_test(test_garbage_client),
        cmocka_unit_test(test_sigint),
        cmocka_unit_test(test_sigterm),
        cmocka_unit_test(test_search_sigterm),
        cmocka_unit_test(test_command_fails),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_build_data),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0)
        gn_test_rm_rf(dir);
    return rc;
}
