/* gapneb: the saddle search of table rows (--search N): dimer searches from a row's relaxed
 * initial state around its adatom, the lowest barrier found beside the named process's. The rows
 * that start from the same state (the hop, transfer and exchange of one model, gap and potential)
 * share one search: the first row to get there runs it, the others wait for it and take its
 * result, so a state is searched once however many processes leave it.
 * Units: Å, eV. */
#include "table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/search.h"

/* Two relaxations of one state by the same code agree to the last digit; this only absorbs
 * rounding, far below any distance between distinct minima. */
#define SAME_STATE_A 1e-4

typedef struct search_entry {
    gn_atoms *ini;              /* the state searched (a copy) */
    const gn_potential *pot;
    int done;                   /* the search has ended (rc says how) */
    int rc;                     /* GN_OK, GN_ECANCEL or the failure */
    char rundir[256];           /* the row that ran it (its run folder) */
    int nprocesses;
    double barrier;
    char moved[64];
    unsigned long calls;
    char *log;                  /* what that row logged of it */
} search_entry;

struct gn_search_cache {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    search_entry *e;
    size_t n, cap;
};

int gn_search_cache_alloc(gn_search_cache **out, gn_error *err)
{
    gn_search_cache *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    if (pthread_mutex_init(&c->mu, NULL)) {
        free(c);
        return gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    }
    if (pthread_cond_init(&c->cv, NULL)) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        return gn_error_set(err, GN_ENOMEM, "cannot create a condition variable");
    }
    *out = c;
    return GN_OK;
}

void gn_search_cache_free(gn_search_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        gn_atoms_free(c->e[i].ini);
        free(c->e[i].log);
    }
    free(c->e);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static int same_state(const gn_atoms *a, const gn_atoms *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->z[i] != b->z[i] || !a->fixed[i] != !b->fixed[i])
            return 0;
        for (int k = 0; k < 3; k++)
            if (!(fabs(a->pos[3 * i + k] - b->pos[3 * i + k]) <= SAME_STATE_A))
                return 0;
    }
    return 1;
}

/* Index of the entry for (pot, ini), or c->n when there is none. Under c->mu. */
static size_t find(const gn_search_cache *c, const gn_potential *pot, const gn_atoms *ini)
{
    size_t i = 0;
    while (i < c->n && !(c->e[i].pot == pot && same_state(c->e[i].ini, ini)))
        i++;
    return i;
}

/* A new running entry; *idx its index. Under c->mu. */
static int add(gn_search_cache *c, const gn_potential *pot, const gn_atoms *ini,
               const char *rundir, size_t *idx, gn_error *err)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        search_entry *e = realloc(c->e, cap * sizeof *e);
        if (!e)
            return gn_error_set(err, GN_ENOMEM, "out of memory");
        c->e = e;
        c->cap = cap;
    }
    search_entry *s = &c->e[c->n];
    memset(s, 0, sizeof *s);
    int rc = gn_atoms_copy(ini, &s->ini, err);
    if (rc)
        return rc;
    s->pot = pot;
    s->barrier = NAN;
    snprintf(s->rundir, sizeof s->rundir, "%s", rundir);
    *idx = c->n++;
    return GN_OK;
}

/* Runs the searches of s->ini into s (under no lock: s is a private copy). */
static void run_search(const gn_job *job, const gn_table_compute_ctx *ctx, search_entry *s)
{
    size_t adatom = s->ini->n - 1;
    gn_search_opts so;
    gn_search_opts_default(&so);
    so.nsearch = job->search;
    so.atoms = &adatom;
    so.natoms = 1;
    so.relax.fmax = job->endpoint_fmax;
    so.cancelled = ctx->cancelled;
    so.cancel_ctx = ctx->cancel_ctx;
    gn_search_result sr;
    gn_error e;
    gn_strbuf log = {0};
    s->rc = gn_search_run(s->pot, s->ini, &so, &sr, &e);
    if (s->rc != GN_OK) {
        if (s->rc != GN_ECANCEL)
            gn_strbuf_printf(&log, "saddle search failed: %s\n", e.msg);
    } else {
        s->nprocesses = (int)sr.nprocesses;
        s->calls = sr.force_calls + sr.start_calls;
        gn_strbuf_printf(&log, "saddle search: %d searches from the initial state, %d converged, "
                               "%zu connected processes\n", sr.nsearch, sr.nconverged,
                         sr.nprocesses);
    }
    for (size_t k = 0; s->rc == GN_OK && k < sr.nprocesses; k++) {
        const gn_search_process *p = &sr.processes[k];
        char moved[64] = "";
        for (size_t m = 0; m < p->nmoved; m++) {
            size_t len = strlen(moved);
            snprintf(moved + len, sizeof moved - len, "%s%zu", m ? "," : "", p->moved[m]);
        }
        if (k == 0) {
            s->barrier = p->barrier;
            snprintf(s->moved, sizeof s->moved, "%s", moved);
        }
        gn_strbuf_printf(&log, "  process %zu: barrier %.6f eV, reverse %.6f eV, atoms moved %s, "
                               "found %d times\n", k + 1, p->barrier, p->barrier_rev,
                         moved[0] ? moved : "-", p->count);
    }
    gn_search_result_clear(&sr);
    s->log = log.s;
}

/* The row's columns and log from a finished entry; own: this row ran the search. */
static int apply(const search_entry *s, int own, gn_table_row *r, gn_strbuf *log)
{
    if (s->rc == GN_ECANCEL)
        return GN_ECANCEL;
    if (!own)
        gn_strbuf_printf(log, "saddle search shared with %s (the same initial state; its force "
                              "calls are counted there):\n", s->rundir);
    if (s->log)
        gn_strbuf_printf(log, "%s", s->log);
    if (s->rc != GN_OK)
        return GN_OK; /* a failed search leaves the row's barrier as it is */
    r->has_search = 1;
    r->search_processes = s->nprocesses;
    r->search_barrier = s->barrier;
    r->search_calls = own ? s->calls : 0;
    snprintf(r->search_moved, sizeof r->search_moved, "%s", s->moved);
    return GN_OK;
}

int gn_table_row_search(const gn_job *job, const pot_data *pd, gn_table_row *r,
                        const gn_neb_result *res, const gn_table_compute_ctx *ctx, gn_strbuf *log)
{
    if (job->search <= 0 || res->nframes < 1 || !res->band[0].atoms || !ctx->search)
        return GN_OK;
    gn_search_cache *c = ctx->search;
    const gn_atoms *ini = res->band[0].atoms;
    gn_error e;
    pthread_mutex_lock(&c->mu);
    size_t i = find(c, pd->pot, ini);
    if (i < c->n) {
        while (!c->e[i].done)
            pthread_cond_wait(&c->cv, &c->mu);
        int rc = apply(&c->e[i], 0, r, log);
        pthread_mutex_unlock(&c->mu);
        return rc;
    }
    int rc = add(c, pd->pot, ini, r->rundir, &i, &e);
    search_entry s = rc == GN_OK ? c->e[i] : (search_entry){0};
    pthread_mutex_unlock(&c->mu);
    if (rc != GN_OK) {
        gn_strbuf_printf(log, "saddle search failed: %s\n", e.msg);
        return GN_OK;
    }
    run_search(job, ctx, &s);
    pthread_mutex_lock(&c->mu);
    s.done = 1;
    c->e[i] = s;
    pthread_cond_broadcast(&c->cv);
    rc = apply(&c->e[i], 1, r, log);
    pthread_mutex_unlock(&c->mu);
    return rc;
}
