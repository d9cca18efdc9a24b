/* gapneb tests: running programs (gapneb, LAMMPS, python) with a time bound, and reading what
 * they wrote (header-only). */
#ifndef GN_TEST_PROC_H
#define GN_TEST_PROC_H

#include "gn_test.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double gn_test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void gn_test_sleep(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* The gapneb program of the build tree. */
static inline const char *gn_test_gapneb(void)
{
    static char path[1024];
    const char *bd = getenv("GN_BUILDDIR");
    snprintf(path, sizeof path, "%s/gapneb", bd ? bd : GN_TEST_BUILDDIR);
    return path;
}

/* Starts /bin/sh -c cmd in a process group of its own; returns its pid. */
static inline pid_t gn_proc_start(const char *cmd)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

/* Waits for pid at most timeout s; on timeout kills its process group and fails the test.
 * Returns the exit status, or 128 + the signal that ended it. */
static inline int gn_proc_wait(pid_t pid, double timeout, const char *what)
{
    double t0 = gn_test_now();
    int st;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            break;
        if (gn_test_now() - t0 > timeout) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("%s did not end within %g s", what, timeout);
        }
        gn_test_sleep(0.005);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs cmd to its end (at most timeout s); its exit status. */
static inline int gn_proc_run(const char *cmd, double timeout)
{
    return gn_proc_wait(gn_proc_start(cmd), timeout, cmd);
}

/* A whole (small) file as a string, "" if it cannot be read; the caller frees it. */
static inline char *gn_test_slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *s = NULL;
    size_t n = 0;
    if (fp) {
        fseek(fp, 0, SEEK_END);
        long len = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        s = malloc((size_t)(len > 0 ? len : 0) + 1);
        assert_non_null(s);
        n = len > 0 ? fread(s, 1, (size_t)len, fp) : 0;
        fclose(fp);
    } else {
        s = malloc(1);
        assert_non_null(s);
    }
    s[n] = '\0';
    return s;
}

/* The number after the first occurrence of key in text; NAN if absent. */
static inline double gn_test_value_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (!p)
        return NAN;
    return strtod(p + strlen(key), NULL);
}

#endif
