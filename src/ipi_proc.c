/* gapneb: the i-PI server's socket and processes: the engine spec, the listening UNIX or TCP
 * socket, and the client processes started with the engine command. See src/ipi_internal.h. */
#define _GNU_SOURCE
#include "ipi_internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int gn_ipi_parse_spec(ipi_server *s, const char *spec, gn_error *err)
{
    const char *usage = "expected ipi:unix:NAME or ipi:inet:[HOST:]PORT";
    if (strlen(spec) >= sizeof s->spec)
        return gn_error_set(err, GN_EINVAL, "engine spec '%.40s...' is too long", spec);
    snprintf(s->spec, sizeof s->spec, "%s", spec);
    const char *r = spec + 4;
    if (strncmp(r, "unix:", 5) == 0) {
        const char *name = r + 5;
        size_t len = strlen(name);
        if (len == 0 || len + strlen(UNIX_PREFIX) >= sizeof s->path)
            return gn_error_set(err, GN_EINVAL, "engine spec '%s': the socket NAME must have "
                                "1 to %zu characters", spec,
                                sizeof s->path - strlen(UNIX_PREFIX) - 1);
        for (size_t i = 0; i < len; i++) {
            char ch = name[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                  || ch == '_' || ch == '-' || ch == '.'))
                return gn_error_set(err, GN_EINVAL, "engine spec '%s': the socket NAME may hold "
                                    "letters, digits, '_', '-' and '.' only", spec);
        }
        snprintf(s->path, sizeof s->path, UNIX_PREFIX "%s", name);
        snprintf(s->connect_host, sizeof s->connect_host, "%s", name);
        snprintf(s->where, sizeof s->where, "%s", s->path);
        return GN_OK;
    }
    if (strncmp(r, "inet:", 5) != 0)
        return gn_error_set(err, GN_EINVAL, "engine spec '%s': %s", spec, usage);
    s->inet = 1;
    const char *rest = r + 5, *colon = strrchr(rest, ':');
    const char *port = colon ? colon + 1 : rest;
    size_t hlen = colon ? (size_t)(colon - rest) : 0;
    char *end;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (!*port || *end || errno || p < 1 || p > 65535)
        return gn_error_set(err, GN_EINVAL, "engine spec '%s': PORT must be an integer from 1 "
                            "to 65535 (LAMMPS fix ipi wants more than 1024)", spec);
    s->port = (int)p;
    if (hlen >= sizeof s->host)
        return gn_error_set(err, GN_EINVAL, "engine spec '%s': host name too long", spec);
    memcpy(s->host, rest, hlen);
    s->host[hlen] = '\0';
    if (!s->host[0])
        snprintf(s->host, sizeof s->host, "127.0.0.1");
    int wild = !strcmp(s->host, "*") || !strcmp(s->host, "0.0.0.0");
    if (wild)
        s->host[0] = '\0';
    snprintf(s->connect_host, sizeof s->connect_host, "%s", wild ? "127.0.0.1" : s->host);
    snprintf(s->where, sizeof s->where, "%s:%d", wild ? "0.0.0.0" : s->host, s->port);
    return GN_OK;
}

int gn_ipi_listen_unix(ipi_server *s, gn_error *err)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
    for (int attempt = 0; attempt < 2; attempt++) {
        s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (s->lfd < 0)
            return gn_error_set(err, GN_EIO, "socket: %s", strerror(errno));
        if (bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) == 0)
            break;
        int e = errno;
        close(s->lfd);
        s->lfd = -1;
        struct stat st;
        if (e != EADDRINUSE || attempt > 0)
            return gn_error_set(err, GN_EIO, "cannot create the socket %s: %s", s->path,
                                strerror(e));
        if (lstat(s->path, &st) == 0 && !S_ISSOCK(st.st_mode))
            return gn_error_set(err, GN_EIO, "%s exists and is not a socket: not touching it",
                                s->path);
        /* a socket file nobody listens on is left over from a killed run: reuse the name */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int live = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
        int refused = !live && errno == ECONNREFUSED;
        if (probe >= 0)
            close(probe);
        if (live || !refused)
            return gn_error_set(err, GN_EIO, "the socket %s is in use by another server (another "
                                "gapneb or i-PI run?): choose another NAME", s->path);
        unlink(s->path);
    }
    struct stat st;
    if (stat(s->path, &st) == 0) {
        s->sock_dev = st.st_dev;
        s->sock_ino = st.st_ino;
        s->own_file = 1;
    }
    return GN_OK;
}

int gn_ipi_listen_inet(ipi_server *s, gn_error *err)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    char port[16];
    snprintf(port, sizeof port, "%d", s->port);
    int g = getaddrinfo(s->host[0] ? s->host : NULL, port, &hints, &res);
    if (g)
        return gn_error_set(err, GN_EIO, "engine %s: host '%s': %s", s->spec, s->host,
                            gai_strerror(g));
    int e = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        s->lfd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                        ai->ai_protocol);
        if (s->lfd < 0) {
            e = errno;
            continue;
        }
        int one = 1;
        setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(s->lfd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        e = errno;
        close(s->lfd);
        s->lfd = -1;
    }
    freeaddrinfo(res);
    if (s->lfd < 0)
        return gn_error_set(err, GN_EIO, "cannot listen on %s: %s", s->where, strerror(e));
    return GN_OK;
}

void gn_ipi_reap_children(ipi_server *s)
{
    for (int i = 0; i < s->nchild; i++) {
        if (s->child_done[i])
            continue;
        int st;
        pid_t r = waitpid(s->child[i], &st, WNOHANG);
        if (r != s->child[i])
            continue;
        s->child_done[i] = 1;
        s->child_alive--;
        char how[64];
        if (WIFEXITED(st))
            snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            snprintf(how, sizeof how, "was killed by signal %d", WTERMSIG(st));
        else
            snprintf(how, sizeof how, "ended");
        if (!s->child_exit[0])
            snprintf(s->child_exit, sizeof s->child_exit, "client process %d (pid %ld) %s",
                     i + 1, (long)s->child[i], how);
        gn_ipi_log(s, "client process %d (pid %ld) %s", i + 1, (long)s->child[i], how);
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int env_add(char **env, size_t *k, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    env[*k] = strdup(buf);
    return env[(*k)++] ? 0 : -1;
}

int gn_ipi_spawn_clients(ipi_server *s, gn_error *err)
{
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **env = calloc(nenv + 8, sizeof *env);
    s->child = calloc((size_t)s->o.count, sizeof *s->child);
    s->child_done = calloc((size_t)s->o.count, sizeof *s->child_done);
    if (!env || !s->child || !s->child_done) {
        free(env);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++)
        if (strncmp(environ[i], "GAPNEB_IPI_", 11) != 0 &&
            strncmp(environ[i], "GAPNEB_ENGINE_INDEX=", 20) != 0)
            env[k++] = environ[i];
    size_t base = k;
    int bad = env_add(env, &k, "GAPNEB_IPI_MODE=%s", s->inet ? "inet" : "unix") ||
              env_add(env, &k, "GAPNEB_IPI_ADDRESS=%s", s->connect_host) ||
              env_add(env, &k, "GAPNEB_IPI_PORT=%d", s->inet ? s->port : 31415) ||
              env_add(env, &k, "GAPNEB_IPI_SOCKET=%s", s->inet ? "" : s->path);
    size_t idx = k++;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int rc = GN_OK;
    if (bad || posix_spawn_file_actions_init(&fa)) {
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
        goto out;
    }
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGHUP);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dflt);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    for (int i = 0; i < s->o.count && rc == GN_OK; i++) {
        char var[64];
        snprintf(var, sizeof var, "GAPNEB_ENGINE_INDEX=%d", i + 1);
        env[idx] = var;
        char *argv[] = {"sh", "-c", s->command, NULL};
        int e = posix_spawn(&s->child[i], "/bin/sh", &fa, &at, argv, env);
        if (e) {
            rc = gn_error_set(err, GN_EIO, "could not start engine client %d (/bin/sh -c '%s'): "
                              "%s", i + 1, s->command, strerror(e));
            break;
        }
        s->nchild++;
        s->child_alive++;
        gn_ipi_log(s, "started client process %d (pid %ld): %s", i + 1, (long)s->child[i],
             s->command);
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
out:
    for (size_t i = base; i < k; i++)
        if (i != idx)
            free(env[i]);
    free(env);
    return rc;
}

/* Started clients normally leave on EXIT; those still there after a grace period are
 * terminated (their whole process group: sh and what it started). */
void gn_ipi_end_children(ipi_server *s)
{
    double t0 = gn_ipi_now();
    int term = 0;
    while (s->child_alive > 0) {
        gn_ipi_reap_children(s);
        if (s->child_alive == 0)
            break;
        double t = gn_ipi_now() - t0;
        if ((!term && t > CHILD_GRACE) || (term == 1 && t > CHILD_GRACE + 2.0)) {
            for (int i = 0; i < s->nchild; i++)
                if (!s->child_done[i])
                    kill(-s->child[i], term ? SIGKILL : SIGTERM);
            term++;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}
