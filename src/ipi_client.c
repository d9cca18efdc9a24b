/* gapneb: one i-PI client's exchange, run by the server thread: accepting it, asking its status,
 * positions out in the engine box, forces in and checked, and what happens when it breaks the
 * protocol or goes away. See src/ipi_internal.h. */
#define _GNU_SOURCE /* accept4, SO_PEERCRED */
#include "ipi_internal.h"
#include "gapneb/units.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gn_ipi_drop_client(ipi_server *s, ipi_client *c, const char *why)
{
    char name[160];
    gn_ipi_client_name(c, name, sizeof name);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->state = CL_GONE;
    double t = gn_ipi_now();
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
            gn_ipi_fail_locked(s, GN_EIO, msg);
            gn_error e;
            gn_ipi_end_error(s, &e);
            gn_ipi_complete_locked(s, j, e.code, &e);
            pthread_cond_broadcast(&s->cv);
        } else {
            gn_ipi_push_front_locked(s, j, t);
            s->resent++;
            resent = 1;
        }
    }
    pthread_mutex_unlock(&s->mu);
    gn_ipi_log(s, "%s %s%s", name, why, resent ? "; its structure goes to another client" : "");
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

void gn_ipi_accept_clients(ipi_server *s)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                gn_ipi_fail(s, GN_EIO, "accepting a client on %s failed: %s", s->where,
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
            gn_ipi_fail(s, GN_ENOMEM, "out of memory for a client");
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
                gn_ipi_fail(s, GN_ENOMEM, "out of memory for a client");
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
        gn_ipi_log(s, "%s connected to %s", gn_ipi_client_name(c, name, sizeof name), s->where);
        gn_ipi_ask_status(s, c);
    }
}

/* The box of a structure: the first remembered box of the same model (atom count and cell) that
 * it still fits with a quarter of the vacuum to spare, else a new one. */
int gn_ipi_find_box(ipi_server *s, const gn_atoms *a, gn_engine_box *out, gn_error *err)
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
    gn_ipi_log(s, "engine box for %zu atoms: %.4f x %.4f x %.4f Å (vectors' lengths), %g Å of vacuum "
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

/* Drops the client or ends the service after an I/O problem in the middle of an exchange. */
void gn_ipi_io_trouble(ipi_server *s, ipi_client *c, int r, const char *what)
{
    char name[160];
    gn_ipi_client_name(c, name, sizeof name);
    if (r == IO_CLOSED || r == IO_ERROR) {
        char why[200];
        snprintf(why, sizeof why, "disconnected (%s)", what);
        gn_ipi_drop_client(s, c, why);
    } else {
        gn_ipi_fail(s, GN_EIO, "%s: incomplete message (%s): nothing more within %g s", name, what,
             s->msg_timeout);
    }
}

static void bad_message(ipi_server *s, ipi_client *c, const unsigned char *h, const char *want)
{
    char name[160], shown[64];
    gn_ipi_fail(s, GN_EIO, "%s sent '%s' where %s was expected (malformed or out-of-turn message)",
         gn_ipi_client_name(c, name, sizeof name), gn_ipi_hdr_show(h, shown), want);
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
            gn_ipi_put_f64(p + 8 * (3 * r + k), H[r][k]);
            gn_ipi_put_f64(p + 72 + 8 * (3 * r + k), inv[r][k]);
        }
}

/* POSDATA of the client's job, then STATUS: the answer comes once the client has the forces. */
void gn_ipi_send_positions(ipi_server *s, ipi_client *c)
{
    const gn_atoms *a = c->job->a;
    size_t n = a->n;
    if (client_room(c, n)) {
        gn_ipi_fail(s, GN_ENOMEM, "out of memory for %zu atoms", n);
        return;
    }
    unsigned char *p = c->buf;
    gn_ipi_put_hdr(p, "POSDATA");
    cell_words(&c->box, p + HDR);
    gn_ipi_put_i32(p + HDR + 144, (int32_t)n);
    gn_engine_box_positions(&c->box, a->pos, n, c->pos);
    unsigned char *q = p + HDR + 148;
    for (size_t i = 0; i < 3 * n; i++)
        gn_ipi_put_f64(q + 8 * i, c->pos[i] / GN_BOHR_A);
    gn_ipi_put_hdr(q + 24 * n, "STATUS");
    double t = gn_ipi_now();
    int r = gn_ipi_send_all(c->fd, p, 2 * HDR + 148 + 24 * n, t + s->msg_timeout);
    if (r) {
        gn_ipi_io_trouble(s, c, r, "sending positions");
        return;
    }
    c->state = CL_BUSY;
    c->t_sent = t;
    c->deadline = t + s->o.timeout;
}

static void send_init(ipi_server *s, ipi_client *c)
{
    unsigned char p[2 * HDR + 9];
    gn_ipi_put_hdr(p, "INIT");
    gn_ipi_put_i32(p + HDR, 0);
    gn_ipi_put_i32(p + HDR + 4, 1);
    p[HDR + 8] = 0;
    gn_ipi_put_hdr(p + HDR + 9, "STATUS");
    int r = gn_ipi_send_all(c->fd, p, sizeof p, gn_ipi_now() + s->msg_timeout);
    if (r)
        gn_ipi_io_trouble(s, c, r, "sending INIT");
}

/* GETFORCE and its answer; checks the answer before anything reaches the caller. */
static void collect_forces(ipi_server *s, ipi_client *c)
{
    char name[160];
    gn_ipi_client_name(c, name, sizeof name);
    size_t n = c->job->a->n;
    double dl = gn_ipi_now() + s->msg_timeout;
    int r = gn_ipi_send_word(c->fd, "GETFORCE", dl);
    unsigned char h[HDR], e8[12];
    if (!r)
        r = gn_ipi_recv_all(c->fd, h, HDR, dl);
    if (r) {
        gn_ipi_io_trouble(s, c, r, "GETFORCE");
        return;
    }
    if (!gn_ipi_hdr_is(h, "FORCEREADY")) {
        bad_message(s, c, h, "FORCEREADY");
        return;
    }
    if ((r = gn_ipi_recv_all(c->fd, e8, 12, dl))) {
        gn_ipi_io_trouble(s, c, r, "energy");
        return;
    }
    double e = gn_ipi_get_f64(e8);
    int32_t nat = gn_ipi_get_i32(e8 + 8);
    if (nat < 0 || (size_t)nat != n) {
        gn_ipi_fail(s, GN_EIO, "%s returned %ld forces for a structure of %zu atoms (wrong atom count: "
             "is it set up for another model?)", name, (long)nat, n);
        return;
    }
    unsigned char *q = c->buf; /* room for 24n + 76 bytes: see client_room */
    if ((r = gn_ipi_recv_all(c->fd, q, 24 * n + 76, dl))) {
        gn_ipi_io_trouble(s, c, r, "forces");
        return;
    }
    int32_t more = gn_ipi_get_i32(q + 24 * n + 72);
    if (more < 0 || more > EXTRA_MAX) {
        gn_ipi_fail(s, GN_EIO, "%s announced %ld bytes of extra data (malformed message)", name,
             (long)more);
        return;
    }
    if (more > 0 && (r = gn_ipi_skip_bytes(c->fd, (size_t)more, dl))) {
        gn_ipi_io_trouble(s, c, r, "extra data");
        return;
    }
    if (!isfinite(e)) {
        gn_ipi_fail(s, GN_EIO, "%s returned a non-finite energy (%g Hartree)", name, e);
        return;
    }
    for (size_t i = 0; i < 3 * n; i++) {
        c->pos[i] = gn_ipi_get_f64(q + 8 * i) * (GN_HARTREE_EV / GN_BOHR_A);
        if (!isfinite(c->pos[i])) {
            gn_ipi_fail(s, GN_EIO, "%s returned a non-finite force on atom %zu", name, i / 3 + 1);
            return;
        }
    }
    gn_engine_box_forces_back(&c->box, c->pos, n);
    double t = gn_ipi_now();
    pthread_mutex_lock(&s->mu);
    ipi_job *j = c->job;
    *j->energy = e * GN_HARTREE_EV;
    if (j->forces)
        memcpy(j->forces, c->pos, 3 * n * sizeof *c->pos);
    c->st.evals++;
    c->st.busy_s += t - c->t_sent;
    s->evals++;
    c->job = NULL;
    gn_ipi_complete_locked(s, j, GN_OK, NULL);
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    gn_ipi_ask_status(s, c);
}

/* A header arrived from a client: the next step of its exchange. */
void gn_ipi_client_input(ipi_server *s, ipi_client *c)
{
    unsigned char h[HDR];
    int r = gn_ipi_recv_all(c->fd, h, HDR, gn_ipi_now() + s->msg_timeout);
    if (r) {
        if (r == IO_CLOSED || r == IO_ERROR)
            gn_ipi_drop_client(s, c, "disconnected");
        else
            gn_ipi_io_trouble(s, c, r, "a message header");
        return;
    }
    switch (c->state) {
    case CL_ASKED:
        if (gn_ipi_hdr_is(h, "READY")) {
            c->state = CL_READY;
            c->inits = 0;
        } else if (gn_ipi_hdr_is(h, "NEEDINIT")) {
            if (c->inits++ >= 2)
                bad_message(s, c, h, "READY after INIT");
            else
                send_init(s, c);
        } else {
            bad_message(s, c, h, "READY or NEEDINIT");
        }
        return;
    case CL_BUSY:
        if (gn_ipi_hdr_is(h, "HAVEDATA"))
            collect_forces(s, c);
        else
            bad_message(s, c, h, "HAVEDATA");
        return;
    default:
        bad_message(s, c, h, "nothing (the client was not asked)");
        return;
    }
}

/* STATUS to a client without a structure; the answer (READY, or NEEDINIT and INIT first) makes
 * it ready for the next one. */
void gn_ipi_ask_status(ipi_server *s, ipi_client *c)
{
    double t = gn_ipi_now();
    int r = gn_ipi_send_word(c->fd, "STATUS", t + s->msg_timeout);
    if (r) {
        gn_ipi_io_trouble(s, c, r, "STATUS");
        return;
    }
    c->state = CL_ASKED;
    c->deadline = t + s->o.timeout;
}
