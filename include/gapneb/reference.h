/* gapneb: published barriers to compare with: the reference CSV, matching reference rows to
 * table rows, and the deviation.
 *
 * Reference files are CSV with the header `model,process,gap_A,barrier_eV,source` ('#' lines are
 * comments; a field may be double-quoted to hold commas). gap_A is a number in Å or "inf" for a
 * single surface (the limit of a wide gap). A reference row applies to a table row with the same
 * model and process and either the same gap (within 1e-6 Å) or gap "inf" (then it applies at
 * every gap, as the wide-gap limit). Rows with models or processes the table does not compute
 * (e.g. "pt111") are kept for the record and never matched.
 *
 * Units: gaps Å, barriers eV.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_REFERENCE_H
#define GAPNEB_REFERENCE_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_ref_row {
    char model[GN_JOB_NAME_MAX];
    char process[GN_PROCESS_NAME_MAX];
    double gap;        /* Å; INFINITY for a single surface */
    double barrier;    /* eV */
    char source[256];
} gn_ref_row;

typedef struct gn_reference {
    gn_ref_row *rows;
    size_t n;
    char path[1024];
} gn_reference;

int gn_reference_load(const char *path, gn_reference *ref, gn_error *err);
int gn_reference_parse(const char *text, const char *name, gn_reference *ref, gn_error *err);
void gn_reference_clear(gn_reference *ref);

/* The reference rows a table carries in its own columns (from an earlier --reference), one per
 * distinct (model, process, gap, barrier, source). */
int gn_reference_from_table(const gn_table *t, gn_reference *ref, gn_error *err);

/* Fills the reference columns of every row of t (a row at an exact gap wins over an "inf" row;
 * among equals the first in the file). Returns the number of rows matched. */
size_t gn_reference_apply(const gn_reference *ref, gn_table *t);

/* barrier_fwd - ref_barrier (eV), NaN unless both are known. */
double gn_row_deviation(const gn_table_row *r);

#ifdef __cplusplus
}
#endif
#endif
