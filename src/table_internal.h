/* gapneb: the built-in computation of a table row, shared by table.c (the pool) and table_row.c
 * (the computation). Not installed. Units: Å, eV. */
#ifndef GAPNEB_TABLE_INTERNAL_H
#define GAPNEB_TABLE_INTERNAL_H

#include "gapneb/table.h"

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

#endif
