/* gapneb: i-PI socket server, a potential served by external force engines (see
 * include/gapneb/ipi.h). Lengths Å and energies eV on this side; Bohr and Hartree on the wire.
 *
 * One server thread owns every socket: it accepts clients, hands queued structures to idle
 * clients and collects their answers, all with poll() and deadlines, so no call waits without a
 * bound. Evaluating threads only queue structures and wait on a condition variable. The mutex
 * guards the queue, the counters and the client list; socket I/O happens outside it.
 */
#define _GNU_SOURCE /* accept4, pipe2, SO_PEERCRED */
#include "gapneb/ipi.h"
#include "gapneb/element.h"
#include "gapneb/engine_box.h"
#include "gapneb/units.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define HDR 12              /* header length, bytes */
#define MSG_TIMEOUT_MAX 10.0 /* s: a message once begun arrives whole within this */
#define MAX_DROPS 3         /* clients that may drop one structure before the run ends */
#define EXTRA_MAX (1 << 24) /* bytes of FORCEREADY extra text accepted */
#define BOX_CACHE 64        /* engine boxes remembered (one per model in a run, normally) */
#define UNIX_PREFIX "/tmp/ipi_"
#define CHILD_GRACE 5.0     /* s for started clients to leave after EXIT before SIGTERM */

/* ---- jobs and clients -------------------------------------------------------------------- */

typedef struct ipi_batch {
    size_t left;
    int rc;
    gn_error err;
} ipi_batch;

typedef struct ipi_job {
    const gn_atoms *a;
    double *energy, *forces;
    ipi_batch *batch;
    size_t index, count; /* position in its batch, for messages */
    int drops;
    double t_queued;
    struct ipi_job *next;
} ipi_job;

/* A client is asked for its status as soon as it connects and again as soon as it has returned
 * forces (as i-PI does), so that a structure goes out with one round trip less: ASKED (STATUS
 * sent, no structure), READY (waiting for a structure), BUSY (positions and STATUS sent). */
enum cl_state { CL_ASKED, CL_READY, CL_BUSY, CL_GONE };

typedef struct ipi_client {
    int fd;
    gn_ipi_client_stats st;
    enum cl_state state;
    ipi_job *job;
    gn_engine_box box; /* of the current job */
    int inits;
    double t_sent, deadline;
    unsigned char *buf;
    double *pos;
    size_t cap; /* atoms buf and pos hold */
} ipi_client;

typedef struct box_entry {
    size_t n;
    gn_cell cell;
    gn_engine_box box;
} box_entry;

typedef struct ipi_server {
    char spec[256];
    gn_ipi_opts o;
    char *command;
    double msg_timeout;
    int inet, port;
    char host[256];         /* inet: address bound ("" = every interface) */
    char connect_host[256]; /* what a local client connects to: the host, or the UNIX NAME */
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char where[300];        /* "/tmp/ipi_x" or "127.0.0.1:31415", for messages */
    int lfd, wake[2];
    dev_t sock_dev;
    ino_t sock_ino;
    int own_file;
    pthread_t th;
    int th_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int mu_ok, cv_ok;
    /* guarded by mu */
    ipi_job *head, *tail;
    size_t queued, outstanding;
    int failed, stopping;
    gn_error fail;
    char stop_reason[256];
    ipi_client **cl;
    size_t ncl, capcl, nconn;
    unsigned long evals, resent;
    double wait_s, wait_since, queue_s, t_noclient;
    /* server thread only */
    pid_t *child;
    int *child_done;
    int nchild, child_alive;
    char child_exit[160];
    box_entry *boxes;
    size_t nbox;
} ipi_server;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void slog(const ipi_server *s, const char *fmt, ...)
{
    if (!s->o.log)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->o.log(s->o.log_ctx, line);
}

static void wake(ipi_server *s)
{
    ssize_t w;
    do
        w = write(s->wake[1], "x", 1);
    while (w < 0 && errno == EINTR); /* a full pipe (EAGAIN) wakes the server just as well */
}

/* ---- bytes on the wire: little-endian int32 and float64 whatever the host ----------------- */

static void put_u64(unsigned char *p, uint64_t u)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static void put_f64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u64(p, u);
}

static void put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static double get_f64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

static int32_t get_i32(const unsigned char *p)
{
    uint32_t u = 0;
    for (int i = 0; i < 4; i++)
        u |= (uint32_t)p[i] << (8 * i);
    return (int32_t)u;
}

static void put_hdr(unsigned char *p, const char *word)
{
    memset(p, ' ', HDR);
    memcpy(p, word, strlen(word));
}

/* 1 if h is word padded with spaces (or NULs, which some C clients leave). */
static int hdr_is(const unsigned char *h, const char *word)
{
    size_t n = strlen(word);
    if (memcmp(h, word, n) != 0)
        return 0;
    for (size_t i = n; i < HDR; i++)
        if (h[i] != ' ' && h[i] != '\0')
            return 0;
    return 1;
}

/* A header as text for messages, control bytes escaped. */
static const char *hdr_show(const unsigned char *h, char out[64])
{
    size_t k = 0;
    size_t end = HDR;
    while (end > 0 && (h[end - 1] == ' ' || h[end - 1] == '\0'))
        end--;
    for (size_t i = 0; i < end; i++) {
        if (h[i] >= 32 && h[i] < 127 && h[i] != '\\')
            out[k++] = (char)h[i];
        else
            k += (size_t)snprintf(out + k, 8, "\\x%02x", h[i]);
    }
    out[k] = '\0';
    return out;
}

/* ---- socket I/O with deadlines (non-blocking sockets) ------------------------------------ */

enum { IO_OK = 0, IO_CLOSED = 1, IO_TIMEOUT = 2, IO_ERROR = 3 };

static int io_wait(int fd, short ev, double deadline)
{
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0.0)
            return IO_TIMEOUT;
        struct pollfd p = {fd, ev, 0};
        int r = poll(&p, 1, (int)fmin(ceil(left * 1000.0), 1e9));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return IO_ERROR;
        if (r == 0)
            return IO_TIMEOUT;
        return IO_OK;
    }
}

static int send_all(int fd, const void *buf, size_t len, double deadline)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            len -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = io_wait(fd, POLLOUT, deadline);
            if (r)
                return r;
            continue;
        }
        return (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) ? IO_CLOSED
                                                                             : IO_ERROR;
    }
    return IO_OK;
}

static int recv_all(int fd, void *buf, size_t len, double deadline)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t r = recv(fd, p, len, 0);
        if (r > 0) {
            p += r;
            len -= (size_t)r;
            continue;
        }
        if (r == 0)
            return IO_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int w = io_wait(fd, POLLIN, deadline);
            if (w)
                return w;
            continue;
        }
        return errno == ECONNRESET ? IO_CLOSED : IO_ERROR;
    }
    return IO_OK;
}

/* ---- the end of the service ------------------------------------------------------------- */

/* Records the first fatal problem (mu held). */
static void fail_locked(ipi_server *s, int code, const char *msg)
{
    if (s->failed || s->stopping)
        return;
    s->failed = 1;
    gn_error_set(&s->fail, code, "i-PI engine %s: %s", s->spec, msg);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail(ipi_server *s, int code, const char *fmt, ...)
{
    char msg[GN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->mu);
    fail_locked(s, code, msg);
    pthread_mutex_unlock(&s->mu);
}

/* Why evaluations fail now (mu held). */
static void end_error(const ipi_server *s, gn_error *e)
{
    if (s->failed)
        *e = s->fail;
    else
        gn_error_set(e, GN_EIO, "i-PI engine %s: stopped (%s)", s->spec,
                     s->stop_reason[0] ? s->stop_reason : "shut down");
}

/* Marks one job finished (mu held); the caller broadcasts. */
static void complete_locked(ipi_server *s, ipi_job *j, int rc, const gn_error *e)
{
    ipi_batch *b = j->batch;
    if (rc && !b->rc) {
        b->rc = rc;
        b->err = *e;
        if (j->count > 1)
            gn_error_prefix(&b->err, "structure %zu of %zu: ", j->index, j->count);
    }
    b->left--;
    s->outstanding--;
    if (s->outstanding == 0)
        s->wait_s += now_s() - s->wait_since;
}

static const char *client_name(const ipi_client *c, char *buf, size_t size)
{
    snprintf(buf, size, "client %d (%s)", c->st.id, c->st.peer);
    return buf;
}

/* ---- the queue ---------------------------------------------------------------------------- */

static ipi_job *pop_locked(ipi_server *s, double t)
{
    ipi_job *j = s->head;
    if (!j)
        return NULL;
    s->head = j->next;
    if (!s->head)
        s->tail = NULL;
    j->next = NULL;
    s->queued--;
    s->queue_s += t - j->t_queued;
    return j;
}

static void push_front_locked(ipi_server *s, ipi_job *j, double t)
{
    j->next = s->head;
    s->head = j;
    if (!s->tail)
        s->tail = j;
    j->t_queued = t;
    s->queued++;
}

/* ---- clients ------------------------------------------------------------------------------- */

static void drop_client(ipi_server *s, ipi_client *c, const char *why)
{
    char name[160];
    client_name(c, name, sizeof name);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->state = CL_GONE;
    double t = now_s();
    pthread_mutex_lock(&s->mu);
    c->st.connected = 0;
    s->nconn--;
    ipi_job *j = c->job;
    c->job = NULL;
    int resent = 0;
    if (j) {
        if (++j->drops >= MAX_DROPS) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s %s; %d clients have now dropped the same structure "
                     "(%zu atoms): does it match what the clients were set up for (atom "
                     "count, species)?", name, why, j->drops, j->a->n);
            fail_locked(s, GN_EIO, msg);
            gn_error e;
            end_error(s, &e);
            complete_locked(s, j, e.code, &e);
            pthread_cond_broadcast(&s->cv);
        } else {
            push_front_locked(s, j, t);
            s->resent++;
            resent = 1;
        }
    }
    pthread_mutex_unlock(&s->mu);
    slog(s, "%s %s%s", name, why, resent ? "; its structure goes to another client" : "");
}

static int client_room(ipi_client *c, size_t n)
{
    if (n <= c->cap)
        return 0;
    size_t bytes = 2 * HDR + 148 + 24 * n;
    unsigned char *b = realloc(c->buf, bytes);
    if (!b)
        return -1;
    c->buf = b;
    double *p = realloc(c->pos, 3 * n * sizeof *p);
    if (!p)
        return -1;
    c->pos = p;
    c->cap = n;
    return 0;
}

static void peer_name(ipi_server *s, int fd, const struct sockaddr_storage *ss, ipi_client *c)
{
    if (!s->inet) {
#ifdef SO_PEERCRED
        struct ucred cr;
        socklen_t len = sizeof cr;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid > 0) {
            c->st.pid = (long)cr.pid;
            snprintf(c->st.peer, sizeof c->st.peer, "pid %ld", c->st.pid);
            return;
        }
#endif
        snprintf(c->st.peer, sizeof c->st.peer, "UNIX socket");
        return;
    }
    char addr[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
        port = ntohs(in->sin_port);
    }
    snprintf(c->st.peer, sizeof c->st.peer, "%s:%d", addr, port);
}

static void ask_status(ipi_server *s, ipi_client *c);

static void accept_clients(ipi_server *s)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fail(s, GN_EIO, "accepting a client on %s failed: %s", s->where,
                     strerror(errno));
            return;
        }
        if (s->inet) {
            int one = 1; /* small messages both ways: Nagle's delay would dominate */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        ipi_client *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            fail(s, GN_ENOMEM, "out of memory for a client");
            return;
        }
        c->fd = fd;
        c->state = CL_ASKED;
        peer_name(s, fd, &ss, c);
        pthread_mutex_lock(&s->mu);
        if (s->ncl == s->capcl) {
            size_t nc = s->capcl ? 2 * s->capcl : 8;
            ipi_client **v = realloc(s->cl, nc * sizeof *v);
            if (!v) {
                pthread_mutex_unlock(&s->mu);
                close(fd);
                free(c);
                fail(s, GN_ENOMEM, "out of memory for a client");
                return;
            }
            s->cl = v;
            s->capcl = nc;
        }
        c->st.id = (int)s->ncl + 1;
        c->st.connected = 1;
        s->cl[s->ncl++] = c;
        s->nconn++;
        pthread_mutex_unlock(&s->mu);
        char name[160];
        slog(s, "%s connected to %s", client_name(c, name, sizeof name), s->where);
        ask_status(s, c);
    }
}

/* ---- engine boxes ---------------------------------------------------------------------- */

/* The box of a structure: the first remembered box of the same model (atom count and cell) that
 * it still fits with a quarter of the vacuum to spare, else a new one. */
static int find_box(ipi_server *s, const gn_atoms *a, gn_engine_box *out, gn_error *err)
{
    double margin = 0.25 * s->o.vacuum;
    for (size_t i = 0; i < s->nbox; i++) {
        box_entry *e = &s->boxes[i];
        if (e->n == a->n && gn_cell_equal(&e->cell, &a->cell, 1e-9) &&
            gn_engine_box_fits(&e->box, a->pos, a->n, margin)) {
            *out = e->box;
            return GN_OK;
        }
    }
    int rc = gn_engine_box_init(out, a, NULL, s->o.vacuum, err);
    if (rc)
        return rc;
    slog(s, "engine box for %zu atoms: %.4f x %.4f x %.4f Å (vectors' lengths), %g Å of vacuum "
         "along free directions", a->n, out->len[0], out->len[1], out->len[2], s->o.vacuum);
    if (s->nbox < BOX_CACHE) {
        if (!s->boxes) {
            s->boxes = calloc(BOX_CACHE, sizeof *s->boxes);
            if (!s->boxes)
                return GN_OK; /* not remembering it only costs a new box next time */
        }
        box_entry *e = &s->boxes[s->nbox++];
        e->n = a->n;
        e->cell = a->cell;
        e->box = *out;
    }
    return GN_OK;
}

/* ---- the protocol, one client ---------------------------------------------------------- */

static int send_word(ipi_client *c, const char *word, double deadline)
{
    unsigned char h[HDR];
    put_hdr(h, word);
    return send_all(c->fd, h, HDR, deadline);
}

/* Drops the client or ends the service after an I/O problem in the middle of an exchange. */
static void io_trouble(ipi_server *s, ipi_client *c, int r, const char *what)
{
    char name[160];
    client_name(c, name, sizeof name);
    if (r == IO_CLOSED || r == IO_ERROR) {
        char why[200];
        snprintf(why, sizeof why, "disconnected (%s)", what);
        drop_client(s, c, why);
    } else {
        fail(s, GN_EIO, "%s: incomplete message (%s): nothing more within %g s", name, what,
             s->msg_timeout);
    }
}

static void bad_message(ipi_server *s, ipi_client *c, const unsigned char *h, const char *want)
{
    char name[160], shown[64];
    fail(s, GN_EIO, "%s sent '%s' where %s was expected (malformed or out-of-turn message)",
         client_name(c, name, sizeof name), hdr_show(h, shown), want);
}

/* H (cell vectors as columns, Bohr) and its inverse, row by row. */
static void cell_words(const gn_engine_box *b, unsigned char *p)
{
    double H[3][3], det, inv[3][3];
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            H[r][k] = b->box[k][r] / GN_BOHR_A;
    det = H[0][0] * (H[1][1] * H[2][2] - H[1][2] * H[2][1]) -
          H[0][1] * (H[1][0] * H[2][2] - H[1][2] * H[2][0]) +
          H[0][2] * (H[1][0] * H[2][1] - H[1][1] * H[2][0]);
    inv[0][0] = (H[1][1] * H[2][2] - H[1][2] * H[2][1]) / det;
    inv[0][1] = (H[0][2] * H[2][1] - H[0][1] * H[2][2]) / det;
    inv[0][2] = (H[0][1] * H[1][2] - H[0][2] * H[1][1]) / det;
    inv[1][0] = (H[1][2] * H[2][0] - H[1][0] * H[2][2]) / det;
    inv[1][1] = (H[0][0] * H[2][2] - H[0][2] * H[2][0]) / det;
    inv[1][2] = (H[0][2] * H[1][0] - H[0][0] * H[1][2]) / det;
    inv[2][0] = (H[1][0] * H[2][1] - H[1][1] * H[2][0]) / det;
    inv[2][1] = (H[0][1] * H[2][0] - H[0][0] * H[2][1]) / det;
    inv[2][2] = (H[0][0] * H[1][1] - H[0][1] * H[1][0]) / det;
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++) {
            put_f64(p + 8 * (3 * r + k), H[r][k]);
            put_f64(p + 72 + 8 * (3 * r + k), inv[r][k]);
        }
}

/* POSDATA of the client's job, then STATUS: the answer comes once the client has the forces. */
static void send_positions(ipi_server *s, ipi_client *c)
{
    const gn_atoms *a = c->job->a;
    size_t n = a->n;
    if (client_room(c, n)) {
        fail(s, GN_ENOMEM, "out of memory for %zu atoms", n);
        return;
    }
    unsigned char *p = c->buf;
    put_hdr(p, "POSDATA");
    cell_words(&c->box, p + HDR);
    put_i32(p + HDR + 144, (int32_t)n);
    gn_engine_box_positions(&c->box, a->pos, n, c->pos);
    unsigned char *q = p + HDR + 148;
    for (size_t i = 0; i < 3 * n; i++)
        put_f64(q + 8 * i, c->pos[i] / GN_BOHR_A);
    put_hdr(q + 24 * n, "STATUS");
    double t = now_s();
    int r = send_all(c->fd, p, 2 * HDR + 148 + 24 * n, t + s->msg_timeout);
    if (r) {
        io_trouble(s, c, r, "sending positions");
        return;
    }
    c->state = CL_BUSY;
    c->t_sent = t;
    c->deadline = t + s->o.timeout;
}

static void send_init(ipi_server *s, ipi_client *c)
{
    unsigned char p[2 * HDR + 9];
    put_hdr(p, "INIT");
    put_i32(p + HDR, 0);
    put_i32(p + HDR + 4, 1);
    p[HDR + 8] = 0;
    put_hdr(p + HDR + 9, "STATUS");
    int r = send_all(c->fd, p, sizeof p, now_s() + s->msg_timeout);
    if (r)
        io_trouble(s, c, r, "sending INIT");
}

/* Reads and discards n bytes. */
static int skip_bytes(int fd, size_t n, double deadline)
{
    unsigned char junk[4096];
    while (n > 0) {
        size_t k = n < sizeof junk ? n : sizeof junk;
        int r = recv_all(fd, junk, k, deadline);
        if (r)
            return r;
        n -= k;
    }
    return IO_OK;
}

/* GETFORCE and its answer; checks the answer before anything reaches the caller. */
static void collect_forces(ipi_server *s, ipi_client *c)
{
    char name[160];
    client_name(c, name, sizeof name);
    size_t n = c->job->a->n;
    double dl = now_s() + s->msg_timeout;
    int r = send_word(c, "GETFORCE", dl);
    unsigned char h[HDR], e8[12];
    if (!r)
        r = recv_all(c->fd, h, HDR, dl);
    if (r) {
        io_trouble(s, c, r, "GETFORCE");
        return;
    }
    if (!hdr_is(h, "FORCEREADY")) {
        bad_message(s, c, h, "FORCEREADY");
        return;
    }
    if ((r = recv_all(c->fd, e8, 12, dl))) {
        io_trouble(s, c, r, "energy");
        return;
    }
    double e = get_f64(e8);
    int32_t nat = get_i32(e8 + 8);
    if (nat < 0 || (size_t)nat != n) {
        fail(s, GN_EIO, "%s returned %ld forces for a structure of %zu atoms (wrong atom count: "
             "is it set up for another model?)", name, (long)nat, n);
        return;
    }
    unsigned char *q = c->buf; /* room for 24n + 76 bytes: see client_room */
    if ((r = recv_all(c->fd, q, 24 * n + 76, dl))) {
        io_trouble(s, c, r, "forces");
        return;
    }
    int32_t more = get_i32(q + 24 * n + 72);
    if (more < 0 || more > EXTRA_MAX) {
        fail(s, GN_EIO, "%s announced %ld bytes of extra data (malformed message)", name,
             (long)more);
        return;
    }
    if (more > 0 && (r = skip_bytes(c->fd, (size_t)more, dl))) {
        io_trouble(s, c, r, "extra data");
        return;
    }
    if (!isfinite(e)) {
        fail(s, GN_EIO, "%s returned a non-finite energy (%g Hartree)", name, e);
        return;
    }
    for (size_t i = 0; i < 3 * n; i++) {
        c->pos[i] = get_f64(q + 8 * i) * (GN_HARTREE_EV / GN_BOHR_A);
        if (!isfinite(c->pos[i])) {
            fail(s, GN_EIO, "%s returned a non-finite force on atom %zu", name, i / 3 + 1);
            return;
        }
    }
    gn_engine_box_forces_back(&c->box, c->pos, n);
    double t = now_s();
    pthread_mutex_lock(&s->mu);
    ipi_job *j = c->job;
    *j->energy = e * GN_HARTREE_EV;
    if (j->forces)
        memcpy(j->forces, c->pos, 3 * n * sizeof *c->pos);
    c->st.evals++;
    c->st.busy_s += t - c->t_sent;
    s->evals++;
    c->job = NULL;
    complete_locked(s, j, GN_OK, NULL);
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    ask_status(s, c);
}

/* A header arrived from a client: the next step of its exchange. */
static void client_input(ipi_server *s, ipi_client *c)
{
    unsigned char h[HDR];
    int r = recv_all(c->fd, h, HDR, now_s() + s->msg_timeout);
    if (r) {
        if (r == IO_CLOSED || r == IO_ERROR)
            drop_client(s, c, "disconnected");
        else
            io_trouble(s, c, r, "a message header");
        return;
    }
    switch (c->state) {
    case CL_ASKED:
        if (hdr_is(h, "READY")) {
            c->state = CL_READY;
            c->inits = 0;
        } else if (hdr_is(h, "NEEDINIT")) {
            if (c->inits++ >= 2)
                bad_message(s, c, h, "READY after INIT");
            else
                send_init(s, c);
        } else {
            bad_message(s, c, h, "READY or NEEDINIT");
        }
        return;
    case CL_BUSY:
        if (hdr_is(h, "HAVEDATA"))
            collect_forces(s, c);
        else
            bad_message(s, c, h, "HAVEDATA");
        return;
    default:
        bad_message(s, c, h, "nothing (the client was not asked)");
        return;
    }
}

/* ---- client processes ----------------------------------------------------------------- */

static void reap_children(ipi_server *s)
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
        slog(s, "client process %d (pid %ld) %s", i + 1, (long)s->child[i], how);
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

static int spawn_clients(ipi_server *s, gn_error *err)
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
        slog(s, "started client process %d (pid %ld): %s", i + 1, (long)s->child[i],
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
static void end_children(ipi_server *s)
{
    double t0 = now_s();
    int term = 0;
    while (s->child_alive > 0) {
        reap_children(s);
        if (s->child_alive == 0)
            break;
        double t = now_s() - t0;
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

/* ---- the server thread ------------------------------------------------------------------ */

/* Hands queued structures to ready clients: positions and STATUS in one message. */
static void dispatch(ipi_server *s, double t)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->ncl && s->head; i++) {
        ipi_client *c = s->cl[i];
        if (c->state == CL_READY && !c->job)
            c->job = pop_locked(s, t);
    }
    size_t ncl = s->ncl;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < ncl; i++) {
        ipi_client *c = s->cl[i];
        if (c->state != CL_READY || !c->job)
            continue;
        gn_error e;
        if (find_box(s, c->job->a, &c->box, &e)) {
            pthread_mutex_lock(&s->mu);
            complete_locked(s, c->job, e.code, &e);
            c->job = NULL;
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
            continue;
        }
        send_positions(s, c);
    }
}

/* STATUS to a client without a structure; the answer (READY, or NEEDINIT and INIT first) makes
 * it ready for the next one. */
static void ask_status(ipi_server *s, ipi_client *c)
{
    double t = now_s();
    int r = send_word(c, "STATUS", t + s->msg_timeout);
    if (r) {
        io_trouble(s, c, r, "STATUS");
        return;
    }
    c->state = CL_ASKED;
    c->deadline = t + s->o.timeout;
}

/* Time limits: no client while work waits, started clients all gone, clients that do not
 * answer. Returns the earliest deadline still ahead. */
static double check_deadlines(ipi_server *s, double t)
{
    double next = t + 1.0; /* at least once a second: started clients may exit */
    pthread_mutex_lock(&s->mu);
    int waiting = s->queued > 0 && s->nconn == 0;
    if (!waiting)
        s->t_noclient = -1.0;
    else if (s->t_noclient < 0.0)
        s->t_noclient = t;
    double t_nc = s->t_noclient;
    size_t ncl = s->ncl;
    pthread_mutex_unlock(&s->mu);
    if (waiting && s->nchild > 0 && s->child_alive == 0) {
        fail(s, GN_EIO, "every client started with the engine command has ended and none is "
             "connected (%s; command: %s)", s->child_exit, s->command);
        return t;
    }
    if (waiting && t - t_nc >= s->o.timeout) {
        fail(s, GN_EIO, "no client connected to %s within %g s while structures waited (start "
             "the clients, or raise the engine timeout)", s->where, s->o.timeout);
        return t;
    }
    if (waiting)
        next = fmin(next, t_nc + s->o.timeout);
    for (size_t i = 0; i < ncl; i++) {
        ipi_client *c = s->cl[i];
        if (c->state != CL_ASKED && c->state != CL_BUSY)
            continue;
        if (t >= c->deadline) {
            char why[128];
            snprintf(why, sizeof why, "gave no answer within %g s: dropped", s->o.timeout);
            drop_client(s, c, why);
        } else {
            next = fmin(next, c->deadline);
        }
    }
    return next;
}

static int serve_once(ipi_server *s)
{
    double t = now_s();
    reap_children(s);
    pthread_mutex_lock(&s->mu);
    int end = s->failed || s->stopping;
    pthread_mutex_unlock(&s->mu);
    if (end)
        return 0;
    dispatch(s, t);
    double next = check_deadlines(s, now_s());
    pthread_mutex_lock(&s->mu);
    end = s->failed || s->stopping;
    size_t ncl = s->ncl;
    pthread_mutex_unlock(&s->mu);
    if (end)
        return 0;
    struct pollfd *pf = malloc((ncl + 2) * sizeof *pf);
    ipi_client **who = malloc((ncl + 1) * sizeof *who);
    if (!pf || !who) {
        free(pf);
        free(who);
        fail(s, GN_ENOMEM, "out of memory");
        return 0;
    }
    size_t np = 0;
    pf[np++] = (struct pollfd){s->wake[0], POLLIN, 0};
    pf[np++] = (struct pollfd){s->lfd, POLLIN, 0};
    for (size_t i = 0; i < ncl; i++)
        if (s->cl[i]->fd >= 0) {
            who[np - 2] = s->cl[i];
            pf[np++] = (struct pollfd){s->cl[i]->fd, POLLIN, 0};
        }
    int ms = (int)fmax(0.0, ceil((next - now_s()) * 1000.0));
    int r = poll(pf, np, ms);
    if (r > 0) {
        if (pf[0].revents) {
            char junk[64];
            while (read(s->wake[0], junk, sizeof junk) > 0)
                ;
        }
        for (size_t i = 2; i < np; i++)
            if (pf[i].revents && who[i - 2]->fd >= 0)
                client_input(s, who[i - 2]);
        if (pf[1].revents)
            accept_clients(s);
    }
    free(pf);
    free(who);
    return 1;
}

/* The service ends: the socket file goes, clients get EXIT and are closed, then every job left
 * fails (so a caller that sees its evaluation fail finds everything cleaned up). */
static void close_service(ipi_server *s)
{
    if (s->lfd >= 0)
        close(s->lfd);
    s->lfd = -1;
    struct stat st;
    if (s->own_file && lstat(s->path, &st) == 0 && st.st_dev == s->sock_dev &&
        st.st_ino == s->sock_ino)
        unlink(s->path);
    s->own_file = 0;
    pthread_mutex_lock(&s->mu);
    size_t ncl = s->ncl;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < ncl; i++) {
        ipi_client *c = s->cl[i];
        if (c->fd < 0)
            continue;
        send_word(c, "EXIT", now_s() + 1.0);
        close(c->fd);
        c->fd = -1;
        c->state = CL_GONE;
        pthread_mutex_lock(&s->mu);
        c->st.connected = 0;
        s->nconn--;
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_lock(&s->mu);
    if (!s->failed && !s->stopping)
        s->stopping = 1;
    gn_error e;
    end_error(s, &e);
    ipi_job *j;
    while ((j = pop_locked(s, now_s())))
        complete_locked(s, j, e.code, &e);
    for (size_t i = 0; i < s->ncl; i++)
        if (s->cl[i]->job) {
            complete_locked(s, s->cl[i]->job, e.code, &e);
            s->cl[i]->job = NULL;
        }
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static void *server_main(void *arg)
{
    ipi_server *s = arg;
    while (serve_once(s))
        ;
    close_service(s);
    return NULL;
}

/* ---- evaluations (any thread) ---------------------------------------------------------- */

static int ipi_batch_compute(const void *self, size_t k, const gn_atoms *const *a,
                             double *energy, double *const *forces, gn_error *err)
{
    ipi_server *s = (ipi_server *)self;
    if (k == 0)
        return GN_OK;
    for (size_t i = 0; i < k; i++)
        if (a[i]->n == 0 || a[i]->n > 100000000)
            return gn_error_set(err, GN_EINVAL, "i-PI engine %s: a structure of %zu atoms",
                                s->spec, a[i]->n);
    ipi_job *jobs = calloc(k, sizeof *jobs);
    if (!jobs)
        return gn_error_set(err, GN_ENOMEM, "out of memory for %zu structures", k);
    ipi_batch b = {.left = k, .rc = GN_OK};
    pthread_mutex_lock(&s->mu);
    if (s->failed || s->stopping) {
        gn_error e;
        end_error(s, &e);
        pthread_mutex_unlock(&s->mu);
        free(jobs);
        if (err)
            *err = e;
        return e.code;
    }
    double t = now_s();
    for (size_t i = 0; i < k; i++) {
        jobs[i] = (ipi_job){.a = a[i], .energy = &energy[i], .forces = forces ? forces[i] : NULL,
                            .batch = &b, .index = i, .count = k, .t_queued = t};
        if (s->tail)
            s->tail->next = &jobs[i];
        else
            s->head = &jobs[i];
        s->tail = &jobs[i];
    }
    s->queued += k;
    if (s->outstanding == 0)
        s->wait_since = t;
    s->outstanding += k;
    pthread_mutex_unlock(&s->mu);
    wake(s);
    pthread_mutex_lock(&s->mu);
    while (b.left > 0)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    free(jobs);
    if (b.rc && err)
        *err = b.err;
    return b.rc;
}

static int ipi_compute(const void *self, const gn_atoms *a, const struct gn_nlist *nl,
                       double *energy, double *forces, double *peratom, gn_error *err)
{
    (void)nl;
    const ipi_server *s = self;
    if (peratom)
        return gn_error_set(err, GN_ENOTIMPL, "i-PI engine %s: per-atom energies are not part "
                            "of the i-PI protocol", s->spec);
    double *const f[1] = {forces};
    return ipi_batch_compute(self, 1, &a, energy, f, err);
}

static double ipi_cutoff(const void *self)
{
    (void)self;
    return 0.0;
}

static void server_free(void *self)
{
    ipi_server *s = self;
    if (!s)
        return;
    if (s->th_started) {
        pthread_mutex_lock(&s->mu);
        if (!s->failed && !s->stopping) {
            s->stopping = 1;
            snprintf(s->stop_reason, sizeof s->stop_reason, "the potential was freed");
        }
        pthread_mutex_unlock(&s->mu);
        wake(s);
        pthread_join(s->th, NULL);
    } else {
        if (s->lfd >= 0)
            close(s->lfd);
        struct stat st;
        if (s->own_file && lstat(s->path, &st) == 0 && st.st_dev == s->sock_dev &&
            st.st_ino == s->sock_ino)
            unlink(s->path);
    }
    end_children(s);
    for (size_t i = 0; i < s->ncl; i++) {
        if (s->cl[i]->fd >= 0)
            close(s->cl[i]->fd);
        free(s->cl[i]->buf);
        free(s->cl[i]->pos);
        free(s->cl[i]);
    }
    free(s->cl);
    free(s->boxes);
    free(s->child);
    free(s->child_done);
    free(s->command);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    if (s->cv_ok)
        pthread_cond_destroy(&s->cv);
    if (s->mu_ok)
        pthread_mutex_destroy(&s->mu);
    free(s);
}

static const gn_potential_ops ipi_ops = {ipi_compute, ipi_cutoff, server_free,
                                         ipi_batch_compute};

/* ---- creation ------------------------------------------------------------------------ */

static int parse_spec(ipi_server *s, const char *spec, gn_error *err)
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

static int listen_unix(ipi_server *s, gn_error *err)
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

static int listen_inet(ipi_server *s, gn_error *err)
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

void gn_ipi_opts_default(gn_ipi_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout = GN_IPI_TIMEOUT_DEFAULT;
    o->vacuum = GN_ENGINE_VACUUM_DEFAULT;
    o->count = 1;
}

int gn_ipi_opts_check(const gn_ipi_opts *o, gn_error *err)
{
    if (!(o->timeout > 0.0) || !(o->timeout <= 1e7))
        return gn_error_set(err, GN_EINVAL, "engine timeout %g s: must be in (0, 1e7]",
                            o->timeout);
    if (!(o->vacuum > 0.0) || !(o->vacuum <= 1000.0))
        return gn_error_set(err, GN_EINVAL, "engine vacuum %g Å: must be in (0, 1000]",
                            o->vacuum);
    if (o->count < 1 || o->count > 256)
        return gn_error_set(err, GN_EINVAL, "engine count %d: must be from 1 to 256", o->count);
    if (o->command && !o->command[0])
        return gn_error_set(err, GN_EINVAL, "engine command is empty");
    return GN_OK;
}

int gn_ipi_is_spec(const char *name) { return name && strncmp(name, "ipi:", 4) == 0; }

int gn_ipi_is(const gn_potential *p) { return p && p->ops == &ipi_ops; }

static int server_start(ipi_server *s, gn_error *err)
{
    int rc = s->inet ? listen_inet(s, err) : listen_unix(s, err);
    if (rc)
        return rc;
    if (listen(s->lfd, 64) < 0)
        return gn_error_set(err, GN_EIO, "cannot listen on %s: %s", s->where, strerror(errno));
    if (pipe2(s->wake, O_NONBLOCK | O_CLOEXEC) < 0)
        return gn_error_set(err, GN_EIO, "pipe: %s", strerror(errno));
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        return gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    s->mu_ok = 1;
    if (pthread_cond_init(&s->cv, NULL) != 0)
        return gn_error_set(err, GN_ENOMEM, "cannot create a condition variable");
    s->cv_ok = 1;
    if (s->command && (rc = spawn_clients(s, err)))
        return rc;
    if (pthread_create(&s->th, NULL, server_main, s) != 0)
        return gn_error_set(err, GN_ENOMEM, "cannot start the server thread");
    s->th_started = 1;
    return GN_OK;
}

int gn_ipi_potential_alloc(const char *spec, const gn_ipi_opts *opts, gn_potential **out,
                           gn_error *err)
{
    if (!out)
        return gn_error_set(err, GN_EINVAL, "gn_ipi_potential_alloc: NULL output");
    *out = NULL;
    if (!gn_ipi_is_spec(spec))
        return gn_error_set(err, GN_EINVAL, "'%s' is not an engine spec (ipi:...)",
                            spec ? spec : "");
    ipi_server *s = calloc(1, sizeof *s);
    gn_potential *p = calloc(1, sizeof *p);
    if (!s || !p) {
        free(s);
        free(p);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    s->lfd = -1;
    s->wake[0] = s->wake[1] = -1;
    s->t_noclient = -1.0;
    if (opts)
        s->o = *opts;
    else
        gn_ipi_opts_default(&s->o);
    int rc = gn_ipi_opts_check(&s->o, err);
    if (!rc && s->o.command && !(s->command = strdup(s->o.command)))
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    s->o.command = s->command;
    s->msg_timeout = fmin(s->o.timeout, MSG_TIMEOUT_MAX);
    if (!rc)
        rc = parse_spec(s, spec, err);
    if (!rc)
        rc = server_start(s, err);
    if (rc) {
        server_free(s);
        free(p);
        return rc;
    }
    p->ops = &ipi_ops;
    p->self = s;
    p->z = GN_Z_PT;
    snprintf(p->name, sizeof p->name, "%s", s->spec);
    snprintf(p->description, sizeof p->description,
             "external engine over the i-PI socket %s%s; atomic units on the wire (Bohr = %.12g "
             "Å, Hartree = %.14g eV, CODATA 2018); free directions padded with %g Å of vacuum",
             s->inet ? "TCP " : "", s->where, GN_BOHR_A, GN_HARTREE_EV, s->o.vacuum);
    *out = p;
    return GN_OK;
}

int gn_potential_alloc_engine(const char *name, const gn_ipi_opts *opts, gn_potential **out,
                              gn_error *err)
{
    if (gn_ipi_is_spec(name))
        return gn_ipi_potential_alloc(name, opts, out, err);
    if (opts && opts->command) {
        if (out)
            *out = NULL;
        return gn_error_set(err, GN_EINVAL, "an engine command needs an engine potential "
                            "(ipi:unix:NAME or ipi:inet:[HOST:]PORT), not '%s'", name);
    }
    return gn_potential_alloc(name, out, err);
}

int gn_ipi_shutdown(const gn_potential *p, const char *reason)
{
    if (!gn_ipi_is(p))
        return GN_EINVAL;
    ipi_server *s = p->self;
    pthread_mutex_lock(&s->mu);
    if (!s->failed && !s->stopping) {
        s->stopping = 1;
        snprintf(s->stop_reason, sizeof s->stop_reason, "%s", reason ? reason : "shut down");
    }
    pthread_mutex_unlock(&s->mu);
    wake(s);
    return GN_OK;
}

int gn_ipi_stats_get(const gn_potential *p, gn_ipi_stats *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!gn_ipi_is(p))
        return gn_error_set(err, GN_EINVAL, "potential %s is not an i-PI engine",
                            p ? p->name : "(none)");
    ipi_server *s = p->self;
    pthread_mutex_lock(&s->mu);
    out->client = calloc(s->ncl + 1, sizeof *out->client);
    if (!out->client) {
        pthread_mutex_unlock(&s->mu);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    out->nclients = s->ncl;
    for (size_t i = 0; i < s->ncl; i++)
        out->client[i] = s->cl[i]->st;
    out->evals = s->evals;
    out->resent = s->resent;
    out->wait_s = s->wait_s + (s->outstanding ? now_s() - s->wait_since : 0.0);
    out->queue_s = s->queue_s;
    out->started = s->nchild;
    pthread_mutex_unlock(&s->mu);
    return GN_OK;
}

void gn_ipi_stats_clear(gn_ipi_stats *s)
{
    if (!s)
        return;
    free(s->client);
    memset(s, 0, sizeof *s);
}
