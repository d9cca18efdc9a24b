/* gapneb: the barrier table on disk: OUT/barriers.tsv and OUT/barriers.json (written whole or not
 * at all, read back by --resume and `gapneb plot`). One column table drives both formats, so the
 * two can never disagree.
 *
 * Units: gaps Å, energies eV, wall times s, frequencies THz, rates 1/s, temperatures K. Missing
 * numbers are "nan" in TSV and null in JSON.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_TABLE_IO_H
#define GAPNEB_TABLE_IO_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/job.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

int gn_table_write_tsv(const char *path, const gn_table *t, gn_error *err);
int gn_table_write_json(const char *path, const gn_table *t, gn_error *err);
/* Read a table back (replacing t's content). */
int gn_table_read_tsv(const char *path, gn_table *t, gn_error *err);
int gn_table_read_json(const char *path, gn_table *t, gn_error *err);

/* Writes OUT/barriers.tsv and OUT/barriers.json (OUT is created if needed), and when the table
 * carries a reference the comparison in OUT/reference.tsv and barriers.json (reference_io.h). */
int gn_table_write(const char *outdir, const gn_table *t, gn_error *err);

/* One row alone, as the run folder keeps it (OUT/RUNDIR/row.json: the row's columns, its
 * settings key among them). */
int gn_table_row_write_json(const char *path, const gn_table_row *r, gn_error *err);
int gn_table_row_read_json(const char *path, gn_table_row *r, gn_error *err);

/* After row i is finished: writes its row.json into its run folder, then the whole table so far
 * (OUT/barriers.tsv and .json, pending rows as "pending"), so that an interrupted run loses
 * nothing it finished. */
int gn_table_save_row(const char *outdir, const gn_table *t, size_t i, gn_error *err);

/* --resume: takes over every row whose settings key matches an earlier result, from
 * job->out/barriers.json or, when that lacks it, from the row's run folder (row.json); a row is
 * taken over only if its run folder holds the same key (a folder rewritten by a run with other
 * settings is never mixed in). Rows that failed with an error (as opposed to a collapse or a
 * non-converged band) and pending rows are computed again. Returns the number of rows taken
 * over. */
size_t gn_table_resume(const gn_job *job, gn_table *t);

#ifdef __cplusplus
}
#endif
#endif
