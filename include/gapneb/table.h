/* gapneb: the barrier table: one row per (model, process, gap, potential) of a job, computed by
 * a pool of threads.
 *
 * Units: gaps and lattice constants Å, energies eV, wall times s, frequencies THz, rates 1/s,
 * temperatures K.
 *
 * A row (row.h) records the forward and reverse barriers, the reaction energy, the maximum of the
 * interpolated profile, the adsorption energies of both endpoints (E(model + adatom) - E(model,
 * relaxed) - E(isolated atom)), whether the band converged, whether the endpoints collapsed into
 * one minimum (with the reason), iterations, force calls and wall time. A row that fails is
 * recorded with its reason and the other rows go on.
 *
 * Each row carries a settings key: a hash of everything that determines its result (its model,
 * process, gap, potential name and file content, every setting of the settings table that can
 * change a result (settings.h), and the program version). gn_table_resume (table_io.h) takes over
 * rows with the same key from an earlier run.
 *
 * Thread safety: gn_table_run uses its own threads; each row is computed on a private copy and
 * stored under the pool's lock, so the hooks always see a consistent table.
 */
#ifndef GAPNEB_TABLE_H
#define GAPNEB_TABLE_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/job.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A converged band whose forward and reverse barriers are both below this (eV) joins two points
 * of one minimum: the row is reported as collapsed. */
#define GN_TABLE_NO_BARRIER 1e-3

/* The rows of a job in order (models, processes, gaps, potentials, the last varying fastest), with
 * their keys and run folder names, all pending. */
int gn_table_init(const gn_job *job, gn_table *t, gn_error *err);

/* Computes one row; ctx is the hook's. Must fill the row (state, numbers, reason) and return
 * GN_OK unless something is wrong with the program itself; a failed row is a row with
 * state GN_ROW_FAILED. force_calls receives the calls it made. GN_ECANCEL: the row was stopped
 * by the cancel hook and is left pending. */
typedef int (*gn_row_compute_fn)(void *ctx, const gn_job *job, gn_table_row *row,
                                 unsigned long *force_calls, gn_error *err);

typedef struct gn_table_hooks {
    gn_row_compute_fn compute;  /* NULL: the built-in computation (model, NEB, modes, run
                                   folder under job->out/runs/) */
    void *compute_ctx;
    /* Progress messages for stderr (may be NULL); called under a lock, one line each (an
     * external engine's messages and reports come from its own threads, one at a time). */
    void (*log)(void *ctx, int level, const char *msg);
    void *log_ctx;
    /* Called under the lock after each finished row (may be NULL), e.g. to write the table so
     * far; an error is logged and the run goes on. */
    int (*row_done)(void *ctx, const gn_table *t, size_t row, gn_error *err);
    void *row_done_ctx;
    /* Polled by the pool and by the built-in computation (may be NULL); non-zero asks the run
     * to stop: no row starts any more, a running band stops at its next progress report and its
     * row is left pending (a later --resume computes it), rows that finished are kept. Must be
     * async-signal-safe to read (e.g. a sig_atomic_t flag set by a signal handler). */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
} gn_table_hooks;

/* Computes the pending rows of t with job->jobs threads (0: number of cores; the rows likely to
 * take longest start first). Returns GN_OK when every row was attempted, whatever their states,
 * or when the cancel hook stopped the run (rows not finished stay pending); a non-OK status means
 * the table itself could not be made (potential missing, out of memory). */
int gn_table_run(const gn_job *job, gn_table *t, const gn_table_hooks *hooks, gn_error *err);

/* 1 when every row is ok, 0 otherwise. */
int gn_table_all_ok(const gn_table *t);

/* Number of worker threads for jobs (0 = online processors, at least 1). */
int gn_table_threads(int jobs, size_t nrows);

#ifdef __cplusplus
}
#endif
#endif
