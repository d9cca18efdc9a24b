/* gapneb: the i-PI server's shared state: the queue of structures, the end of the service (the
 * first fatal problem is kept and every evaluation fails with it), the event log. See
 * src/ipi_internal.h. */
#include "ipi_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void gn_ipi_log(const ipi_server *s, const char *fmt, ...)
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

void gn_ipi_wake(ipi_server *s)
{
    ssize_t w;
    do
        w = write(s->wake[1], "x", 1);
    while (w < 0 && errno == EINTR); /* a full pipe (EAGAIN) wakes the server just as well */
}

/* Records the first fatal problem (mu held). */
void gn_ipi_fail_locked(ipi_server *s, int code, const char *msg)
{
    if (s->failed || s->stopping)
        return;
    s->failed = 1;
    gn_error_set(&s->fail, code, "i-PI engine %s: %s", s->spec, msg);
}

void gn_ipi_fail(ipi_server *s, int code, const char *fmt, ...)
{
    char msg[GN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->mu);
    gn_ipi_fail_locked(s, code, msg);
    pthread_mutex_unlock(&s->mu);
}

/* Why evaluations fail now (mu held). */
void gn_ipi_end_error(const ipi_server *s, gn_error *e)
{
    if (s->failed)
        *e = s->fail;
    else
        gn_error_set(e, GN_EIO, "i-PI engine %s: stopped (%s)", s->spec,
                     s->stop_reason[0] ? s->stop_reason : "shut down");
}

/* Marks one job finished (mu held); the caller broadcasts. */
void gn_ipi_complete_locked(ipi_server *s, ipi_job *j, int rc, const gn_error *e)
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
        s->wait_s += gn_ipi_now() - s->wait_since;
}

const char *gn_ipi_client_name(const ipi_client *c, char *buf, size_t size)
{
    snprintf(buf, size, "client %d (%s)", c->st.id, c->st.peer);
    return buf;
}

ipi_job *gn_ipi_pop_locked(ipi_server *s, double t)
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

void gn_ipi_push_front_locked(ipi_server *s, ipi_job *j, double t)
{
    j->next = s->head;
    s->head = j;
    if (!s->tail)
        s->tail = j;
    j->t_queued = t;
    s->queued++;
}
