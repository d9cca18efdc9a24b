/* gapneb: the comparison with published values on disk (reference.h has the rules):
 *   OUT/reference.tsv: one line per (published value, table row compared with it), and one line
 *     per published value compared with nothing, with the reason;
 *   the "reference" object of OUT/barriers.json: the file compared with and each published
 *     value with its comparisons (or the reason it has none), read back by `gapneb plot`.
 * gn_table_write (table_io.h) writes both when the table carries a reference.
 *
 * Units: gaps Å, barriers and deviations eV. Missing numbers are "nan" in TSV and null in JSON,
 * a single surface's gap "inf" in both.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_REFERENCE_IO_H
#define GAPNEB_REFERENCE_IO_H

#include "gapneb/error.h"
#include "gapneb/reference.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the comparison of t with ref as TSV (whole or not at all). */
int gn_reference_write_tsv(const char *path, const gn_reference *ref, const gn_table *t,
                           gn_error *err);

/* Reads the published values back from the "reference" object of a barriers.json; a file
 * without one (written before it existed, or without --reference) gives an empty reference. */
int gn_reference_read_json(const char *path, gn_reference *ref, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
