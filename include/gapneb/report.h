/* gapneb: the barrier table as a person reads it on stdout: aligned columns (reference and
 * harmonic-analysis columns when the table has them), a line per row that is not ok saying why,
 * and the crossover lines.
 *
 * Units: gaps Å, energies eV, wall times s, frequencies THz, rates 1/s.
 * Thread safety: writes only to the stream passed in.
 */
#ifndef GAPNEB_REPORT_H
#define GAPNEB_REPORT_H

#include <stdio.h>
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The table in aligned columns, then "# MODEL PROCESS GAP POT: STATE: REASON" for every row
 * that is not ok. */
void gn_report_print(FILE *fp, const gn_table *t);

/* "# crossover ..." lines (crossover.h): by rates when the table has harmonic rates, and by
 * barriers, for each (model, potential) with both processes. */
void gn_report_print_crossovers(FILE *fp, const gn_table *t);

#ifdef __cplusplus
}
#endif
#endif
