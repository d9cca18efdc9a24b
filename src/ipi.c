/* gapneb: i-PI socket server, a potential served by external force engines (see
 * include/gapneb/ipi.h and src/ipi_internal.h): the server thread, evaluations, the potential.
 * Lengths Å and energies eV on this side; Bohr and Hartree on the wire.
 *
 * One server thread owns every socket: it accepts clients, hands queued structures to idle
 * clients and collects their answers, all with poll() and deadlines, so no call waits without a
 * bound. Evaluating threads only queue structures and wait on a condition variable. The mutex
 * guards the queue, the counters and the client list; socket I/O happens outside it.
 */
#define _GNU_SOURCE /* pipe2 */
#include "gapneb/ipi.h"
#include "gapneb/element.h"
#include "gapneb/engine_box.h"
#include "gapneb/units.h"
#include "ipi_internal.h"
#include "gapneb/element.h"
#include "gapneb/units.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Hands queued structures to ready clients: positions and STATUS in one message. */
static void dispatch(ipi_server *s, double t)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->ncl && s->head; i++) {
        ipi_client *c = s->cl[i];
        if (c->state == CL_READY && !c->job)
            c->job = gn_ipi_pop_locked(s, t);
    }
    size_t ncl = s->ncl;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < ncl; i++) {
        ipi_client *c = s->cl[i];
        if (c->state != CL_READY || !c->job)
            continue;
        gn_error e;
        if (gn_ipi_find_box(s, c->job->a, &c->box, &e)) {
            pthread_mutex_lock(&s->mu);
            gn_ipi_complete_locked(s, c->job, e.code, &e);
            c->job = NULL;
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
            continue;
        }
        gn_ipi_send_positions(s, c);
    }
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
        gn_ipi_fail(s, GN_EIO, "every client started with the engine command has ended and none is "
             "connected (%s; command: %s)", s->child_exit, s->command);
        return t;
    }
    if (waiting && t - t_nc >= s->o.timeout) {
        gn_ipi_fail(s, GN_EIO, "no client connected to %s within %g s while structures waited (start "
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
            gn_ipi_drop_client(s, c, why);
        } else {
            next = fmin(next, c->deadline);
        }
    }
    return next;
}

static int serve_once(ipi_server *s)
{
    double t = gn_ipi_now();
    gn_ipi_reap_children(s);
    pthread_mutex_lock(&s->mu);
    int end = s->failed || s->stopping;
    pthread_mutex_unlock(&s->mu);
    if (end)
        return 0;
    dispatch(s, t);
    double next = check_deadlines(s, gn_ipi_now());
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
        gn_ipi_fail(s, GN_ENOMEM, "out of memory");
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
    int ms = (int)fmax(0.0, ceil((next - gn_ipi_now()) * 1000.0));
    int r = poll(pf, np, ms);
    if (r > 0) {
        if (pf[0].revents) {
            char junk[64];
            while (read(s->wake[0], junk, sizeof junk) > 0)
                ;
        }
        for (size_t i = 2; i < np; i++)
            if (pf[i].revents && who[i - 2]->fd >= 0)
                gn_ipi_client_input(s, who[i - 2]);
        if (pf[1].revents)
            gn_ipi_accept_clients(s);
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
        /* a client asked for its status answers first: EXIT then finds it reading, not
         * writing into a closed socket (ASE's client dies of that) */
        unsigned char h[HDR];
        if (c->state == CL_ASKED)
            gn_ipi_recv_all(c->fd, h, HDR, gn_ipi_now() + fmin(1.0, s->msg_timeout));
        gn_ipi_send_word(c->fd, "EXIT", gn_ipi_now() + 1.0);
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
    gn_ipi_end_error(s, &e);
    ipi_job *j;
    while ((j = gn_ipi_pop_locked(s, gn_ipi_now())))
        gn_ipi_complete_locked(s, j, e.code, &e);
    for (size_t i = 0; i < s->ncl; i++)
        if (s->cl[i]->job) {
            gn_ipi_complete_locked(s, s->cl[i]->job, e.code, &e);
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
        gn_ipi_end_error(s, &e);
        pthread_mutex_unlock(&s->mu);
        free(jobs);
        if (err)
            *err = e;
        return e.code;
    }
    double t = gn_ipi_now();
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
    gn_ipi_wake(s);
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
        gn_ipi_wake(s);
        pthread_join(s->th, NULL);
    } else {
        if (s->lfd >= 0)
            close(s->lfd);
        struct stat st;
        if (s->own_file && lstat(s->path, &st) == 0 && st.st_dev == s->sock_dev &&
            st.st_ino == s->sock_ino)
            unlink(s->path);
    }
    gn_ipi_end_children(s);
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
                                         ipi_batch_compute, NULL, NULL};

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
    int rc = s->inet ? gn_ipi_listen_inet(s, err) : gn_ipi_listen_unix(s, err);
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
    if (s->command && (rc = gn_ipi_spawn_clients(s, err)))
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
        rc = gn_ipi_parse_spec(s, spec, err);
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
    gn_ipi_wake(s);
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
    out->wait_s = s->wait_s + (s->outstanding ? gn_ipi_now() - s->wait_since : 0.0);
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

void gn_ipi_report_start(const gn_potential *p, gn_ipi_log_fn log, void *ctx)
{
    if (!gn_ipi_is(p))
        return;
    const ipi_server *s = p->self;
    char line[1024];
    snprintf(line, sizeof line, "engine %s: %s%.600s, %g Å of vacuum along free directions, "
             "timeout %g s", p->name, s->command ? "starting clients: " : "waiting for clients",
             s->command ? s->command : "", s->o.vacuum, s->o.timeout);
    log(ctx, line);
}

void gn_ipi_report(const gn_potential *p, gn_ipi_log_fn log, void *ctx)
{
    gn_ipi_stats st;
    gn_error err;
    if (!gn_ipi_is(p) || gn_ipi_stats_get(p, &st, &err))
        return;
    size_t worked = 0;
    for (size_t i = 0; i < st.nclients; i++)
        worked += st.client[i].evals > 0;
    char line[1024];
    snprintf(line, sizeof line, "engine %s: %lu evaluations by %zu client%s (%lu resent); wall "
             "time waiting for results %.3f s, structures queued without a free client %.3f s "
             "in all", p->name, st.evals, worked, worked == 1 ? "" : "s", st.resent, st.wait_s,
             st.queue_s);
    log(ctx, line);
    for (size_t i = 0; i < st.nclients; i++) {
        const gn_ipi_client_stats *c = &st.client[i];
        snprintf(line, sizeof line, "engine client %d (%s): %lu evaluations, busy %.3f s%s",
                 c->id, c->peer, c->evals, c->busy_s, c->connected ? "" : ", disconnected");
        log(ctx, line);
    }
    gn_ipi_stats_clear(&st);
}
