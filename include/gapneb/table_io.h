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

/* Writes OUT/barriers.tsv and OUT/barriers.json (OUT is created if needed). */
int gn_table_write(const char *outdir, const gn_table *t, gn_error *err);

/* --resume: takes over the rows of job->out/barriers.json whose settings key equals a row's key
 * (rows that failed with an error, as opposed to a collapse or a non-converged band, are
 * computed again). Returns the number of rows taken over (0 when there is no earlier table). */
size_t gn_table_resume(const gn_job *job, gn_table *t);

#ifdef __cplusplus
}
#endif
#endif
