/* gapneb: what the pool (table.c), the potentials of a job (table_pots.c) and the computation of
 * one row (table_row.c) share. Not installed. Units: Å, eV. */
#ifndef GAPNEB_TABLE_INTERNAL_H
#define GAPNEB_TABLE_INTERNAL_H

#include <pthread.h>

#include "gapneb/steps.h"
#include "gapneb/table.h"
#include "strbuf_internal.h"

/* The saddle searches of the rows, one per initial state (table_search.c). */
typedef struct gn_search_cache gn_search_cache;

/* A potential of the job with what every row needs of it. */
typedef struct pot_data {
    gn_potential *pot;
    double a0;       /* Å */
    double e_atom;   /* eV, the isolated atom; NaN for an external engine (no adsorption
                        energies then) */
} pot_data;

/* The potentials a job's pending rows need, created once and shared (read-only) by the worker
 * threads; with external engines, a watcher thread that ends them when the table's cancel hook
 * fires (a row waiting for a client never polls the hook itself). */
typedef struct gn_table_compute_ctx {
    pot_data pots[GN_JOB_MAX_POT];
    int npot;
    int (*cancelled)(void *ctx); /* the table's cancel hook (may be NULL) */
    void *cancel_ctx;
    int nengines;
    pthread_t watcher;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;                    /* the watcher is asked to end */
    /* the table's log hook (may be NULL), for the engines' messages and reports, which come
       from their own threads and are passed on one at a time under log_mu */
    void (*log)(void *ctx, int level, const char *msg);
    void *log_ctx;
    pthread_mutex_t log_mu;
    int calc_threads;            /* threads of each force call (job threads, or 0 = auto: the
                                    cores left over by the row threads) */
    gn_search_cache *search;     /* with --search: the searches done or under way */
} gn_table_compute_ctx;

int gn_table_compute_ctx_alloc(const gn_job *job, const gn_table *t, const gn_table_hooks *hooks,
                               gn_table_compute_ctx **out, gn_error *err);
void gn_table_compute_ctx_free(gn_table_compute_ctx *c);

/* table_search.c: the searches shared by the rows of one table run (thread-safe). */
int gn_search_cache_alloc(gn_search_cache **out, gn_error *err);
void gn_search_cache_free(gn_search_cache *c);

/* job->search dimer searches from the relaxed initial state (res->band[0]) around the adatom
 * (the last atom of every model), or the result of the row that searched the same state: the
 * lowest barrier found goes into r's search columns, the processes into log. GN_ECANCEL when
 * the table's cancel hook stopped it; any other failure is logged and the row keeps its
 * barrier. */
int gn_table_row_search(const gn_job *job, const pot_data *pd, gn_table_row *r,
                        const gn_neb_result *res, const gn_table_compute_ctx *ctx, gn_strbuf *log);

/* 1 once the table's cancel hook asks the run to stop. */
int gn_table_compute_cancelled(const gn_table_compute_ctx *c);

/* A gn_row_compute_fn: model -> endpoints -> CI-NEB -> adsorption energies -> optional harmonic
 * analysis -> run folder under job->out. ctx is a gn_table_compute_ctx. */
int gn_table_compute_row(void *ctx, const gn_job *job, gn_table_row *r, unsigned long *calls,
                         gn_error *err);

/* table_steps.c: the split settings of a job; a row from a path of elementary steps (steps,
 * effective barrier, barriers of the rate-limiting step, saddle orders, state; after the row
 * was filled from s->first); the harmonic analysis of every step from its run folder (rundir:
 * the row's run folder, absolute or relative to the working directory), written there
 * (modes.json, modes.tsv, unstable_mode.xyz), and the chain's rates. */
void gn_table_steps_opts(const gn_job *job, gn_steps_opts *so);
void gn_table_row_from_steps(gn_table_row *r, const gn_steps_result *s, const gn_neb_opts *no,
                             const gn_steps_opts *so, gn_strbuf *log);
void gn_table_row_modes(const gn_job *job, gn_table_row *r, gn_steps_result *s,
                        const char *rundir, gn_strbuf *log);

#endif
