/* gapneb: the potentials of a table job, made once for all its rows: the element, the lattice
 * constant and the isolated atom of each, the options of external engines, and the watcher that
 * ends the engines when the run is cancelled. Units: Å, eV, s. */
#include "table_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gapneb/atoms.h"
#include "gapneb/ipi.h"
#include "gapneb/properties.h"

#define WATCH_PERIOD_NS 100000000L /* 0.1 s between looks at the cancel hook */

static int isolated_atom_energy(const gn_potential *p, double *e, gn_error *err)
{
    gn_calc *c;
    gn_atoms *a = NULL;
    int rc = gn_calc_alloc(p, &c, err);
    if (rc != GN_OK)
        return rc;
    const double r[3] = {0, 0, 0};
    rc = gn_atoms_alloc(&a, 0, err);
    if (rc == GN_OK)
        rc = gn_atoms_push(a, p->z, r, 0, err);
    if (rc == GN_OK)
        rc = gn_calc_compute(c, a, e, NULL, NULL, err);
    gn_atoms_free(a);
    gn_calc_free(c);
    return rc;
}

/* A line from an engine (connections, boxes, reports) to the table's log. */
static void engine_line(gn_table_compute_ctx *d, const char *what, const char *line)
{
    if (!d->log)
        return;
    char msg[1200];
    snprintf(msg, sizeof msg, "%s%.1100s\n", what, line);
    pthread_mutex_lock(&d->log_mu);
    d->log(d->log_ctx, 1, msg);
    pthread_mutex_unlock(&d->log_mu);
}

static void engine_event(void *ctx, const char *line) { engine_line(ctx, "engine: ", line); }

static void engine_report(void *ctx, const char *line) { engine_line(ctx, "", line); }

static void engine_options(gn_table_compute_ctx *d, const gn_job *job, gn_ipi_opts *o)
{
    gn_ipi_opts_default(o);
    o->log = engine_event;
    o->log_ctx = d;
    o->command = job->engine_command[0] ? job->engine_command : NULL;
    o->count = job->engine_count;
    o->timeout = job->engine_timeout;
    o->vacuum = job->engine_vacuum;
}

/* An external engine computes what its clients were set up for: a bulk cell for the lattice
 * constant or a lone atom would be sent to clients that model the gap, so a0 must be given and
 * the adsorption energies are left out. */
static int prepare_engine(pot_data *pd, const gn_job *job, const char *name, gn_error *err)
{
    if (!(job->a0 > 0.0))
        return gn_error_set(err, GN_EINVAL, "potential %s is an external engine, which cannot "
                            "give the lattice constant: set a0 (option --a0, [model] a0) in Å",
                            name);
    if (job->nmodels > 1)
        return gn_error_set(err, GN_EINVAL, "potential %s is an external engine, whose clients "
                            "serve one structure size: give one model per table", name);
    pd->a0 = job->a0;
    pd->e_atom = NAN;
    return GN_OK;
}

static int prepare_potential(gn_table_compute_ctx *d, pot_data *pd, const gn_job *job,
                             const char *name, gn_error *err)
{
    gn_ipi_opts io;
    engine_options(d, job, &io);
    int rc = gn_potential_alloc_engine(name, &io, &pd->pot, err);
    if (rc != GN_OK)
        return rc;
    gn_ipi_report_start(pd->pot, engine_report, d);
    if (gn_ipi_is(pd->pot))
        return prepare_engine(pd, job, name, err);
    rc = gn_potential_select_element(pd->pot, job->element[0] ? job->element : NULL, err);
    if (rc == GN_OK && job->a0 > 0.0)
        pd->a0 = job->a0;
    else if (rc == GN_OK)
        rc = gn_lattice_constant(pd->pot, pd->pot->z, &pd->a0, err);
    if (rc == GN_OK)
        rc = isolated_atom_energy(pd->pot, &pd->e_atom, err);
    if (rc != GN_OK)
        return gn_error_prefix(err, "potential %s: ", name);
    return GN_OK;
}

static int needed(const gn_table *t, const char *potential)
{
    for (size_t k = 0; k < t->n; k++)
        if (t->rows[k].state == GN_ROW_PENDING && !strcmp(t->rows[k].potential, potential))
            return 1;
    return 0;
}

int gn_table_compute_cancelled(const gn_table_compute_ctx *c)
{
    return c->cancelled && c->cancelled(c->cancel_ctx);
}

/* Looks at the cancel hook every WATCH_PERIOD_NS until asked to end; a cancel ends every engine,
 * so that rows waiting for clients fail at once (and are left pending by the row code). */
static void *watch(void *arg)
{
    gn_table_compute_ctx *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->done) {
        if (gn_table_compute_cancelled(c)) {
            for (int i = 0; i < c->npot; i++)
                if (c->pots[i].pot && gn_ipi_is(c->pots[i].pot))
                    gn_ipi_shutdown(c->pots[i].pot, "the table run was interrupted");
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += WATCH_PERIOD_NS;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&c->cv, &c->mu, &ts);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static int start_watcher(gn_table_compute_ctx *d, gn_error *err)
{
    if (!d->nengines || !d->cancelled)
        return GN_OK;
    if (pthread_mutex_init(&d->mu, NULL) || pthread_cond_init(&d->cv, NULL) ||
        pthread_create(&d->watcher, NULL, watch, d)) {
        d->nengines = 0; /* nothing to join */
        return gn_error_set(err, GN_ENOMEM, "cannot start the engine watcher (%s)",
                            strerror(errno));
    }
    return GN_OK;
}

int gn_table_compute_ctx_alloc(const gn_job *job, const gn_table *t, const gn_table_hooks *hooks,
                               gn_table_compute_ctx **out, gn_error *err)
{
    gn_table_compute_ctx *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    if (hooks) {
        d->cancelled = hooks->cancelled;
        d->cancel_ctx = hooks->cancel_ctx;
        d->log = hooks->log;
        d->log_ctx = hooks->log_ctx;
    }
    if (pthread_mutex_init(&d->log_mu, NULL)) {
        free(d);
        return gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    }
    int rc = GN_OK;
    for (int i = 0; rc == GN_OK && i < job->npotentials; i++) {
        d->npot = i + 1;
        if (needed(t, job->potentials[i]))
            rc = prepare_potential(d, &d->pots[i], job, job->potentials[i], err);
        d->nengines += d->pots[i].pot && gn_ipi_is(d->pots[i].pot);
    }
    if (rc == GN_OK && job->search > 0)
        rc = gn_search_cache_alloc(&d->search, err);
    if (rc == GN_OK)
        rc = start_watcher(d, err);
    if (rc != GN_OK) {
        gn_table_compute_ctx_free(d);
        return rc;
    }
    *out = d;
    return GN_OK;
}

void gn_table_compute_ctx_free(gn_table_compute_ctx *d)
{
    if (!d)
        return;
    if (d->nengines && d->cancelled) {
        pthread_mutex_lock(&d->mu);
        d->done = 1;
        pthread_cond_signal(&d->cv);
        pthread_mutex_unlock(&d->mu);
        pthread_join(d->watcher, NULL);
        pthread_cond_destroy(&d->cv);
        pthread_mutex_destroy(&d->mu);
    }
    for (int i = 0; i < d->npot; i++) {
        gn_ipi_report(d->pots[i].pot, engine_report, d);
        gn_potential_free(d->pots[i].pot);
    }
    gn_search_cache_free(d->search);
    pthread_mutex_destroy(&d->log_mu);
    free(d);
}
