/* gapneb: the two ways the library writes a TSV cell (barriers.tsv, reference.tsv): text with
 * tabs and newlines turned into spaces, numbers with "nan", "inf" and "-inf" for the non-finite.
 * Not installed. */
#ifndef GAPNEB_TSV_INTERNAL_H
#define GAPNEB_TSV_INTERNAL_H

#include <stdio.h>

/* Writes s; a tab or newline inside a field would break the row, so each becomes a space. */
void gn_tsv_put_text(FILE *fp, const char *s);

/* Writes v with the printf format fmt, or nan / inf / -inf. */
void gn_tsv_put_num(FILE *fp, const char *fmt, double v);

#endif
