/* gapneb: the built-in computation of a table row, shared by table.c (the pool) and table_row.c
 * (the computation). Not installed. Units: Å, eV. */
#ifndef GAPNEB_TABLE_INTERNAL_H
#define GAPNEB_TABLE_INTERNAL_H

#include "gapneb/steps.h"
#include "gapneb/table.h"
#include "strbuf_internal.h"

/* The potentials a job's pending rows need, each with its lattice constant and isolated-atom
 * energy, created once and shared (read-only) by the worker threads. */
typedef struct gn_table_compute_ctx gn_table_compute_ctx;

int gn_table_compute_ctx_alloc(const gn_job *job, const gn_table *t, const gn_table_hooks *hooks,
                               gn_table_compute_ctx **out, gn_error *err);
void gn_table_compute_ctx_free(gn_table_compute_ctx *c);

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
